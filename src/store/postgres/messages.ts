/** A guild's stored messages in PostgreSQL: the same methods as ../messages.ts, as Promises. */
import type pg from "pg";
import type { AsyncStore } from "../async-store.ts";
import { COLUMNS, checkLimit, type MessageRow, type StoredMessage, toMessage } from "../messages.ts";
import { pgText, type Sql, transaction } from "./database.ts";

const changed = (r: pg.QueryResult): number => r.rowCount ?? 0;

async function insert(sql: Sql, m: StoredMessage): Promise<boolean> {
  const result = await sql.query(
    `INSERT INTO messages (guild_id, id, channel_id, author_id, text, created_at) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (guild_id, id) DO NOTHING`,
    [m.guildId, m.id, m.channelId, m.authorId, pgText(m.text), m.createdAt],
  );
  return changed(result) > 0;
}

export function pgMessageRepository(pool: pg.Pool): AsyncStore["messages"] {
  const rows = async (text: string, values: unknown[]) => (await pool.query<MessageRow>(text, values)).rows.map(toMessage);
  const count = async (text: string, values: unknown[]) => (await pool.query<{ n: number }>(text, values)).rows[0].n;
  return {
    add: (m) => insert(pool, m),
    addMany: (ms) =>
      transaction(pool, async (sql) => {
        let added = 0;
        for (const m of ms) if (await insert(sql, m)) added++;
        return added;
      }),
    count: (guildId, channelId) =>
      channelId === undefined
        ? count("SELECT count(*) AS n FROM messages WHERE guild_id = $1", [guildId])
        : count("SELECT count(*) AS n FROM messages WHERE guild_id = $1 AND channel_id = $2", [guildId, channelId]),
    async recent(guildId, options = {}) {
      const limit = options.limit ?? 50;
      checkLimit(limit);
      const found = await rows(
        `SELECT ${COLUMNS} FROM messages
         WHERE guild_id = $1 AND ($2::text IS NULL OR channel_id = $2) AND created_at < $3
         ORDER BY created_at DESC, id DESC LIMIT $4`,
        [guildId, options.channelId ?? null, options.before ?? Number.MAX_SAFE_INTEGER, limit],
      );
      return found.reverse();
    },
    async writtenSince(guildId, since, limit) {
      checkLimit(limit);
      return rows(`SELECT ${COLUMNS} FROM messages WHERE guild_id = $1 AND created_at >= $2 ORDER BY created_at DESC, id DESC LIMIT $3`, [
        guildId,
        since,
        limit,
      ]);
    },
    async revision(guildId) {
      const { rows: r } = await pool.query<{ revision: number }>("SELECT revision FROM message_revisions WHERE guild_id = $1", [guildId]);
      return r[0]?.revision ?? 0;
    },
    async texts(guildId) {
      const { rows: r } = await pool.query<{ text: string }>("SELECT text FROM messages WHERE guild_id = $1 ORDER BY created_at, id", [
        guildId,
      ]);
      return r.map((x) => x.text);
    },
    writtenBefore: (guildId, time) =>
      rows(`SELECT ${COLUMNS} FROM messages WHERE guild_id = $1 AND created_at <= $2 ORDER BY created_at, id`, [guildId, time]),
    async get(guildId, id) {
      return (await rows(`SELECT ${COLUMNS} FROM messages WHERE guild_id = $1 AND id = $2`, [guildId, id]))[0];
    },
    async newest(guildId, channelId) {
      return (
        await rows(`SELECT ${COLUMNS} FROM messages WHERE guild_id = $1 AND channel_id = $2 ORDER BY created_at DESC, id DESC LIMIT 1`, [
          guildId,
          channelId,
        ])
      )[0];
    },
    countAuthorBefore: (guildId, authorId, before) =>
      count("SELECT count(*) AS n FROM messages WHERE guild_id = $1 AND author_id = $2 AND created_at < $3", [guildId, authorId, before]),
    deleteBefore: async (guildId, before) =>
      changed(await pool.query("DELETE FROM messages WHERE guild_id = $1 AND created_at < $2", [guildId, before])),
    delete: async (guildId, id) => changed(await pool.query("DELETE FROM messages WHERE guild_id = $1 AND id = $2", [guildId, id])) > 0,
    updateText: async (guildId, id, text) =>
      changed(await pool.query("UPDATE messages SET text = $1 WHERE guild_id = $2 AND id = $3", [pgText(text), guildId, id])) > 0,
    deleteAuthor: async (guildId, authorId) =>
      changed(await pool.query("DELETE FROM messages WHERE guild_id = $1 AND author_id = $2", [guildId, authorId])),
  };
}
