/**
 * Connecting to PostgreSQL: a pool whose BIGINT columns come back as JS numbers (as SQLite's
 * INTEGER do), and the schema brought up to date by one process at a time under an advisory lock.
 */
import pg from "pg";
import type { Migration } from "../migrations.ts";
import { PG_MIGRATIONS } from "./migrations.ts";

/** Anything that runs a query: the pool, or one client inside a transaction. */
export type Sql = Pick<pg.Pool, "query">;

/** The advisory lock key the migrating process holds (any fixed 64-bit number; this is "minigpt1"). */
export const MIGRATION_LOCK_KEY = 0x6d696e6967707431n;

const INT8_OID = 20;

/** BIGINT → number; refuses values past 2^53 rather than rounding them. */
function parseInt8(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new Error(`a BIGINT value ${text} is beyond JavaScript's safe integers`);
  return n;
}

const types = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === INT8_OID ? parseInt8 : pg.types.getTypeParser(oid, format ?? "text")) as pg.CustomTypesConfig["getTypeParser"],
};

export async function openPool(url: string, migrations: readonly Migration[] = PG_MIGRATIONS): Promise<pg.Pool> {
  const pool = new pg.Pool({ connectionString: url, types, max: 5 });
  // an idle client's error (the server restarting) must not crash the process: the next query reconnects
  pool.on("error", () => undefined);
  try {
    await migrate(pool, migrations);
  } catch (err) {
    await pool.end();
    throw err;
  }
  return pool;
}

/** Runs `work` in one transaction on one client: committed when it resolves, rolled back when it throws. */
export async function transaction<T>(pool: pg.Pool, work: (sql: Sql) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const result = await work(client);
    await client.query("COMMIT");
    return result;
  } catch (err) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

export async function schemaVersion(sql: Sql): Promise<number> {
  const exists = await sql.query<{ t: string | null }>("SELECT to_regclass('schema_version') AS t");
  if (exists.rows[0].t === null) return 0;
  const row = await sql.query<{ version: number }>("SELECT version FROM schema_version");
  return row.rows[0]?.version ?? 0;
}

/**
 * Applies the missing migrations in order:
 *   1. one client takes the advisory lock (other processes starting at once wait here)
 *   2. each migration runs in its own transaction with the version's update
 *   3. the lock is released (also if a migration fails: that one is rolled back, the version stays)
 */
async function migrate(pool: pg.Pool, migrations: readonly Migration[]): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY.toString()]);
    try {
      await client.query("CREATE TABLE IF NOT EXISTS schema_version (version BIGINT NOT NULL)");
      for (;;) {
        const version = await schemaVersion(client);
        if (version > migrations.length) {
          throw new Error(`database schema version ${version} is newer than this bot knows (${migrations.length}): update the bot`);
        }
        if (version === migrations.length) return;
        const next = migrations[version];
        await client.query("BEGIN");
        try {
          await client.query(next.sql);
          await client.query("DELETE FROM schema_version");
          await client.query("INSERT INTO schema_version (version) VALUES ($1)", [version + 1]);
          await client.query("COMMIT");
        } catch (err) {
          await client.query("ROLLBACK").catch(() => undefined);
          throw new Error(`migration ${next.name} failed: ${(err as Error).message}`, { cause: err });
        }
      }
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY.toString()]).catch(() => undefined);
    }
  } finally {
    client.release();
  }
}

/**
 * PostgreSQL's TEXT cannot hold U+0000 (SQLite's can): free text (message texts, guild and model
 * names, run errors) is stored with each NUL replaced by U+FFFD, rather than failing the write.
 */
export function pgText<T extends string | null | undefined>(text: T): T {
  return (typeof text === "string" && text.includes("\0") ? text.replaceAll("\0", "\uFFFD") : text) as T;
}

export { redactUrl } from "../database-url.ts";
