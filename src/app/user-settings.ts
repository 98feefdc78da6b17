/**
 * Per-user settings, kept with the guild's settings (DMs under the space "dm"):
 * explain mode makes chat replies carry a breakdown of how each token was chosen.
 */
import type { AsyncStore } from "../store/async-store.ts";

const explainKey = (userId: string) => `explain:${userId}`;
const space = (guildId: string | null) => guildId ?? "dm";

export async function explainModeOn(store: Pick<AsyncStore, "settings">, guildId: string | null, userId: string): Promise<boolean> {
  return (await store.settings.get<boolean>(space(guildId), explainKey(userId))) === true;
}

export async function setExplainMode(
  store: Pick<AsyncStore, "settings">,
  guildId: string | null,
  userId: string,
  on: boolean,
): Promise<void> {
  if (on) await store.settings.set(space(guildId), explainKey(userId), true);
  else await store.settings.delete(space(guildId), explainKey(userId));
}
