/**
 * /admin as Replies (the space's managers): which channels /train may read, how long stored
 * messages are kept, and wiping the space's data. The range of `days` is the catalogue's.
 */
import { checkValues } from "../catalogue/check.ts";
import { DATA_SENTENCES } from "../data-sentences.ts";
import { applyRetention, setAllowedChannels, setRetentionDays } from "../guild-policy.ts";
import { channel } from "../reply.ts";
import { type DataContext, type DataUseCase, requiredValue, sentences } from "./data.ts";

/** The channel ids in a text of #channel mentions (<#123…>) or bare ids (15–20 digits), in order. */
export function channelIds(given: string): string[] {
  return [...given.matchAll(/<#(\d+)>|\b(\d{15,20})\b/g)].map((m) => m[1] ?? m[2]);
}

function spaceOf(dc: DataContext): string {
  if (dc.space === null) throw new Error("/admin needs a space (the catalogue makes it guild-only)");
  return dc.space;
}

/** /admin channels [channels] — none: any channel the bot can read. */
export const adminChannelsReply: DataUseCase = async (dc, o) => {
  const { channels } = checkValues("admin channels", { channels: o.channels });
  const ids = channelIds(typeof channels === "string" ? channels : "");
  await setAllowedChannels(dc.store, spaceOf(dc), ids);
  return sentences(DATA_SENTENCES[dc.lang].adminChannels(ids.map(channel)));
};

/** /admin retention days — stored messages older than that are deleted now and from then on (0: kept). */
export const adminRetentionReply: DataUseCase = async (dc, o) => {
  const days = requiredValue("admin retention", "days", o.days) as number;
  await setRetentionDays(dc.store, spaceOf(dc), days);
  await applyRetention(dc.store, spaceOf(dc));
  return sentences(DATA_SENTENCES[dc.lang].adminRetention(days));
};

/** /admin wipe confirm:true — every stored message, model, run and setting of the space deleted. */
export const adminWipeReply: DataUseCase = async (dc, o) => {
  const s = DATA_SENTENCES[dc.lang];
  const { confirm } = checkValues("admin wipe", { confirm: o.confirm });
  if (confirm !== true) return sentences(s.adminWipeNeedsConfirm);
  const space = spaceOf(dc);
  // a running training first: it must never install a model trained on what is wiped
  await dc.training.discard(space);
  const rows = await dc.store.forgetGuild(space);
  dc.registry.forget(space);
  return sentences(s.adminWiped(rows));
};
