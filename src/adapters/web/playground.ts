/**
 * `npm start` without a Discord token: the same bot in a browser. Opens the bot's SQLite store
 * (the playground's models live in its "local" space), and serves the page on 127.0.0.1.
 *
 *   PORT  the port (default 3000)        HOST  the interface (default 127.0.0.1: this computer only)
 *   DATABASE_PATH  the store (default data/bot.db, the bot's)
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import { fastestKernels } from "../../app/kernels.ts";
import { ModelRegistry } from "../../app/model-registry.ts";
import { TrainingService } from "../../app/training-service.ts";
import { DEFAULT_DATABASE_PATH } from "../../config.ts";
import { openStore } from "../../store/index.ts";
import { LOCAL_SPACE, startWebServer, type WebServer } from "./server.ts";

export const DEFAULT_PORT = 3000;

export interface PlaygroundSettings {
  host: string;
  port: number;
  databasePath: string;
}

/** The settings from the environment; a bad PORT is an error that names it. */
export function playgroundSettings(env: Record<string, string | undefined> = process.env): PlaygroundSettings {
  const rawPort = env.PORT?.trim();
  const port = rawPort ? Number(rawPort) : DEFAULT_PORT;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a whole number from 0 to 65535, got "${rawPort}"`);
  return { host: env.HOST?.trim() || "127.0.0.1", port, databasePath: env.DATABASE_PATH?.trim() || DEFAULT_DATABASE_PATH };
}

export interface Playground {
  web: WebServer;
  stop(): Promise<void>;
}

export async function startPlayground(settings: PlaygroundSettings): Promise<Playground> {
  mkdirSync(path.dirname(settings.databasePath), { recursive: true });
  const store = openStore(settings.databasePath);
  const warn = (m: string, err?: unknown) =>
    console.warn(err === undefined ? m : `${m}: ${err instanceof Error ? err.message : String(err)}`);
  // a training this space had when the last playground stopped died with it
  store.runs.markInterrupted([LOCAL_SPACE]);
  const registry = new ModelRegistry({ models: store.models, kernels: fastestKernels(), onWarning: warn });
  const training = new TrainingService({ store, registry, onWarning: warn });
  let web: WebServer;
  try {
    web = await startWebServer({
      registry,
      store,
      training,
      host: settings.host,
      port: settings.port,
      onError: (m, e) => console.error(m, e),
    });
  } catch (err) {
    store.close();
    if ((err as NodeJS.ErrnoException).code === "EADDRINUSE")
      throw new Error(`port ${settings.port} on ${settings.host} is already in use: stop the other program or set PORT to another port`);
    throw err;
  }
  return {
    web,
    async stop() {
      await training.shutdown();
      await web.close();
      store.close();
    },
  };
}
