/**
 * One AdamW update of a run of parameters that share one weight decay (the optimizer in
 * ../train/adamw.ts calls it once per run: decaying 2-D weights, non-decaying gains and biases).
 *
 * For every parameter p with gradient g, at step t (1-based):
 *   1. m = β1·m + (1−β1)·g            (running mean of gradients)
 *   2. v = β2·v + (1−β2)·g²           (running mean of squared gradients)
 *   3. m̂ = m / (1−β1ᵗ),  v̂ = v / (1−β2ᵗ)   (bias correction)
 *   4. p = p − lr·wd·p               (decoupled weight decay)
 *   5. p = p − lr · m̂ / (√v̂ + ε)
 *
 * Shapes: params, grads, m, v [N]. params, m and v are updated in place; grads is only read.
 */
import type { FloatArray } from "./types.ts";

/** The numbers one update needs besides the buffers. */
export interface AdamWUpdate {
  lr: number;
  /** decoupled weight decay of this run (0 for biases and LayerNorm gains) */
  weightDecay: number;
  beta1: number;
  beta2: number;
  eps: number;
  /** t: the 1-based number of this step, for the bias corrections */
  step: number;
}

/** params[N], m[N], v[N] ← one AdamW step with gradients grads[N] */
export function adamwUpdate(params: FloatArray, grads: FloatArray, m: FloatArray, v: FloatArray, N: number, update: AdamWUpdate): void {
  const { lr, weightDecay, beta1, beta2, eps, step } = update;
  const correction1 = 1 - beta1 ** step;
  const correction2 = 1 - beta2 ** step;
  for (let i = 0; i < N; i++) {
    const g = grads[i];
    // 1. and 2.
    const mi = beta1 * m[i] + (1 - beta1) * g;
    const vi = beta2 * v[i] + (1 - beta2) * g * g;
    m[i] = mi;
    v[i] = vi;
    // 3.
    const mHat = mi / correction1;
    const vHat = vi / correction2;
    // 4. and 5.
    let p = params[i];
    p -= lr * weightDecay * p;
    p -= (lr * mHat) / (Math.sqrt(vHat) + eps);
    params[i] = p;
  }
}
