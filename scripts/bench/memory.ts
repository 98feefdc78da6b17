/**
 * `npm run bench -- memory`: the peak resident memory (maxRSS) of a training of `baby` on the
 * shipped corpus, each in a fresh process (this file, run as a program), three ways:
 *   idle    the same modules loaded and the kernels created, no training (the baseline)
 *   thread  trainModel on the process's main thread (the training's own memory)
 *   bot     the bot's way: a TrainingService (SQLite store, model registry) training in a worker
 *           thread, the model installed at the end
 * next to the bytes of the model and its optimizer, for scale.
 *
 *   npx tsx scripts/bench.ts memory                              (the section)
 *   node --import tsx scripts/bench/memory.ts thread 30          (one process, printed as JSON)
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { readCorpus, SHIPPED_CORPUS_DIR, splitDocuments } from "../../src/app/corpus.ts";
import { fastestKernels } from "../../src/app/kernels.ts";
import { ModelRegistry } from "../../src/app/model-registry.ts";
import { trainModel, type TrainModelOptions } from "../../src/app/train-model.ts";
import { TrainingService, vocabSizeFor } from "../../src/app/training-service.ts";
import { presetConfig } from "../../src/model/config.ts";
import { countParams } from "../../src/model/params.ts";
import { openAsyncStore } from "../../src/store/async-store.ts";
import type { WasmKernels } from "../../src/tensor/wasm/index.ts";
import { fmt, isEntryPoint, loadLine, MiB, runChild, type Spread, spread } from "./stats.ts";

type Mode = "idle" | "thread" | "bot";

interface ProcessMemory {
  maxRssMiB: number;
  /** of the trained model (null when idle) */
  vocabSize: number | null;
  steps: number;
  seconds: number;
  /** the main thread's WebAssembly memory at the end (the engine's buffers, when it trained there) */
  wasmMiB: number | null;
  heapUsedMiB: number;
}

const STEPS = 30;
const EVAL_INTERVAL = 15;
/** as the TrainingService evaluates */
const EVAL_BATCHES = 10;

// ---------------------------------------------------------------------------------------------
// the section (in the bench process)

export function benchMemory(runs = 3, steps = STEPS): void {
  console.log(
    `\n## memory: peak RSS of a training of baby on data/corpus (${steps} steps, a checkpoint every ${EVAL_INTERVAL}; MiB, median (min, max) of ${runs} processes)`,
  );
  console.log(loadLine());
  const results: Partial<Record<Mode, ProcessMemory[]>> = {};
  const labels: Record<Mode, string> = {
    idle: "idle: modules loaded, kernels created",
    thread: "training on the main thread (trainModel)",
    bot: "the bot's way (TrainingService, worker thread)",
  };
  let idleMedian: number | null = null;
  for (const mode of ["idle", "thread", "bot"] as const) {
    const got: ProcessMemory[] = [];
    for (let i = 0; i < runs; i++) {
      const r = runChild(import.meta.url, [mode, String(steps)], 600);
      if ("failed" in r) {
        console.log(`${labels[mode]}: failed: ${r.failed}`);
        break;
      }
      got.push(r.json as ProcessMemory);
    }
    if (got.length === 0) continue;
    results[mode] = got;
    const rss: Spread = spread(got.map((m) => m.maxRssMiB));
    if (mode === "idle") idleMedian = rss.median;
    const over = mode !== "idle" && idleMedian !== null ? `, +${(rss.median - idleMedian).toFixed(0)} over idle` : "";
    const took = mode === "idle" ? "" : `; ${got[0].steps} steps in ${spread(got.map((m) => m.seconds)).median.toFixed(1)} s`;
    console.log(`${(`${labels[mode]}:`).padEnd(50)} ${fmt(rss, 0)} MiB${over}${took}`);
  }

  // for scale: the model and its optimizer, as trained (V from the tokenizer the run learned)
  const trained = results.thread?.[0] ?? results.bot?.[0];
  if (trained?.vocabSize) {
    const n = countParams(presetConfig("baby", trained.vocabSize));
    const mib = (bytes: number) => (bytes / MiB).toFixed(1);
    console.log(
      `for scale: baby at V = ${trained.vocabSize} has ${(n / 1e6).toFixed(2)} M parameters: ${mib(4 * n)} MiB as float32; ` +
        `parameters + gradients + AdamW's two moments: ${mib(16 * n)} MiB`,
    );
  }
  const wasm = results.thread?.map((m) => m.wasmMiB).filter((x): x is number => x !== null) ?? [];
  if (wasm.length) {
    console.log(
      `the engine's WebAssembly memory after training on the main thread: ${fmt(spread(wasm), 1)} MiB (those, activations and scratch); ` +
        `JS heap in use: ${fmt(spread(results.thread!.map((m) => m.heapUsedMiB)), 1)} MiB`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// one process

async function run(mode: Mode, steps: number): Promise<ProcessMemory> {
  const kernels = fastestKernels();
  const documents = splitDocuments(readCorpus(SHIPPED_CORPUS_DIR));
  let vocabSize: number | null = null;
  let doneSteps = 0;
  let seconds = 0;
  if (mode === "thread") {
    // the options the TrainingService gives the worker, with a fixed number of steps
    const options: TrainModelOptions = {
      preset: "baby",
      tokenizer: "bpe",
      vocabSize: vocabSizeFor(documents, "bpe"),
      seed: 1337,
      steps,
      evalInterval: EVAL_INTERVAL,
      evalBatches: EVAL_BATCHES,
    };
    const trained = trainModel(documents, options, {}, kernels);
    vocabSize = trained.tokenizer.vocabSize;
    doneSteps = trained.result.steps;
    seconds = trained.result.seconds;
  } else if (mode === "bot") {
    const dir = mkdtempSync(path.join(tmpdir(), "minigpt-bench-"));
    const store = await openAsyncStore({ databasePath: path.join(dir, "bot.db") });
    try {
      const registry = new ModelRegistry({ models: store.models, kernels });
      const service = new TrainingService({
        store,
        registry,
        overrides: { steps, evalInterval: EVAL_INTERVAL, evalBatches: EVAL_BATCHES },
      });
      const training = service.begin("bench", { preset: "baby", minutes: 10 });
      await training.train(documents);
      const outcome = await training.done;
      if (outcome.status !== "done") throw new Error(`the training ended ${outcome.status}: ${outcome.error}`);
      vocabSize = outcome.summary?.vocabSize ?? null;
      doneSteps = outcome.step;
      seconds = outcome.seconds;
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const memory = (kernels as Partial<WasmKernels>).memory;
  return {
    maxRssMiB: Math.round((process.resourceUsage().maxRSS * 1024) / MiB),
    vocabSize,
    steps: doneSteps,
    seconds,
    wasmMiB: mode === "thread" && memory ? Math.round((memory.buffer.byteLength / MiB) * 10) / 10 : null,
    heapUsedMiB: Math.round((process.memoryUsage().heapUsed / MiB) * 10) / 10,
  };
}

if (isEntryPoint(import.meta.url)) {
  const mode = process.argv[2] as Mode;
  if (!["idle", "thread", "bot"].includes(mode)) throw new Error(`usage: memory.ts idle|thread|bot [steps], got ${mode}`);
  console.log(JSON.stringify(await run(mode, Number(process.argv[3] ?? STEPS))));
}
