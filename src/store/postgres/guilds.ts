/** Guilds and their settings in PostgreSQL: the same methods as ../guilds.ts, as Promises. */
import type { AsyncSettings, AsyncStore } from "../async-store.ts";
import { type GuildRow, toRecord } from "../guilds.ts";
import { pgText, type Sql } from "./database.ts";

export function pgGuildRepository(sql: Sql, now: () => number): AsyncStore["guilds"] {
  return {
    async upsert(guild) {
      await sql.query("INSERT INTO guilds (id, name, joined_at) VALUES ($1, $2, $3) ON CONFLICT (id) DO UPDATE SET name = excluded.name", [
        guild.id,
        pgText(guild.name ?? ""),
        now(),
      ]);
    },
    async get(id) {
      const { rows } = await sql.query<GuildRow>("SELECT id, name, joined_at FROM guilds WHERE id = $1", [id]);
      return rows[0] && toRecord(rows[0]);
    },
    async list() {
      const { rows } = await sql.query<GuildRow>("SELECT id, name, joined_at FROM guilds ORDER BY joined_at, id");
      return rows.map(toRecord);
    },
  };
}

export function pgSettingsRepository(sql: Sql): AsyncSettings {
  return {
    async get<T = unknown>(guildId: string, key: string): Promise<T | undefined> {
      const { rows } = await sql.query<{ value_json: string }>("SELECT value_json FROM settings WHERE guild_id = $1 AND key = $2", [
        guildId,
        key,
      ]);
      return rows[0] === undefined ? undefined : (JSON.parse(rows[0].value_json) as T);
    },
    async set(guildId, key, value) {
      const json = JSON.stringify(value);
      if (json === undefined) throw new Error(`setting ${key} of guild ${guildId}: the value ${String(value)} cannot be stored as JSON`);
      await sql.query(
        "INSERT INTO settings (guild_id, key, value_json) VALUES ($1, $2, $3) ON CONFLICT (guild_id, key) DO UPDATE SET value_json = excluded.value_json",
        [guildId, key, json],
      );
    },
    async delete(guildId, key) {
      const result = await sql.query("DELETE FROM settings WHERE guild_id = $1 AND key = $2", [guildId, key]);
      return (result.rowCount ?? 0) > 0;
    },
    async all(guildId) {
      const { rows } = await sql.query<{ key: string; value_json: string }>(
        "SELECT key, value_json FROM settings WHERE guild_id = $1 ORDER BY key",
        [guildId],
      );
      return Object.fromEntries(rows.map((r) => [r.key, JSON.parse(r.value_json) as unknown]));
    },
  };
}
