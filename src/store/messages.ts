/** Messages kept for training a guild's model: one row per Discord message, per guild. */
import type { Db } from "./database.ts";

export interface StoredMessage {
  id: string;
  guildId: string;
  channelId: string;
  authorId: string;
  text: string;
  /** ms since the epoch (the message's Discord timestamp) */
  createdAt: number;
}

/** A messages row as both stores read it (SQLite here, PostgreSQL in postgres/messages.ts). */
export interface MessageRow {
  id: string;
  guild_id: string;
  channel_id: string;
  author_id: string;
  text: string;
  created_at: number;
}

export interface RecentOptions {
  /** only this channel */
  channelId?: string;
  /** at most this many (the newest ones); default 50 */
  limit?: number;
  /** only messages older than this time (ms) */
  before?: number;
}

export const COLUMNS = "id, guild_id, channel_id, author_id, text, created_at";

export const toMessage = (r: MessageRow): StoredMessage => ({
  id: r.id,
  guildId: r.guild_id,
  channelId: r.channel_id,
  authorId: r.author_id,
  text: r.text,
  createdAt: r.created_at,
});

/** A page size: a whole number ≥ 0. */
export const checkLimit = (limit: number): void => {
  if (!Number.isInteger(limit) || limit < 0) throw new Error(`limit must be a whole number ≥ 0, got ${limit}`);
};

export function messageRepository(db: Db) {
  const insert = db.prepare<[string, string, string, string, string, number]>(
    "INSERT OR IGNORE INTO messages (guild_id, id, channel_id, author_id, text, created_at) VALUES (?, ?, ?, ?, ?, ?)",
  );
  const count = db.prepare<[string], { n: number }>("SELECT count(*) AS n FROM messages WHERE guild_id = ?");
  const countChannel = db.prepare<[string, string], { n: number }>(
    "SELECT count(*) AS n FROM messages WHERE guild_id = ? AND channel_id = ?",
  );
  const recent = db.prepare<{ guild: string; channel: string | null; before: number; limit: number }, MessageRow>(
    `SELECT ${COLUMNS} FROM messages
     WHERE guild_id = :guild AND (:channel IS NULL OR channel_id = :channel) AND created_at < :before
     ORDER BY created_at DESC, id DESC LIMIT :limit`,
  );
  const writtenSince = db.prepare<[string, number, number], MessageRow>(
    `SELECT ${COLUMNS} FROM messages WHERE guild_id = ? AND created_at >= ? ORDER BY created_at DESC, id DESC LIMIT ?`,
  );
  const revision = db.prepare<[string], { revision: number }>("SELECT revision FROM message_revisions WHERE guild_id = ?");
  const texts = db.prepare<[string], { text: string }>("SELECT text FROM messages WHERE guild_id = ? ORDER BY created_at, id");
  const writtenBefore = db.prepare<[string, number], MessageRow>(
    `SELECT ${COLUMNS} FROM messages WHERE guild_id = ? AND created_at <= ? ORDER BY created_at, id`,
  );
  const one = db.prepare<[string, string], MessageRow>(`SELECT ${COLUMNS} FROM messages WHERE guild_id = ? AND id = ?`);
  const newest = db.prepare<[string, string], MessageRow>(
    `SELECT ${COLUMNS} FROM messages WHERE guild_id = ? AND channel_id = ? ORDER BY created_at DESC, id DESC LIMIT 1`,
  );
  const deleteAuthor = db.prepare<[string, string]>("DELETE FROM messages WHERE guild_id = ? AND author_id = ?");
  const countAuthorBefore = db.prepare<[string, string, number], { n: number }>(
    "SELECT count(*) AS n FROM messages WHERE guild_id = ? AND author_id = ? AND created_at < ?",
  );
  const deleteOne = db.prepare<[string, string]>("DELETE FROM messages WHERE guild_id = ? AND id = ?");
  const deleteBefore = db.prepare<[string, number]>("DELETE FROM messages WHERE guild_id = ? AND created_at < ?");
  const updateText = db.prepare<[string, string, string]>("UPDATE messages SET text = ? WHERE guild_id = ? AND id = ?");
  const add = (m: StoredMessage): boolean => insert.run(m.guildId, m.id, m.channelId, m.authorId, m.text, m.createdAt).changes > 0;
  const addAll = db.transaction((ms: readonly StoredMessage[]) => ms.reduce((n, m) => n + (add(m) ? 1 : 0), 0));

  return {
    /** Stores a message; false when this guild already has it. */
    add,
    /** Stores many in one transaction; returns how many were new. */
    addMany(ms: readonly StoredMessage[]): number {
      return addAll(ms);
    },
    count(guildId: string, channelId?: string): number {
      return (channelId === undefined ? count.get(guildId) : countChannel.get(guildId, channelId))!.n;
    },
    /** The newest messages (optionally of one channel, before a time), returned oldest first. */
    recent(guildId: string, options: RecentOptions = {}): StoredMessage[] {
      const limit = options.limit ?? 50;
      checkLimit(limit);
      const rows = recent.all({
        guild: guildId,
        channel: options.channelId ?? null,
        before: options.before ?? Number.MAX_SAFE_INTEGER,
        limit,
      });
      return rows.reverse().map(toMessage);
    },
    /** The guild's messages written at or after a time (ms), newest first, at most `limit` (what /sources searches). */
    writtenSince(guildId: string, since: number, limit: number): StoredMessage[] {
      checkLimit(limit);
      return writtenSince.all(guildId, since, limit).map(toMessage);
    },
    /** A number that moves on with every insert, edit or delete of the guild's messages (0: none ever). */
    revision(guildId: string): number {
      return revision.get(guildId)?.revision ?? 0;
    },
    /** Every text of the guild, oldest first: the training corpus. */
    texts(guildId: string): string[] {
      return texts.all(guildId).map((r) => r.text);
    },
    /** Every message of the guild written at or before a time (ms), oldest first. */
    writtenBefore(guildId: string, time: number): StoredMessage[] {
      return writtenBefore.all(guildId, time).map(toMessage);
    },
    /** One message of the guild, if it is (still) stored. */
    get(guildId: string, id: string): StoredMessage | undefined {
      const row = one.get(guildId, id);
      return row && toMessage(row);
    },
    /** The newest stored message of a channel (to continue collecting after it). */
    newest(guildId: string, channelId: string): StoredMessage | undefined {
      const row = newest.get(guildId, channelId);
      return row && toMessage(row);
    },
    /** How many of one person's messages in a guild were written before a time (ms). */
    countAuthorBefore(guildId: string, authorId: string, before: number): number {
      return countAuthorBefore.get(guildId, authorId, before)!.n;
    },
    /** Deletes the guild's messages written before a time (ms): the retention period; returns how many. */
    deleteBefore(guildId: string, before: number): number {
      return deleteBefore.run(guildId, before).changes;
    },
    /** A message deleted on Discord is deleted here; true when it was stored. */
    delete(guildId: string, id: string): boolean {
      return deleteOne.run(guildId, id).changes > 0;
    },
    /** A message edited on Discord is edited here; true when it was stored. */
    updateText(guildId: string, id: string, text: string): boolean {
      return updateText.run(text, guildId, id).changes > 0;
    },
    /** Forgets one person's messages in one guild; returns how many. */
    deleteAuthor(guildId: string, authorId: string): number {
      return deleteAuthor.run(guildId, authorId).changes;
    },
  };
}
