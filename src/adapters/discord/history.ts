/**
 * Reading channels' message history for training, through the API: pages of up to 100
 * messages, newest first, each page asking for the messages `before` the oldest one of the
 * previous page (the first page: before the /train command itself). Channels take turns page by
 * page, so with several channels each one contributes until `max` messages have been read.
 * Bots, system messages (joins, pins…) and messages without text are skipped.
 */
import type { GuildTextBasedChannel, Message } from "discord.js";
import type { StoredMessage } from "../../store/index.ts";

/** Discord's largest page. */
export const PAGE_SIZE = 100;

export interface HistoryOptions {
  guildId: string;
  /** at most this many messages read in total (kept or not) */
  max: number;
  /** start before this id (e.g. the interaction's: "everything until now") */
  before: string;
  /** checked between pages: true ends the reading early */
  shouldStop?: () => boolean;
  /** after each page: what it kept, and the totals so far (awaited before the next page) */
  onPage?: (kept: StoredMessage[], totals: { read: number; kept: number }) => void | Promise<void>;
}

export interface HistoryResult {
  read: number;
  kept: number;
  /** channels whose reading failed (e.g. the permission was taken away meanwhile), with the error */
  failed: { channel: GuildTextBasedChannel; error: unknown }[];
  stopped: boolean;
}

/** A message worth learning from, as the store keeps it; undefined for bots, system messages and empty ones. */
export function trainingMessage(message: Message, guildId: string): StoredMessage | undefined {
  if (message.author.bot || message.system) return undefined;
  const text = message.cleanContent.trim();
  if (text.length === 0) return undefined;
  return { id: message.id, guildId, channelId: message.channelId, authorId: message.author.id, text, createdAt: message.createdTimestamp };
}

export async function readHistory(channels: readonly GuildTextBasedChannel[], o: HistoryOptions): Promise<HistoryResult> {
  const cursors = channels.map((channel) => ({ channel, before: o.before, done: false }));
  const result: HistoryResult = { read: 0, kept: 0, failed: [], stopped: false };
  while (result.read < o.max && cursors.some((c) => !c.done)) {
    for (const cursor of cursors) {
      if (cursor.done) continue;
      if (o.shouldStop?.()) {
        result.stopped = true;
        return result;
      }
      const limit = Math.min(PAGE_SIZE, o.max - result.read);
      if (limit <= 0) break;
      // 1. one page, newest first (not cached: thousands of old messages would only fill memory)
      let page: Message[];
      try {
        page = [...(await cursor.channel.messages.fetch({ limit, before: cursor.before, cache: false })).values()];
      } catch (error) {
        cursor.done = true;
        result.failed.push({ channel: cursor.channel, error });
        continue;
      }
      // 2. keep what is worth learning from, 3. continue before the oldest message of the page
      const kept = page.map((m) => trainingMessage(m, o.guildId)).filter((m): m is StoredMessage => m !== undefined);
      result.read += page.length;
      result.kept += kept.length;
      await o.onPage?.(kept, { read: result.read, kept: result.kept });
      if (page.length < limit) cursor.done = true;
      else cursor.before = oldestId(page);
    }
  }
  return result;
}

function oldestId(page: readonly Message[]): string {
  return page.reduce((oldest, m) => (BigInt(m.id) < BigInt(oldest) ? m.id : oldest), page[0].id);
}
