/**
 * One load run: the fake Discord in a child process (fake-discord-child.ts), the real bot in
 * this one with a training going on production's thread count (MINIGPT_THREADS unset: two
 * threads on a 2-core machine), then `count` interactions at once. Returns what Discord saw and
 * the depth of the bot's heavy queue, sampled every 10 ms.
 * Used by test/trust/load.test.ts (a correctness check) and `npm run bench -- load` (the figures).
 */
import { type ChildProcess, fork } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import path from "node:path";
import { startBot } from "../../src/adapters/discord/bot.ts";
import { loadCommands } from "../../src/adapters/discord/command-loader.ts";
import { deployCommands } from "../../src/adapters/discord/deploy.ts";
import type { Logger } from "../../src/adapters/discord/log.ts";
import { ModelRegistry } from "../../src/app/model-registry.ts";
import { TrainingService } from "../../src/app/training-service.ts";
import { readConfig } from "../../src/config.ts";
import { openAsyncStore } from "../../src/store/async-store.ts";
import { writeTinyModel } from "../discord/tiny-model.ts";
import type { LoadSample } from "./fake-discord-child.ts";

export interface LoadRun {
  samples: LoadSample[];
  /** the heavy queue's depth every 10 ms during the load */
  depths: number[];
  /** the training worker's kernel threads (the rule of src/app/kernels.ts trainingKernels) */
  threads: number;
  /** the training was still training when the load had been answered */
  stillTraining: boolean;
  totalMs: number;
}

const CHILD = path.join(import.meta.dirname, "fake-discord-child.ts");
const silent: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** The next message of `type` from the child. */
function next<T>(child: ChildProcess, type: string, timeoutMs = 120_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the fake Discord process sent no "${type}" within ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (m: { type: string }) => {
      if (m.type !== type) return;
      clearTimeout(timer);
      child.off("message", onMessage);
      resolve(m as T);
    };
    child.on("message", onMessage);
  });
}

export async function runLoad(count: number, log: Logger = silent): Promise<LoadRun> {
  // production's thread count for the training worker (the test suite sets MINIGPT_THREADS=1)
  const threadsBefore = process.env.MINIGPT_THREADS;
  delete process.env.MINIGPT_THREADS;
  const dir = mkdtempSync(path.join(tmpdir(), "load-"));
  const child = fork(CHILD, [], { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
  let stopBot: (() => Promise<void>) | undefined;
  try {
    const ready = await next<{ apiUrl: string; token: string; applicationId: string; guildId: string }>(child, "ready");
    const config = readConfig({
      DISCORD_TOKEN: ready.token,
      DISCORD_APPLICATION_ID: ready.applicationId,
      DISCORD_API_URL: ready.apiUrl,
      DATABASE_PATH: path.join(dir, "bot.db"),
      DEFAULT_MODEL_PATH: writeTinyModel(path.join(dir, "default-model.safetensors")),
    });
    const store = await openAsyncStore({ databasePath: config.databasePath });
    const registry = new ModelRegistry({ models: store.models, defaultModelPath: config.defaultModelPath });
    // a long run, so it is still training while the load arrives
    const training = new TrainingService({ store, registry, overrides: { steps: 100_000, evalInterval: 50, evalBatches: 2 } });
    const commands = await loadCommands();
    await deployCommands(config, commands);
    const bot = await startBot(config, { store, registry, commands, training, log, rateLimiter: null });
    stopBot = async () => {
      await bot.stop();
      await store.close();
    };

    // 1. a training, under way
    child.send({ type: "seed" });
    await next(child, "seeded");
    child.send({ type: "train" });
    await next(child, "training-asked");
    const guild = ready.guildId;
    for (let i = 0; i < 1200 && training.current(guild)?.snapshot().phase !== "training"; i++) await new Promise((r) => setTimeout(r, 50));
    if (training.current(guild)?.snapshot().phase !== "training") throw new Error("the training did not start within 60 s");

    // 2. the load, with the heavy queue's depth sampled meanwhile
    const depths: number[] = [];
    const sampler = setInterval(() => depths.push(bot.heavy.waiting), 10);
    const started = performance.now();
    child.send({ type: "load", count });
    const { samples } = await next<{ samples: LoadSample[] }>(child, "results", 300_000);
    const totalMs = performance.now() - started;
    clearInterval(sampler);
    const stillTraining = training.current(guild)?.snapshot().phase === "training";
    training.stop(guild);
    return { samples, depths, threads: availableParallelism() < 2 ? 1 : 2, stillTraining, totalMs };
  } finally {
    if (threadsBefore === undefined) delete process.env.MINIGPT_THREADS;
    else process.env.MINIGPT_THREADS = threadsBefore;
    await stopBot?.();
    if (child.connected) child.send({ type: "stop" });
    await new Promise((r) => (child.exitCode !== null ? r(null) : child.once("exit", r)));
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The value below which a fraction `p` of `xs` lies (nearest rank). */
export function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return Number.NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}
