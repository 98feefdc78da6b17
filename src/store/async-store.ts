/**
 * The store as Promises: the same repositories and methods as `Store` (src/store/index.ts), each
 * returning a Promise, so one caller works on either back end:
 *
 *   const store = await openAsyncStore({ databaseUrl: env.DATABASE_URL, databasePath: "data/bot.db" });
 *   await store.messages.add({ id, guildId, channelId, authorId, text, createdAt });
 *   await store.close();
 *
 * SQLite (the default) is the synchronous store behind a thin async face; DATABASE_URL
 * (postgres://…) selects the PostgreSQL store (src/store/postgres/).
 */
import { openStore, type Store, type StoreOptions } from "./index.ts";
import { databaseUrlProblem } from "./database-url.ts";
import { openPostgresStore } from "./postgres/index.ts";

/** Every method of T, returning a Promise of what it returned. */
type Promised<T> = {
  [K in keyof T]: T[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : never;
};

type SyncSettings = Store["settings"];

export interface AsyncSettings extends Omit<Promised<SyncSettings>, "get"> {
  get<T = unknown>(guildId: string, key: string): Promise<T | undefined>;
}

export interface AsyncStore {
  /** where the data lives: the SQLite file's path, or the PostgreSQL URL without its password */
  readonly location: string;
  readonly kind: "sqlite" | "postgres";
  guilds: Promised<Store["guilds"]>;
  settings: AsyncSettings;
  messages: Promised<Store["messages"]>;
  models: Promised<Store["models"]>;
  runs: Promised<Store["runs"]>;
  neuronIndexes: Promised<Store["neuronIndexes"]>;
  version(): Promise<number>;
  forgetGuild(guildId: string): Promise<number>;
  close(): Promise<void>;
}

/** Which store: a postgres:// URL selects PostgreSQL, otherwise the SQLite file at databasePath. */
export interface StoreTarget extends StoreOptions {
  databaseUrl?: string;
  databasePath: string;
}

export async function openAsyncStore(target: StoreTarget): Promise<AsyncStore> {
  const url = target.databaseUrl?.trim();
  if (url) {
    const problem = databaseUrlProblem(url);
    if (problem !== null) throw new Error(problem);
    return openPostgresStore(url, target);
  }
  return asyncSqliteStore(openStore(target.databasePath, target));
}

/** The synchronous SQLite store behind Promises: every call runs the same code, unchanged. */
export function asyncSqliteStore(store: Store): AsyncStore {
  return {
    location: store.path,
    kind: "sqlite",
    guilds: promised(store.guilds),
    settings: promised(store.settings) as AsyncSettings,
    messages: promised(store.messages),
    models: promised(store.models),
    runs: promised(store.runs),
    neuronIndexes: promised(store.neuronIndexes),
    version: async () => store.version(),
    forgetGuild: async (guildId) => store.forgetGuild(guildId),
    close: async () => store.close(),
  };
}

/** A repository whose methods return Promises (a throw becomes a rejection); `this` stays the repository. */
function promised<T extends object>(repository: T): Promised<T> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(repository)) {
    if (typeof value !== "function") continue;
    out[key] = async (...args: unknown[]) => (value as (...a: unknown[]) => unknown).apply(repository, args);
  }
  return out as Promised<T>;
}
