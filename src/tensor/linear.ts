/**
 * Fully connected layer, weights laid out [out, in] like torch.nn.Linear:
 *
 *   out[n,o] = Σ_i inp[n,i]·weight[o,i] + bias[o]
 *
 * Shapes: inp [N,IC], weight [OC,IC], bias [OC] or null, out [N,OC].
 * Every inner loop walks a contiguous row (of inp, weight or a scratch row) and sums in
 * doubles, so float32 buffers lose no precision to accumulation.
 */
import type { FloatArray } from "./types.ts";

/** out[N,OC] = inp[N,IC] · weight[OC,IC]ᵀ + bias[OC] */
export function linearForward(
  out: FloatArray,
  inp: FloatArray,
  weight: FloatArray,
  bias: FloatArray | null,
  N: number,
  IC: number,
  OC: number,
): void {
  for (let n = 0; n < N; n++) {
    const inpOffset = n * IC;
    const outOffset = n * OC;
    for (let o = 0; o < OC; o++) {
      const weightOffset = o * IC;
      let sum = bias === null ? 0 : bias[o];
      for (let i = 0; i < IC; i++) sum += inp[inpOffset + i] * weight[weightOffset + i];
      out[outOffset + o] = sum;
    }
  }
}

/**
 * One row through the layer with its weight stored transposed, weightT [IC,OC] (generation with
 * a KV cache keeps such a copy: the fast kernels then read every weight row-wise):
 *
 *   out[o] = bias[o] + Σ_i x[i]·weightT[i,o]
 *
 * Each output is the same double sum, in the same order, as linearForward's: equal bit for bit.
 */
export function linearRowForward(
  out: FloatArray,
  x: FloatArray,
  weightT: FloatArray,
  bias: FloatArray | null,
  IC: number,
  OC: number,
): void {
  const sums = new Float64Array(OC);
  for (let o = 0; o < OC; o++) sums[o] = bias === null ? 0 : bias[o];
  for (let i = 0; i < IC; i++) {
    const xi = x[i];
    const row = i * OC;
    for (let o = 0; o < OC; o++) sums[o] += xi * weightT[row + o];
  }
  for (let o = 0; o < OC; o++) out[o] = sums[o];
}

/** weightT[IC,OC] = weight[OC,IC]ᵀ (the copy linearRowForward reads). */
export function transposeWeight(weightT: FloatArray, weight: FloatArray, OC: number, IC: number): void {
  for (let o = 0; o < OC; o++) for (let i = 0; i < IC; i++) weightT[i * OC + o] = weight[o * IC + i];
}

/**
 * Gradients of the layer (dinp written, the parameters' gradients added to, see ./kernels.ts):
 *   1. dinp[n,i]     = Σ_o dout[n,o]·weight[o,i]     (dout · weight)
 *   2. dweight[o,i] += Σ_n dout[n,o]·inp[n,i]        (doutᵀ · inp)
 *   3. dbias[o]     += Σ_n dout[n,o]
 * Shapes: dinp, inp [N,IC]; dweight, weight [OC,IC]; dbias [OC] or null; dout [N,OC].
 */
export function linearBackward(
  dinp: FloatArray,
  dweight: FloatArray,
  dbias: FloatArray | null,
  dout: FloatArray,
  inp: FloatArray,
  weight: FloatArray,
  N: number,
  IC: number,
  OC: number,
): void {
  // one row of sums in doubles [IC], reused by steps 1 and 2
  const rowSums = new Float64Array(IC);

  // 1. for each input row: add up the weight rows, each scaled by its output gradient
  for (let n = 0; n < N; n++) {
    rowSums.fill(0);
    const doutOffset = n * OC;
    for (let o = 0; o < OC; o++) {
      const d = dout[doutOffset + o];
      const weightOffset = o * IC;
      for (let i = 0; i < IC; i++) rowSums[i] += d * weight[weightOffset + i];
    }
    const dinpOffset = n * IC;
    for (let i = 0; i < IC; i++) dinp[dinpOffset + i] = rowSums[i];
  }

  // 2. and 3. for each output channel: add up the input rows, each scaled by its output gradient
  for (let o = 0; o < OC; o++) {
    rowSums.fill(0);
    let biasSum = 0;
    for (let n = 0; n < N; n++) {
      const d = dout[n * OC + o];
      biasSum += d;
      const inpOffset = n * IC;
      for (let i = 0; i < IC; i++) rowSums[i] += d * inp[inpOffset + i];
    }
    const dweightOffset = o * IC;
    for (let i = 0; i < IC; i++) dweight[dweightOffset + i] += rowSums[i];
    if (dbias !== null) dbias[o] += biasSum;
  }
}
