/**
 * A training run in a worker thread, seen from the caller: progress and checkpoints arrive as
 * events, `stop()` asks for a graceful end (the last checkpoint is kept), and `done` settles
 * when the worker has finished, failed or died (a dying worker never takes the caller down).
 */
import { Worker } from "node:worker_threads";
import type { Progress, TrainResult } from "../train/trainer.ts";
import type { TrainModelOptions } from "./train-model.ts";
import { CorpusTooSmallError } from "./train-model.ts";
import { type MemoryTooSmall, MemoryTooSmallError } from "./training-memory.ts";

/** The worker's error as the parent rethrows it: a structured one rebuilt from its numbers. */
function workerError(msg: { message: string; corpusTooSmall?: CorpusTooSmallError["counts"]; memoryTooSmall?: MemoryTooSmall }): Error {
  if (msg.corpusTooSmall) return new CorpusTooSmallError(msg.corpusTooSmall);
  if (msg.memoryTooSmall) return new MemoryTooSmallError(msg.memoryTooSmall);
  return new Error(msg.message);
}

/** The training's result, without the optimizer state (it stays in the worker). */
export interface TrainingSummary extends Omit<TrainResult, "state"> {
  corpus: { documents: number; characters: number; tokens: number; unknown: number };
  vocabSize: number;
  /** the step whose weights were kept (the best val loss), and the last step's held-out loss */
  kept: { step: number; lastStep: number; heldOutLoss: number; lastHeldOutLoss: number };
  /** the kernels it ran on, e.g. "wasm-simd+fma ×2 threads" */
  kernels: string;
}

export interface TrainingJobHooks {
  onProgress?: (p: Progress) => void;
  /** a complete checkpoint (safetensors bytes) after every evaluation */
  onCheckpoint?: (bytes: Uint8Array, p: Progress) => void;
}

export interface TrainingJob {
  stop(): void;
  /** ends the worker at once (no final checkpoint) */
  kill(): Promise<void>;
  done: Promise<TrainingSummary>;
}

export function startTrainingJob(documents: string[], options: TrainModelOptions, hooks: TrainingJobHooks = {}): TrainingJob {
  const stopFlag = new SharedArrayBuffer(4);
  const worker = new Worker(new URL("./worker-boot.mjs", import.meta.url), {
    workerData: { entry: new URL("./training-worker.ts", import.meta.url).href, documents, options, stopFlag },
  });
  const done = new Promise<TrainingSummary>((resolve, reject) => {
    let settled = false;
    const settle = (fn: () => void) => {
      if (!settled) {
        settled = true;
        fn();
      }
    };
    // biome-ignore lint/suspicious/noExplicitAny: messages from the worker, checked by their type field
    worker.on("message", (msg: any) => {
      try {
        if (msg.type === "progress") hooks.onProgress?.(msg.progress);
        else if (msg.type === "checkpoint") hooks.onCheckpoint?.(new Uint8Array(msg.bytes), msg.progress);
        else if (msg.type === "done") settle(() => resolve(msg.summary));
        else if (msg.type === "error") settle(() => reject(workerError(msg)));
      } catch (err) {
        // a failing hook must not leave the job hanging
        settle(() => reject(err as Error));
        void worker.terminate();
      }
    });
    worker.on("error", (err) => settle(() => reject(new Error(`training worker failed: ${err.message}`))));
    worker.on("exit", (code) => settle(() => reject(new Error(`training worker exited (code ${code}) before finishing`))));
  });
  return {
    stop: () => Atomics.store(new Int32Array(stopFlag), 0, 1),
    kill: async () => {
      await worker.terminate();
    },
    done,
  };
}
