/**
 * Token + position embedding: the first layer of the GPT.
 *
 *   out[b,t,:] = wte[ids[b,t],:] + wpe[t,:]
 *
 * Shapes: ids [B,T], wte [V,C] (one row per token), wpe [maxT,C] (one row per position),
 * out [B,T,C].
 */
import type { FloatArray, IdArray } from "./types.ts";

/** Throws unless wpe has a row for each of the T positions and every id is a row of wte. */
export function checkEmbeddingInputs(ids: IdArray, wte: FloatArray, wpe: FloatArray, B: number, T: number, C: number): void {
  const V = wte.length / C;
  const maxT = wpe.length / C;
  if (T > maxT) throw new RangeError(`context has ${T} tokens, block size is ${maxT}`);
  if (ids.length < B * T) throw new RangeError(`ids has ${ids.length} values, batch ${B} × time ${T} needs ${B * T}`);
  for (let row = 0; row < B * T; row++) {
    const id = ids[row];
    if (!(id >= 0 && id < V)) {
      throw new RangeError(`token id ${id} at batch ${Math.floor(row / T)}, position ${row % T} is outside the vocabulary of ${V} tokens`);
    }
  }
}

/** out[B,T,C] = wte[ids[b,t]] + wpe[t] */
export function embeddingForward(out: FloatArray, ids: IdArray, wte: FloatArray, wpe: FloatArray, B: number, T: number, C: number): void {
  checkEmbeddingInputs(ids, wte, wpe, B, T, C);
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      const row = b * T + t;
      const id = ids[row];
      const outOffset = row * C;
      const tokenOffset = id * C;
      const positionOffset = t * C;
      for (let c = 0; c < C; c++) {
        out[outOffset + c] = wte[tokenOffset + c] + wpe[positionOffset + c];
      }
    }
  }
}

/**
 * Both embeddings receive the output gradient unchanged (the forward is a sum):
 *   1. dwte[ids[b,t],:] += dout[b,t,:]   (a token seen twice gathers both gradients)
 *   2. dwpe[t,:]        += dout[b,t,:]   (summed over the batch)
 * Shapes: dwte [V,C], dwpe [maxT,C], dout [B,T,C], ids [B,T].
 */
export function embeddingBackward(
  dwte: FloatArray,
  dwpe: FloatArray,
  dout: FloatArray,
  ids: IdArray,
  B: number,
  T: number,
  C: number,
): void {
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      const row = b * T + t;
      const doutOffset = row * C;
      const tokenOffset = ids[row] * C;
      const positionOffset = t * C;
      for (let c = 0; c < C; c++) {
        const d = dout[doutOffset + c];
        dwte[tokenOffset + c] += d;
        dwpe[positionOffset + c] += d;
      }
    }
  }
}
