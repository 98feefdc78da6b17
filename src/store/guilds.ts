/** Guilds the bot has joined, and each guild's settings (JSON values under string keys). */
import type { Db } from "./database.ts";

export interface GuildRecord {
  id: string;
  name: string;
  joinedAt: number;
}

/** A guilds row as both stores read it (SQLite here, PostgreSQL in postgres/guilds.ts). */
export interface GuildRow {
  id: string;
  name: string;
  joined_at: number;
}

export const toRecord = (r: GuildRow): GuildRecord => ({ id: r.id, name: r.name, joinedAt: r.joined_at });

export function guildRepository(db: Db, now: () => number) {
  const upsert = db.prepare<[string, string, number]>(
    "INSERT INTO guilds (id, name, joined_at) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET name = excluded.name",
  );
  const get = db.prepare<[string], GuildRow>("SELECT id, name, joined_at FROM guilds WHERE id = ?");
  const list = db.prepare<[], GuildRow>("SELECT id, name, joined_at FROM guilds ORDER BY joined_at, id");
  return {
    /** Records a guild (or its new name); the join time stays the first one seen. */
    upsert(guild: { id: string; name?: string }): void {
      upsert.run(guild.id, guild.name ?? "", now());
    },
    get(id: string): GuildRecord | undefined {
      const row = get.get(id);
      return row && toRecord(row);
    },
    list(): GuildRecord[] {
      return list.all().map(toRecord);
    },
  };
}

export function settingsRepository(db: Db) {
  const get = db.prepare<[string, string], { value_json: string }>("SELECT value_json FROM settings WHERE guild_id = ? AND key = ?");
  const set = db.prepare<[string, string, string]>(
    "INSERT INTO settings (guild_id, key, value_json) VALUES (?, ?, ?) ON CONFLICT (guild_id, key) DO UPDATE SET value_json = excluded.value_json",
  );
  const remove = db.prepare<[string, string]>("DELETE FROM settings WHERE guild_id = ? AND key = ?");
  const all = db.prepare<[string], { key: string; value_json: string }>(
    "SELECT key, value_json FROM settings WHERE guild_id = ? ORDER BY key",
  );
  return {
    get<T = unknown>(guildId: string, key: string): T | undefined {
      const row = get.get(guildId, key);
      return row === undefined ? undefined : (JSON.parse(row.value_json) as T);
    },
    set(guildId: string, key: string, value: unknown): void {
      const json = JSON.stringify(value);
      if (json === undefined) throw new Error(`setting ${key} of guild ${guildId}: the value ${String(value)} cannot be stored as JSON`);
      set.run(guildId, key, json);
    },
    delete(guildId: string, key: string): boolean {
      return remove.run(guildId, key).changes > 0;
    },
    all(guildId: string): Record<string, unknown> {
      return Object.fromEntries(all.all(guildId).map((r) => [r.key, JSON.parse(r.value_json) as unknown]));
    },
  };
}
