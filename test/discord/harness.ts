/**
 * Starts the fake Discord and the real bot against it, in a temp folder with a tiny default
 * model, with the commands registered (so the fake types interaction options like Discord).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { startBot, type BotHandle } from "../../src/adapters/discord/bot.ts";
import { deployCommands } from "../../src/adapters/discord/deploy.ts";
import { loadCommands } from "../../src/adapters/discord/command-loader.ts";
import type { Logger } from "../../src/adapters/discord/log.ts";
import type { ModelHandle } from "../../src/app/model-handle.ts";
import { ModelRegistry, type ModelRegistryOptions } from "../../src/app/model-registry.ts";
import { type TrainingOverrides, TrainingService } from "../../src/app/training-service.ts";
import { type Config, readConfig } from "../../src/config.ts";
import { type AsyncStore, openAsyncStore } from "../../src/store/async-store.ts";
import type { RateLimiter } from "../../src/app/rate-limit.ts";
import { FakeDiscord, type FakeDiscordOptions } from "../fake-discord/server.ts";
import { writeTinyModel } from "./tiny-model.ts";

/** A registry whose answer a test can override (e.g. a model that writes "@everyone"). */
export class TestRegistry extends ModelRegistry {
  override: ModelHandle | undefined;
  override async forGuild(guildId: string | null | undefined): Promise<ModelHandle> {
    return this.override ?? super.forGuild(guildId);
  }
}

export interface LogLine {
  level: "info" | "warn" | "error";
  message: string;
  context?: Record<string, unknown>;
  error?: unknown;
}

export interface Harness {
  fake: FakeDiscord;
  bot: BotHandle;
  config: Config;
  registry: TestRegistry;
  training: TrainingService;
  logs: LogLine[];
  dir: string;
  stop(): Promise<void>;
}

export function testConfig(fake: FakeDiscord, dir: string, extra: Record<string, string> = {}): Config {
  return readConfig({
    DISCORD_TOKEN: fake.token,
    DISCORD_APPLICATION_ID: fake.applicationId,
    DISCORD_API_URL: fake.apiUrl,
    DATABASE_PATH: path.join(dir, "bot.db"),
    DEFAULT_MODEL_PATH: path.join(dir, "default-model.safetensors"),
    ...extra,
  });
}

export function capturingLogger(lines: LogLine[]): Logger {
  return {
    info: (message, context) => lines.push({ level: "info", message, context }),
    warn: (message, context) => lines.push({ level: "warn", message, context }),
    error: (message, context, error) => lines.push({ level: "error", message, context, error }),
  };
}

export interface HarnessOptions extends FakeDiscordOptions {
  /** e.g. a fixed small number of steps, so /train ends in seconds */
  training?: TrainingOverrides;
  /** the per-user limit on expensive work (default: none, so tests can send bursts) */
  rateLimiter?: RateLimiter;
  /** fills the store before the bot starts (e.g. messages from before a restart) */
  seed?: (store: AsyncStore, fake: FakeDiscord) => unknown;
  /** the PostgreSQL store (a database of test/helpers/postgres-server.ts); default the SQLite file in `dir` */
  databaseUrl?: string;
  /** a fake Discord already started (stopped with the harness) */
  fake?: FakeDiscord;
  /** the folder of the database and default model (removed with the harness); default a new temp folder */
  dir?: string;
  /** the memory a training may use (default: the machine's free memory) */
  availableMemory?: () => number;
  /** more of the registry's options (e.g. a models folder of imported models) */
  registry?: Partial<ModelRegistryOptions>;
  /** what a finished training's model does (the bot asks; the default here switches, as older tests expect) */
  installPolicy?: "ask" | "switch";
  /** the host's imported models (MODELS_DIR) */
  modelsDir?: string;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const dir = options.dir ?? mkdtempSync(path.join(tmpdir(), "bot-test-"));
  const fake = options.fake ?? (await FakeDiscord.start(options));
  const config = testConfig(fake, dir, options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {});
  writeTinyModel(config.defaultModelPath!);
  const logs: LogLine[] = [];
  const store = await openAsyncStore({ databaseUrl: config.databaseUrl, databasePath: config.databasePath });
  await options.seed?.(store, fake);
  const registry = new TestRegistry({
    models: store.models,
    defaultModelPath: config.defaultModelPath,
    ...(options.installPolicy && { installPolicy: options.installPolicy }),
    ...(options.modelsDir && { modelsDir: options.modelsDir }),
    ...options.registry,
  });
  const training = new TrainingService({
    store,
    registry,
    overrides: options.training,
    ...(options.availableMemory && { availableMemory: options.availableMemory }),
    onWarning: (message) => logs.push({ level: "warn", message }),
  });
  const commands = await loadCommands();
  await deployCommands(config, commands);
  const bot = await startBot(config, {
    store,
    registry,
    commands,
    training,
    log: capturingLogger(logs),
    rateLimiter: options.rateLimiter ?? null,
  });
  return {
    fake,
    bot,
    config,
    registry,
    training,
    logs,
    dir,
    async stop() {
      await bot.stop();
      await store.close();
      await fake.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Width and height from a PNG's IHDR chunk (after checking the signature). */
export function pngSize(bytes: Uint8Array): { width: number; height: number } {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (!signature.every((b, i) => bytes[i] === b)) throw new Error("not a PNG: wrong signature");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (String.fromCharCode(...bytes.subarray(12, 16)) !== "IHDR") throw new Error("not a PNG: no IHDR chunk first");
  return { width: view.getUint32(16), height: view.getUint32(20) };
}
