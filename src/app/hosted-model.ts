/**
 * A large model loaded once for two threads. Its host thread (./model-host.ts) streams the file's
 * tensors into its kernels' shared memory and hands the main thread a view of that buffer; the
 * main thread reads only the headers and the tokenizer and lays its model over the same bytes.
 * So the weights are in memory once, and the main thread's handle still has a model to read
 * (embeddings, weight pictures, parameter counts) while every forward pass goes to the host.
 *
 *   const handle = await loadHostedModel(file, name, kernels, imports);
 *   handle.model.params === handle.host.params   // one buffer (a SharedArrayBuffer)
 */
import type { Kernels } from "../tensor/kernels.ts";
import type { ImportModelOptions } from "./import-model.ts";
import { loadModelFile } from "./load-model.ts";
import type { ModelHandle } from "./model-handle.ts";
import { type ModelHost, startModelHost } from "./model-host.ts";

export async function loadHostedModel(
  file: string,
  name: string,
  kernels: Kernels | undefined,
  imports: ImportModelOptions = {},
): Promise<ModelHandle & { host: ModelHost }> {
  // 1. the thread loads the weights
  const host = await startModelHost(file, name, imports);
  try {
    // 2. the main thread's handle over them: headers and tokenizer read, no tensor read
    const handle = await loadModelFile(file, name, kernels, { ...imports, weights: { params: host.params, filled: true } });
    return Object.assign(handle, { host });
  } catch (err) {
    await host.close();
    throw err;
  }
}
