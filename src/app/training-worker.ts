/**
 * Runs trainModel in a worker thread, so the bot's event loop never runs a training step.
 * In:  workerData = { documents, options, stopFlag: SharedArrayBuffer(4) }; with options.initFrom
 *      (a file or folder) or options.baseCheckpoint (bytes) the base model is loaded here (its weights in this thread's memory, outside the kernels')
 * Out: messages { type: "progress" | "checkpoint" | "done" | "error", ... }; an error of too little
 *      text carries its numbers as `corpusTooSmall`
 * Stop: the parent sets stopFlag[0] = 1; the run ends after the current step with a checkpoint.
 */
import { parentPort, workerData } from "node:worker_threads";
import { type BaseModel, baseOf, CorpusTooSmallError, trainModel, type TrainModelOptions } from "./train-model.ts";
import { loadModelFile } from "./load-model.ts";
import { loadCheckpointBytes } from "../model/checkpoint.ts";
import { tokenizerFromJSON } from "../tokenizer/from-json.ts";
import { MemoryTooSmallError } from "./training-memory.ts";
import { trainingKernels } from "./kernels.ts";
import type { TrainingSummary } from "./training-job.ts";
import { lowerThisThreadPriority } from "./background-priority.ts";

const { documents, options, stopFlag } = workerData as { documents: string[]; options: TrainModelOptions; stopFlag: SharedArrayBuffer };
const stop = new Int32Array(stopFlag);
const port = parentPort!;
let lastProgressPost = 0;

try {
  // 0. background work: this thread and the kernel threads it starts (they inherit it) yield to the bot's
  lowerThisThreadPriority();
  const kernels = trainingKernels();
  // the base of a fine-tuning, on the readable kernels: its copy stays out of the kernels' 4 GiB
  const base = options.base ?? (await loadBase(options));
  const trained = trainModel(
    documents,
    { ...options, base },
    {
      shouldStop: () => Atomics.load(stop, 0) === 1,
      onProgress: (p) => {
        // at most ~10 progress messages a second
        const now = Date.now();
        if (now - lastProgressPost >= 100 || p.step === p.totalSteps) {
          lastProgressPost = now;
          port.postMessage({ type: "progress", progress: p });
        }
      },
      onCheckpoint: (bytes, p) => {
        const copy = bytes.slice();
        port.postMessage({ type: "checkpoint", bytes: copy, progress: p }, [copy.buffer]);
      },
    },
    kernels,
  );
  const { state: _state, ...result } = trained.result; // the optimizer state stays here
  const summary: TrainingSummary = {
    ...result,
    corpus: trained.corpus,
    kept: trained.kept,
    vocabSize: trained.tokenizer.vocabSize,
    kernels: kernels.name,
  };
  port.postMessage({ type: "done", summary });
} catch (err) {
  // a structured error keeps its numbers: the parent rebuilds it
  const corpusTooSmall = err instanceof CorpusTooSmallError ? err.counts : undefined;
  const memoryTooSmall = err instanceof MemoryTooSmallError ? err.counts : undefined;
  port.postMessage({
    type: "error",
    message: (err as Error).message,
    ...(corpusTooSmall && { corpusTooSmall }),
    ...(memoryTooSmall && { memoryTooSmall }),
  });
}

/** The base named by a path or given as checkpoint bytes, under options.baseName when given. */
async function loadBase(o: TrainModelOptions): Promise<BaseModel | undefined> {
  if (o.baseCheckpoint) {
    const { config, params, meta } = loadCheckpointBytes(o.baseCheckpoint, "the base model");
    return { name: o.baseName ?? "base", config, params, tokenizer: tokenizerFromJSON(meta.tokenizer) };
  }
  if (!o.initFrom) return undefined;
  const base = baseOf(await loadModelFile(o.initFrom));
  return o.baseName ? { ...base, name: o.baseName } : base;
}
