/**
 * Runs trainModel in a worker thread, so the bot's event loop never runs a training step.
 * In:  workerData = { documents, options, stopFlag: SharedArrayBuffer(4) }
 * Out: messages { type: "progress" | "checkpoint" | "done" | "error", ... }
 * Stop: the parent sets stopFlag[0] = 1; the run ends after the current step with a checkpoint.
 */
import { parentPort, workerData } from "node:worker_threads";
import { trainModel, type TrainModelOptions } from "./train-model.ts";
import { fastestKernels } from "./kernels.ts";

const { documents, options, stopFlag } = workerData as { documents: string[]; options: TrainModelOptions; stopFlag: SharedArrayBuffer };
const stop = new Int32Array(stopFlag);
const port = parentPort!;
let lastProgressPost = 0;

try {
  const trained = trainModel(documents, options, {
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
  }, fastestKernels());
  const { result, corpus, tokenizer } = trained;
  port.postMessage({
    type: "done",
    summary: {
      steps: result.steps, totalSteps: result.totalSteps, finalTrainLoss: result.finalTrainLoss,
      finalValLoss: result.finalValLoss, bestValLoss: result.bestValLoss, seconds: result.seconds,
      tokensPerSecond: result.tokensPerSecond, stopped: result.stopped, corpus,
      vocabSize: tokenizer.vocabSize, curve: result.curve,
    },
  });
} catch (err) {
  port.postMessage({ type: "error", message: (err as Error).message });
}
