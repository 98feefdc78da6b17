/**
 * Per-user settings, kept with the guild's settings (DMs under the space "dm"):
 * explain mode makes chat replies carry a breakdown of how each token was chosen.
 */
import type { Store } from "../store/index.ts";

const explainKey = (userId: string) => `explain:${userId}`;
const space = (guildId: string | null) => guildId ?? "dm";

export function explainModeOn(store: Pick<Store, "settings">, guildId: string | null, userId: string): boolean {
  return store.settings.get<boolean>(space(guildId), explainKey(userId)) === true;
}

export function setExplainMode(store: Pick<Store, "settings">, guildId: string | null, userId: string, on: boolean): void {
  if (on) store.settings.set(space(guildId), explainKey(userId), true);
  else store.settings.delete(space(guildId), explainKey(userId));
}
