/**
 * Opening the SQLite file: WAL (readers never wait for the writer), a busy timeout (shards
 * in other processes share the file), foreign keys on, and the schema brought up to date.
 */
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { type Migration, MIGRATIONS } from "./migrations.ts";

export type Db = Database.Database;

/** How long a write waits for another process's write to finish before failing. */
export const BUSY_TIMEOUT_MS = 5000;

export function openDatabase(path: string, migrations: readonly Migration[] = MIGRATIONS): Db {
  // 1. the folder, then the file
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  let db: Db;
  try {
    db = new Database(path);
  } catch (err) {
    throw new Error(`cannot open the database ${path}: ${(err as Error).message}`, { cause: err });
  }
  try {
    // 2. connection settings (per connection, so on every open)
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    db.pragma("foreign_keys = ON");
    // 3. the schema
    migrate(db, path, migrations);
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}

/** The schema version: how many migrations the file has had. */
export function schemaVersion(db: Db): number {
  return db.pragma("user_version", { simple: true }) as number;
}

/**
 * Applies the missing migrations in order. The version is read inside an IMMEDIATE transaction
 * (the write lock), so two processes opening a new file at once do not both migrate it.
 */
function migrate(db: Db, path: string, migrations: readonly Migration[]): void {
  for (;;) {
    const applied = db
      .transaction(() => {
        const version = schemaVersion(db);
        if (version > migrations.length) {
          throw new Error(
            `${path}: database schema version ${version} is newer than this bot knows (${migrations.length}): update the bot`,
          );
        }
        if (version === migrations.length) return false;
        const next = migrations[version];
        try {
          db.exec(next.sql);
        } catch (err) {
          throw new Error(`${path}: migration ${next.name} failed: ${(err as Error).message}`, { cause: err });
        }
        db.pragma(`user_version = ${version + 1}`);
        return true;
      })
      .immediate();
    if (!applied) return;
  }
}
