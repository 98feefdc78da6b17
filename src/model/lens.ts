/**
 * The logit lens: what the model would predict if it stopped after each block. The residual
 * stream at depth d (d = 0: the embeddings; d = l: after block l; d = L: the last block's
 * output, which the model itself reads) goes through the final LayerNorm and the output head:
 *
 *   lens[d] = ln_f(stream_d) · wteᵀ        stream_d [T, C] → lens[d] [T, V]
 *
 * With the same kernels, in the same order, as the model's own last step, so lens[L] equals
 * the model's logits bit for bit.
 */
import type { FloatArray, IdArray } from "../tensor/types.ts";
import { normForward, streamNorm } from "./block.ts";
import type { GPT } from "./gpt.ts";

/**
 * Runs the model on ids [T] (one sequence) and returns L+1 arrays of logits [T, V], depth 0…L.
 * The model's activations are those of this forward afterwards.
 */
export function logitLens(model: GPT, ids: IdArray): FloatArray[] {
  const T = ids.length;
  const { nEmbd: C, nLayer: L, vocabSize: V } = model.config;
  model.forward(ids, 1, T);
  const a = model.activations!;
  const kernels = model.kernels;
  const make = (n: number): FloatArray => (model.dtype === "float64" ? new Float64Array(n) : new Float32Array(n));
  // ln_f's output and its per-row statistics, reused for every depth
  const norm = streamNorm(model.views, L, make(T * C), make(T), make(T));
  const depths: FloatArray[] = [];
  for (let d = 0; d <= L; d++) {
    // 1. the stream at depth d, 2. through ln_f, 3. through the tied output head
    const stream = d === 0 ? a.encoded : a.layers[d - 1].residual3;
    normForward(kernels, norm, stream, T, C);
    const logits = make(T * V);
    kernels.linearForward(logits, norm.out, model.views.wte, null, T, C, V);
    depths.push(logits);
  }
  return depths;
}
