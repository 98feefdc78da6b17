/**
 * The console's place in the store: the same store as the playground and the bot (DATABASE_URL,
 * else the SQLite file DATABASE_PATH, from the environment or .env; default data/bot.db) and the playground's space,
 * "local", so a model trained in the page answers here too. `--model FILE` answers instead,
 * from that file alone.
 */
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { modelsDirFrom } from "../../app/imported-models.ts";
import { fastestKernels } from "../../app/kernels.ts";
import type { ModelHandle } from "../../app/model-handle.ts";
import { LOCAL_SPACE } from "../../app/model-identity.ts";
import { ModelRegistry } from "../../app/model-registry.ts";
import { type Redactor, redactorFor } from "../../app/redaction.ts";
import { type SourceScope, sourceScopeFor } from "../../app/sources.ts";
import { DEFAULT_DATABASE_PATH, parseEnvFile } from "../../config.ts";
import { type AsyncStore, openAsyncStore } from "../../store/async-store.ts";

export interface ConsoleSpace {
  /** the model answering now: the space's (it may change while the console runs: a training in the page), or the --model file's */
  handle(): Promise<ModelHandle>;
  /** the space's stored texts no answer hands back word for word (null: none) */
  redactor(): Promise<Redactor | null>;
  /** the space's stored training texts /sources searches (null: none) */
  sources(): SourceScope | null;
  store: AsyncStore;
  registry: ModelRegistry;
  space: string;
  /** where the store is: the SQLite file, or the PostgreSQL URL without its password */
  location: string;
  close(): Promise<void>;
}

/** The environment with .env beneath it, as the bot and `npm run cli -- models` read it. */
export function consoleEnvironment(): Record<string, string | undefined> {
  const fromFile = existsSync(".env") ? parseEnvFile(readFileSync(".env", "utf8"), ".env") : {};
  return { ...fromFile, ...process.env };
}

/** The store the bot and the playground use: DATABASE_URL's, else the SQLite file (its folder made first). */
export function openConsoleStore(env: Record<string, string | undefined>): Promise<AsyncStore> {
  const databaseUrl = env.DATABASE_URL?.trim() || undefined;
  const databasePath = env.DATABASE_PATH?.trim() || DEFAULT_DATABASE_PATH;
  if (databaseUrl === undefined) mkdirSync(path.dirname(databasePath), { recursive: true });
  return openAsyncStore({ databaseUrl, databasePath });
}

/** Opens the store; `fixed`: the --model file's handle, which then answers instead of the space's. */
export async function openConsoleSpace(env: Record<string, string | undefined>, fixed?: ModelHandle): Promise<ConsoleSpace> {
  const store = await openConsoleStore(env);
  const registry = new ModelRegistry({
    models: store.models,
    defaultModelPath: env.DEFAULT_MODEL_PATH?.trim() || undefined,
    modelsDir: modelsDirFrom(env),
    kernels: fastestKernels(),
    onWarning: (m) => process.stderr.write(`warning: ${m}\n`),
  });
  const space = LOCAL_SPACE;
  return {
    handle: async () => fixed ?? (await registry.forGuild(space)),
    redactor: () => redactorFor(store, space),
    // the playground is one person's: its stored texts are theirs, no author is asked
    sources: () => sourceScopeFor(store, space, null),
    store,
    registry,
    space,
    location: store.location,
    close: () => store.close(),
  };
}
