/**
 * Layer normalization over the last axis (channels), as torch.nn.LayerNorm with eps 1e-5:
 *
 *   mean = Σ_c x[c] / C
 *   var  = Σ_c (x[c] − mean)² / C          (biased: divides by C, like PyTorch)
 *   rstd = 1 / √(var + eps)
 *   out[c] = (x[c] − mean)·rstd·weight[c] + bias[c]
 *
 * Shapes: inp and out [N,C] (N = B*T rows), weight and bias [C], mean and rstd [N]
 * (kept by the forward for the backward). bias is null when the model has no biases.
 */
import type { FloatArray } from "./types.ts";

const EPS = 1e-5;

/** out[N,C] = normalize(inp[N,C])·weight[C] + bias[C]; also stores mean[N] and rstd[N] */
export function layernormForward(
  out: FloatArray,
  mean: FloatArray,
  rstd: FloatArray,
  inp: FloatArray,
  weight: FloatArray,
  bias: FloatArray | null,
  N: number,
  C: number,
): void {
  for (let n = 0; n < N; n++) {
    const rowOffset = n * C;
    // 1. the row's mean
    let sum = 0;
    for (let c = 0; c < C; c++) sum += inp[rowOffset + c];
    const m = sum / C;
    // 2. the row's biased variance, then its reciprocal standard deviation
    let sumSquares = 0;
    for (let c = 0; c < C; c++) {
      const centered = inp[rowOffset + c] - m;
      sumSquares += centered * centered;
    }
    const s = 1 / Math.sqrt(sumSquares / C + EPS);
    // 3. normalize, scale and shift
    for (let c = 0; c < C; c++) {
      const normalized = (inp[rowOffset + c] - m) * s;
      out[rowOffset + c] = normalized * weight[c] + (bias === null ? 0 : bias[c]);
    }
    mean[n] = m;
    rstd[n] = s;
  }
}

/**
 * Gradients of the layer norm, with x̂ = (x − mean)·rstd and dx̂ = dout·weight:
 *   1. dbias[c]   += Σ_n dout[n,c]
 *   2. dweight[c] += Σ_n dout[n,c]·x̂[n,c]
 *   3. dinp[n,c]  += rstd·(dx̂[c] − mean_c(dx̂) − x̂[c]·mean_c(dx̂·x̂))
 *      (the two means remove the parts of dx̂ that only shift or rescale the row,
 *       which normalization undoes anyway)
 * Shapes: dinp, dout, inp [N,C]; dweight, dbias, weight [C]; mean, rstd [N].
 */
export function layernormBackward(
  dinp: FloatArray,
  dweight: FloatArray,
  dbias: FloatArray | null,
  dout: FloatArray,
  inp: FloatArray,
  weight: FloatArray,
  mean: FloatArray,
  rstd: FloatArray,
  N: number,
  C: number,
): void {
  for (let n = 0; n < N; n++) {
    const rowOffset = n * C;
    const m = mean[n];
    const s = rstd[n];
    // the two row means of step 3
    let sumDnorm = 0;
    let sumDnormTimesNorm = 0;
    for (let c = 0; c < C; c++) {
      const normalized = (inp[rowOffset + c] - m) * s;
      const dnorm = dout[rowOffset + c] * weight[c];
      sumDnorm += dnorm;
      sumDnormTimesNorm += dnorm * normalized;
    }
    const meanDnorm = sumDnorm / C;
    const meanDnormTimesNorm = sumDnormTimesNorm / C;
    for (let c = 0; c < C; c++) {
      const d = dout[rowOffset + c];
      const normalized = (inp[rowOffset + c] - m) * s;
      // 1. and 2.
      if (dbias !== null) dbias[c] += d;
      dweight[c] += d * normalized;
      // 3.
      const dnorm = d * weight[c];
      dinp[rowOffset + c] += s * (dnorm - meanDnorm - normalized * meanDnormTimesNorm);
    }
  }
}
