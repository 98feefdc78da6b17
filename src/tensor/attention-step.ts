/**
 * Attention for ONE new query against cached keys and values (generation with a KV cache).
 * The same arithmetic, in the same order, as attentionForward does for the last row, so a
 * cached generation gives bit-for-bit the logits of a full forward pass.
 *
 * Shapes: q [C] (this position's query), keys and values [Tk, C] (positions 0 … Tk−1, the new
 * one included), att [NH, Tk] (scratch: the softmaxed weights), out [C]. HS = C/NH.
 *   1. preatt[t2] = q · k_t2 / √HS
 *   2. att[t2]    = softmax over t2 of preatt
 *   3. out        = Σ_t2 att[t2] · v_t2
 */
import type { FloatArray } from "./types.ts";

export function attentionStepForward(
  out: FloatArray,
  att: FloatArray,
  q: FloatArray,
  keys: FloatArray,
  values: FloatArray,
  Tk: number,
  C: number,
  NH: number,
): void {
  const HS = C / NH;
  const scale = 1 / Math.sqrt(HS);
  const headSums = new Float64Array(HS);
  for (let h = 0; h < NH; h++) {
    const row = h * Tk;
    const qOffset = h * HS;
    // 1. scaled dot products (stored, so rounded, exactly like the full pass)
    let max = -Infinity;
    for (let t2 = 0; t2 < Tk; t2++) {
      const kOffset = t2 * C + h * HS;
      let dot = 0;
      for (let i = 0; i < HS; i++) dot += q[qOffset + i] * keys[kOffset + i];
      const score = dot * scale;
      att[row + t2] = score;
      if (score > max) max = score;
    }
    // 2. softmax
    let expSum = 0;
    for (let t2 = 0; t2 < Tk; t2++) {
      const e = Math.exp(att[row + t2] - max);
      att[row + t2] = e;
      expSum += e;
    }
    const invExpSum = 1 / expSum;
    for (let t2 = 0; t2 < Tk; t2++) att[row + t2] *= invExpSum;
    // 3. weighted sum of the values
    headSums.fill(0);
    for (let t2 = 0; t2 < Tk; t2++) {
      const vOffset = t2 * C + h * HS;
      const weight = att[row + t2];
      for (let i = 0; i < HS; i++) headSums[i] += weight * values[vOffset + i];
    }
    for (let i = 0; i < HS; i++) out[qOffset + i] = headSums[i];
  }
}
