/**
 * The store on PostgreSQL (DATABASE_URL=postgres://…): the AsyncStore of ../async-store.ts with
 * the same tables, per-guild filtering and privacy rules as the SQLite store, over a `pg` pool.
 */
import type { AsyncStore } from "../async-store.ts";
import type { StoreOptions } from "../index.ts";
import { StoreOpenError } from "../database-url.ts";
import type { Migration } from "../migrations.ts";
import { openPool, redactUrl as redact, schemaVersion, transaction } from "./database.ts";
import { pgGuildRepository, pgSettingsRepository } from "./guilds.ts";
import { pgMessageRepository } from "./messages.ts";
import { pgModelRepository } from "./models.ts";
import { pgNeuronIndexRepository } from "./neuron-indexes.ts";
import { PG_MIGRATIONS } from "./migrations.ts";
import { pgRunRepository } from "./runs.ts";

/** The tables holding a guild's data, children first (a guild's forgetting deletes them in this order). */
const GUILD_TABLES = ["messages", "neuron_indexes", "model_choices", "models", "runs", "settings"];

export async function openPostgresStore(
  url: string,
  options: StoreOptions & { migrations?: readonly Migration[] } = {},
): Promise<AsyncStore> {
  const now = options.now ?? Date.now;
  let pool: Awaited<ReturnType<typeof openPool>>;
  try {
    pool = await openPool(url, options.migrations ?? PG_MIGRATIONS);
  } catch (err) {
    throw new StoreOpenError(`cannot open the PostgreSQL store ${redact(url)}: ${(err as Error).message}`, { cause: err });
  }
  let closed = false;
  return {
    location: redact(url),
    kind: "postgres",
    guilds: pgGuildRepository(pool, now),
    settings: pgSettingsRepository(pool),
    messages: pgMessageRepository(pool),
    models: pgModelRepository(pool, now),
    runs: pgRunRepository(pool, now),
    neuronIndexes: pgNeuronIndexRepository(pool, now),
    version: () => schemaVersion(pool),
    /** Deletes everything stored for a guild in one transaction; returns the rows deleted (loss points not counted). */
    forgetGuild: (guildId) =>
      transaction(pool, async (sql) => {
        let rows = 0;
        for (const table of GUILD_TABLES) rows += (await sql.query(`DELETE FROM ${table} WHERE guild_id = $1`, [guildId])).rowCount ?? 0;
        rows += (await sql.query("DELETE FROM guilds WHERE id = $1", [guildId])).rowCount ?? 0;
        return rows;
      }),
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}
