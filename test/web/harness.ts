/**
 * The playground for tests: the real server on a free port of 127.0.0.1, the shipped default
 * model, a fresh SQLite store in a temp folder (or the store given: a PostgreSQL database, a file
 * of an earlier playground), and trainings of a fixed number of steps.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ModelRegistry, type ModelRegistryOptions } from "../../src/app/model-registry.ts";
import { TrainingService, type TrainingOverrides } from "../../src/app/training-service.ts";
import { fastestKernels } from "../../src/app/kernels.ts";
import { type AsyncStore, openAsyncStore } from "../../src/store/async-store.ts";
import { startWebServer } from "../../src/adapters/web/server.ts";

export interface TestPlayground {
  url: string;
  store: AsyncStore;
  training: TrainingService;
  registry: ModelRegistry;
  /** errors the server logged (a test that expects none checks it is empty) */
  errors: unknown[];
  close(): Promise<void>;
}

export async function startTestPlayground(
  overrides: TrainingOverrides = { steps: 40, evalInterval: 10, evalBatches: 2 },
  /** more of the registry's options: installPolicy (the playground asks before a training takes over), modelsDir… */
  registryOptions: Partial<ModelRegistryOptions> = {},
  trainingOptions: { availableMemory?: () => number } = {},
  /** the store: DATABASE_URL's, or this SQLite file; default a new file */
  target: { databaseUrl?: string; databasePath?: string } = {},
): Promise<TestPlayground> {
  const databasePath = target.databasePath ?? path.join(mkdtempSync(path.join(tmpdir(), "minigpt-web-")), "bot.db");
  const store = await openAsyncStore({ databaseUrl: target.databaseUrl, databasePath });
  const registry = new ModelRegistry({ models: store.models, kernels: fastestKernels(), ...registryOptions });
  const training = new TrainingService({ store, registry, overrides, ...trainingOptions });
  const errors: unknown[] = [];
  const web = await startWebServer({ registry, store, training, port: 0, onError: (_m, e) => errors.push(e) });
  return {
    url: web.url,
    store,
    training,
    registry,
    errors,
    async close() {
      await training.shutdown();
      await web.close();
      await store.close();
    },
  };
}

/** POSTs JSON; returns the status and the parsed answer. */
export async function postJson(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** A training text from the shipped corpus (enough for the baby preset). */
export const TRAINING_TEXT_FILE = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../../data/corpus/en/07-attention.txt");

/** Reads a playground's server-sent events until the stream ends: [event, data][]; refuses a reply that is not an event stream. */
export async function readEvents(url: string): Promise<[string, Record<string, unknown>][]> {
  const response = await fetch(url);
  const type = response.headers.get("content-type") ?? "";
  if (!type.startsWith("text/event-stream")) throw new Error(`${url} answered ${type || "no content type"}, not text/event-stream`);
  const text = await response.text();
  return text
    .split("\n\n")
    .filter((block) => block.startsWith("event:"))
    .map((block) => {
      const [event, data] = block.split("\n");
      return [event.slice(7), JSON.parse(data.slice(6))];
    });
}
