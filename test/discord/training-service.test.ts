/**
 * The guild training service with a scripted job instead of a worker: one training per guild,
 * the text guard, points to the store, install at the end (done or stopped), failures and
 * shutdown leave the guild's model alone.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ModelRegistry } from "../../src/app/model-registry.ts";
import type { TrainModelOptions } from "../../src/app/train-model.ts";
import type { TrainingJob, TrainingJobHooks, TrainingSummary } from "../../src/app/training-job.ts";
import { corpusRequirement, type GuildTraining, TrainingError, TrainingService } from "../../src/app/training-service.ts";
import { asyncSqliteStore } from "../../src/store/async-store.ts";
import { openStore, type Store } from "../../src/store/index.ts";
import type { Progress } from "../../src/train/trainer.ts";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { tinyCheckpointBytes, writeTinyModel } from "./tiny-model.ts";
import { CorpusTooSmallError } from "../../src/app/train-model.ts";

interface ScriptedJob {
  documents: string[];
  options: TrainModelOptions;
  hooks: TrainingJobHooks;
  stopped: boolean;
  killed: boolean;
  finish(summary?: Partial<TrainingSummary>): void;
  crash(error: string | Error): void;
}

let store: Store;
let registry: ModelRegistry;
let service: TrainingService;
let jobs: ScriptedJob[];
let warnings: string[];
let dir: string;

const DOCS = Array.from({ length: 40 }, (_, i) => `message number ${i} about the weather and lunch`);

function progress(step: number, valLoss: number | null = null, totalSteps = 100): Progress {
  return {
    step,
    trainLoss: 5 - step / 100,
    valLoss,
    lr: 1e-3,
    tokens: step * 128,
    totalSteps,
    tokensPerSecond: 1000,
    elapsedSeconds: step / 10,
    stepSeconds: step / 12,
    etaSeconds: (totalSteps - step) / 10,
  };
}

function summary(steps: number, stopped: TrainingSummary["stopped"] = "done"): TrainingSummary {
  return {
    steps,
    totalSteps: 100,
    finalTrainLoss: 4,
    finalValLoss: 4.2,
    bestValLoss: 4.2,
    firstPlan: null,
    replans: 0,
    seconds: 3,
    stepSeconds: 2.5,
    tokensPerSecond: 1000,
    stopped,
    planned: false,
    corpus: { documents: 40, characters: 1800, tokens: 900, unknown: 0 },
    kept: { step: steps, lastStep: steps, heldOutLoss: 4.2, lastHeldOutLoss: 4.2 },
    vocabSize: 300,
    kernels: "typescript",
    curve: Array.from({ length: steps }, (_, i) => ({
      step: i + 1,
      trainLoss: 5 - i / 100,
      valLoss: null,
      lr: 1e-3,
      tokens: (i + 1) * 128,
    })),
  };
}

/** A job the test drives: its reports and its end come when the test says. */
function startScripted(documents: string[], options: TrainModelOptions, hooks: TrainingJobHooks): TrainingJob {
  let resolve!: (s: TrainingSummary) => void;
  let reject!: (e: Error) => void;
  const done = new Promise<TrainingSummary>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  const job: ScriptedJob = {
    documents,
    options,
    hooks,
    stopped: false,
    killed: false,
    finish: (s) => resolve({ ...summary(100), ...s }),
    crash: (error) => reject(typeof error === "string" ? new Error(error) : error),
  };
  jobs.push(job);
  return {
    stop: () => {
      job.stopped = true;
    },
    kill: async () => {
      job.killed = true;
      reject(new Error("training worker exited (code 1) before finishing"));
    },
    done,
  };
}

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "training-service-"));
  store = openStore(":memory:");
  const shared = asyncSqliteStore(store);
  registry = new ModelRegistry({ models: shared.models, defaultModelPath: writeTinyModel(path.join(dir, "default.safetensors")) });
  jobs = [];
  warnings = [];
  service = new TrainingService({
    store: shared,
    registry,
    keepModels: 2,
    onWarning: (m) => warnings.push(m),
    startJob: startScripted,
  });
});

afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function started(guildId = "g1"): Promise<{ training: GuildTraining; job: ScriptedJob }> {
  const training = service.begin(guildId, { preset: "tiny", minutes: 2 });
  store.messages.addMany(DOCS.map((text, i) => ({ id: String(1000 + i), guildId, channelId: "c", authorId: "a", text, createdAt: i })));
  await training.train();
  return { training, job: jobs.at(-1)! };
}

describe("the training service", () => {
  it("allows one training per guild, and hands back the running one", async () => {
    const { training } = await started("g1");
    let refused: unknown;
    try {
      service.begin("g1", { preset: "baby", minutes: 5 });
    } catch (err) {
      refused = err;
    }
    expect(refused).toBeInstanceOf(TrainingError);
    expect((refused as TrainingError).code).toBe("already-training");
    expect((refused as TrainingError).training).toBe(training);
    expect(() => service.begin("g2", { preset: "tiny", minutes: 1 }).cancel()).not.toThrow();
    expect(service.current("g2")).toBeUndefined();
  });

  it("trains on the guild's stored messages, oldest first, with the character BPE and the time budget", async () => {
    store.messages.add({ id: "1", guildId: "other", channelId: "c", authorId: "a", text: "someone else's secret", createdAt: 0 });
    const { job } = await started("g1");
    expect(job.documents).toEqual(DOCS);
    expect(job.options).toMatchObject({ preset: "tiny", tokenizer: "charbpe", minutes: 2 });
    expect(job.options.steps).toBeUndefined();
    expect(store.runs.running("g1")?.options).toMatchObject({ messages: 40, preset: "tiny" });
  });

  it("a resumed run keeps its checkpoint's tokenizer kind (here a char model), not the default", async () => {
    const training = service.begin("g1", { preset: "tiny", minutes: 2, resumeFrom: { runId: 7, checkpoint: tinyCheckpointBytes() } });
    await training.train(DOCS);
    expect(jobs.at(-1)!.options).toMatchObject({ tokenizer: "char" });
  });

  it("refuses too little text with the numbers, and frees the guild", async () => {
    const training = service.begin("g1", { preset: "baby", minutes: 5 });
    store.messages.add({ id: "1", guildId: "g1", channelId: "c", authorId: "a", text: "hi", createdAt: 0 });
    let refused: TrainingError | undefined;
    try {
      await training.train();
    } catch (err) {
      refused = err as TrainingError;
    }
    const need = corpusRequirement("baby");
    expect(refused?.code).toBe("not-enough-text");
    expect(refused?.values).toEqual({
      messages: 1,
      characters: 2,
      needMessages: need.messages,
      needCharacters: need.characters,
      preset: "baby",
    });
    expect(service.current("g1")).toBeUndefined();
    expect(store.runs.latest("g1")).toBeUndefined();
    expect(jobs).toHaveLength(0);
  });

  it("stores the points, installs the last checkpoint at the end, and keeps only the newest models", async () => {
    for (let round = 1; round <= 3; round++) {
      const { training, job } = await started("g1");
      job.hooks.onProgress!(progress(5));
      job.hooks.onCheckpoint!(tinyCheckpointBytes(round, 10), progress(10, 4.5));
      job.hooks.onProgress!(progress(20));
      expect(training.snapshot()).toMatchObject({ phase: "training", step: 20, totalSteps: 100, valLoss: 4.5 });
      await training.stored();
      expect(store.runs.points("g1", training.runId!).map((p) => p.step)).toEqual([5, 10, 20]);
      // the guild keeps its previous model until the new one is complete
      expect((await registry.forGuild("g1")).name).toBe(round === 1 ? "default model" : `server model #${round - 1}`);
      job.hooks.onCheckpoint!(tinyCheckpointBytes(round, 100), progress(100, 4.1));
      job.finish();
      const outcome = await training.done;
      expect(outcome).toMatchObject({ status: "done", step: 100, valLoss: 4.1 });
      expect(outcome.model?.id).toBe(round);
      expect((await registry.forGuild("g1")).name).toBe(`server model #${round}`);
      expect(store.runs.get("g1", training.runId!)?.status).toBe("done");
      const points = store.runs.points("g1", training.runId!);
      expect(points).toHaveLength(100);
      expect(points.at(-1)).toMatchObject({ step: 100, valLoss: 4.1 });
      expect(service.current("g1")).toBeUndefined();
    }
    expect(store.models.list("g1").map((m) => m.id)).toEqual([3, 2]);
  });

  it("stop: the worker is asked to stop and its last checkpoint is installed", async () => {
    const { training, job } = await started("g1");
    job.hooks.onCheckpoint!(tinyCheckpointBytes(1, 30), progress(30, 4.4));
    service.stop("g1");
    expect(job.stopped).toBe(true);
    expect(training.snapshot().stopRequested).toBe(true);
    job.hooks.onCheckpoint!(tinyCheckpointBytes(1, 31), progress(31, 4.3));
    job.finish(summary(31, "requested"));
    const outcome = await training.done;
    expect(outcome.status).toBe("stopped");
    expect(outcome.model).toMatchObject({ step: 31, valLoss: 3.5 }); // what the checkpoint itself records
    expect(store.runs.latest("g1")?.status).toBe("stopped");
  });

  it("recognises a corpus too small by the error's type and numbers, never by its text", async () => {
    const { training, job } = await started("g1");
    job.crash(new Error("the corpus has 50 tokens; the tiny preset (block 16) needs at least 171, so that 10 % can be held out"));
    const outcome = await training.done;
    expect(outcome).toMatchObject({ status: "failed" });
    expect(outcome.tooFewTokens).toBeUndefined();
  });

  it("a failure keeps the guild's model and says why; a corpus too small for the preset is recognised", async () => {
    const { training, job } = await started("g1");
    job.crash(new CorpusTooSmallError({ tokens: 50, needed: 171, preset: "tiny", blockSize: 16 }));
    const outcome = await training.done;
    expect(outcome).toMatchObject({ status: "failed", model: null, tooFewTokens: { tokens: 50, needed: 171, preset: "tiny" } });
    expect(store.runs.latest("g1")).toMatchObject({ status: "failed" });
    expect(store.runs.latest("g1")?.error).toMatch(/^the corpus has 50 tokens/);
    expect(await registry.hasOwnModel("g1")).toBe(false);
    expect(service.current("g1")).toBeUndefined();
  });

  it("shutdown kills the workers and marks the runs interrupted; nothing is installed", async () => {
    const a = await started("g1");
    const b = await started("g2");
    a.job.hooks.onCheckpoint!(tinyCheckpointBytes(1, 10), progress(10, 4.5));
    const collecting = service.begin("g3", { preset: "tiny", minutes: 1 });
    await service.shutdown();
    expect([a.job.killed, b.job.killed]).toEqual([true, true]);
    expect((await a.training.done).status).toBe("interrupted");
    expect((await collecting.done).status).toBe("interrupted");
    expect(store.runs.latest("g1")?.status).toBe("interrupted");
    expect(await registry.hasOwnModel("g1")).toBe(false);
    expect(service.current("g1") ?? service.current("g2") ?? service.current("g3")).toBeUndefined();
  });

  it("a failing listener or store write never ends the training", async () => {
    const { training, job } = await started("g1");
    training.subscribe(() => {
      throw new Error("listener broke");
    });
    job.hooks.onProgress!(progress(1));
    expect(warnings.some((w) => w.includes("a progress listener failed"))).toBe(true);
    job.hooks.onCheckpoint!(tinyCheckpointBytes(1, 100), progress(100, 4));
    job.finish();
    expect((await training.done).status).toBe("done");
  });
});

describe("the training service on a store that answers late (as PostgreSQL may)", () => {
  /** A promise the test resolves, and a store whose runs.`method` waits for it before doing its work. */
  function lateStore(method: "start" | "addPoint") {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const shared = asyncSqliteStore(store);
    const calls: string[] = [];
    const runs = { ...shared.runs };
    for (const name of ["start", "addPoint", "addPoints", "saveCheckpoint", "finish"] as const) {
      const real = shared.runs[name] as (...args: unknown[]) => Promise<unknown>;
      (runs as Record<string, unknown>)[name] = async (...args: unknown[]) => {
        calls.push(`${name} called`);
        if (name === method) await gate;
        const result = await real(...args);
        calls.push(`${name} done`);
        return result;
      };
    }
    const late = new TrainingService({ store: { ...shared, runs }, registry, startJob: startScripted, onWarning: (m) => warnings.push(m) });
    return { late, open, calls };
  }

  it("a wipe while the run is being started: no worker starts, the run is finished, the outcome says wiped", async () => {
    const { late, open, calls } = lateStore("start");
    store.messages.addMany(
      DOCS.map((text, i) => ({ id: String(1000 + i), guildId: "g1", channelId: "c", authorId: "a", text, createdAt: i })),
    );
    const training = late.begin("g1", { preset: "tiny", minutes: 2 });
    const starting = training.train();
    // the texts are read and the run's row is being written when the wipe comes
    while (!calls.includes("start called")) await new Promise((resolve) => setImmediate(resolve));
    const wiping = late.discard("g1");
    open();
    await starting;
    await wiping;
    expect((await training.done).status).toBe("wiped");
    expect(jobs).toHaveLength(0);
    expect(store.runs.latest("g1")?.status).toBe("interrupted");
    expect(late.current("g1")).toBeUndefined();
  });

  it("writes the reports in order and finishes the run only after them, however late the store answers", async () => {
    const { late, open, calls } = lateStore("addPoint");
    store.messages.addMany(
      DOCS.map((text, i) => ({ id: String(1000 + i), guildId: "g1", channelId: "c", authorId: "a", text, createdAt: i })),
    );
    const training = late.begin("g1", { preset: "tiny", minutes: 2 });
    await training.train();
    const job = jobs.at(-1)!;
    job.hooks.onProgress!(progress(5));
    job.hooks.onCheckpoint!(tinyCheckpointBytes(1, 100), progress(100, 4.1));
    job.finish();
    // the first point's write hangs: nothing after it is written, and the training has not ended
    for (let turn = 0; turn < 5; turn++) await new Promise((resolve) => setImmediate(resolve));
    expect(calls.filter((c) => c.endsWith("called"))).toEqual(["start called", "addPoint called"]);
    expect(training.outcome).toBeNull();
    open();
    expect((await training.done).status).toBe("done");
    expect(calls).toEqual([
      "start called",
      "start done",
      "addPoint called",
      "addPoint done",
      "saveCheckpoint called",
      "saveCheckpoint done",
      "addPoint called",
      "addPoint done",
      "addPoints called",
      "addPoints done",
      "finish called",
      "finish done",
    ]);
    expect(store.runs.latest("g1")?.status).toBe("done");
  });
});
