/**
 * Builds a neuron index in a worker thread, so the bot's event loop never runs its forward passes.
 * In:  workerData = { checkpoint: Uint8Array (the model's safetensors bytes), documents, state }
 * Out: messages { type: "progress", state } after batches (at most every PROGRESS_MS) and
 *      { type: "done", state } at the end, or { type: "error", message }.
 * The thread runs at the training's lower priority (background work).
 */
import { parentPort, workerData } from "node:worker_threads";
import { loadCheckpointBytes } from "../model/checkpoint.ts";
import { lowerThisThreadPriority } from "./background-priority.ts";
import { fastestKernels } from "./kernels.ts";
import { type IndexDocument, indexBatch, type NeuronIndexState } from "./neuron-index.ts";
import { handleFromCheckpoint } from "./model-handle.ts";

const PROGRESS_MS = 2000;
const { checkpoint, documents, state } = workerData as { checkpoint: Uint8Array; documents: IndexDocument[]; state: NeuronIndexState };
const port = parentPort!;

try {
  lowerThisThreadPriority();
  const handle = handleFromCheckpoint(loadCheckpointBytes(checkpoint, "neuron index"), "neuron index", fastestKernels());
  let posted = Date.now();
  while (indexBatch(handle, state, documents) > 0) {
    if (Date.now() - posted >= PROGRESS_MS) {
      posted = Date.now();
      port.postMessage({ type: "progress", state });
    }
  }
  port.postMessage({ type: "done", state });
} catch (err) {
  port.postMessage({ type: "error", message: err instanceof Error ? err.message : String(err) });
}
