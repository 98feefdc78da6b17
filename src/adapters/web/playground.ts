/**
 * `npm start` without a Discord token: the same bot in a browser. Opens the bot's store (the
 * playground's models live in its "local" space), and serves the page on 127.0.0.1.
 *
 *   PORT  the port (default 3000)        HOST  the interface (default 127.0.0.1: this computer only)
 *   DATABASE_PATH  the SQLite store (default data/bot.db, the bot's)
 *   DATABASE_URL   the PostgreSQL store instead (postgres://…), as the bot's
 *   ALLOWED_HOSTS  more host names the browser may use (comma-separated), e.g. "pi.local"
 *
 * With HOST not a loopback address, the playground asks for a secret kept beside the database
 * (secret.ts, access.ts).
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import { fastestKernels } from "../../app/kernels.ts";
import { ModelRegistry } from "../../app/model-registry.ts";
import { modelsDirFrom } from "../../app/imported-models.ts";
import { TrainingService } from "../../app/training-service.ts";
import { DEFAULT_DATABASE_PATH } from "../../config.ts";
import { openAsyncStore } from "../../store/async-store.ts";
import { databaseUrlProblem } from "../../store/database-url.ts";
import { LOCAL_SPACE, startWebServer, type WebServer } from "./server.ts";
import { isLoopbackHost } from "./access.ts";
import { loadOrCreateSecret, type PlaygroundSecret } from "./secret.ts";

export const DEFAULT_PORT = 3000;

export interface PlaygroundSettings {
  host: string;
  allowedHosts: string[];
  port: number;
  /** the SQLite file (and the folder of the secret) */
  databasePath: string;
  /** the PostgreSQL store, when set */
  databaseUrl?: string;
}

/** The settings from the environment; a bad PORT is an error that names it. */
export function playgroundSettings(env: Record<string, string | undefined> = process.env): PlaygroundSettings {
  const rawPort = env.PORT?.trim();
  const port = rawPort ? Number(rawPort) : DEFAULT_PORT;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a whole number from 0 to 65535, got "${rawPort}"`);
  const allowedHosts = (env.ALLOWED_HOSTS ?? "")
    .split(",")
    .map((h) => h.trim())
    .filter((h) => h.length > 0);
  for (const name of allowedHosts)
    if (!/^[A-Za-z0-9.:[\]-]+$/.test(name)) throw new Error(`ALLOWED_HOSTS holds host names separated by commas, got "${name}"`);
  const databaseUrl = env.DATABASE_URL?.trim() || undefined;
  const urlProblem = databaseUrl === undefined ? null : databaseUrlProblem(databaseUrl);
  if (urlProblem !== null) throw new Error(urlProblem);
  return {
    host: env.HOST?.trim() || "127.0.0.1",
    allowedHosts,
    port,
    databasePath: env.DATABASE_PATH?.trim() || DEFAULT_DATABASE_PATH,
    ...(databaseUrl !== undefined && { databaseUrl }),
  };
}

export interface Playground {
  web: WebServer;
  /** the secret asked for (HOST not a loopback address), else null */
  secret: PlaygroundSecret | null;
  stop(): Promise<void>;
}

export async function startPlayground(settings: PlaygroundSettings): Promise<Playground> {
  mkdirSync(path.dirname(settings.databasePath), { recursive: true });
  const secret = isLoopbackHost(settings.host) ? null : loadOrCreateSecret(settings.databasePath);
  const store = await openAsyncStore({ databaseUrl: settings.databaseUrl, databasePath: settings.databasePath });
  const warn = (m: string, err?: unknown) =>
    console.warn(err === undefined ? m : `${m}: ${err instanceof Error ? err.message : String(err)}`);
  // a training this space had when the last playground stopped died with it
  try {
    await store.runs.markInterrupted([LOCAL_SPACE]);
  } catch (err) {
    await store.close();
    throw err;
  }
  // a training that is not better than the model in use asks (the panel's "Use it") instead of switching
  const registry = new ModelRegistry({
    models: store.models,
    modelsDir: modelsDirFrom(),
    kernels: fastestKernels(),
    onWarning: warn,
    installPolicy: "ask",
  });
  const training = new TrainingService({ store, registry, onWarning: warn });
  let web: WebServer;
  try {
    web = await startWebServer({
      registry,
      store,
      training,
      host: settings.host,
      allowedHosts: settings.allowedHosts,
      secret: secret?.secret ?? null,
      port: settings.port,
      onError: (m, e) => console.error(m, e),
    });
  } catch (err) {
    await store.close();
    if ((err as NodeJS.ErrnoException).code === "EADDRINUSE")
      throw new Error(`port ${settings.port} on ${settings.host} is already in use: stop the other program or set PORT to another port`);
    throw err;
  }
  return {
    web,
    secret,
    async stop() {
      await training.shutdown();
      await web.close();
      await store.close();
    },
  };
}
