/**
 * AdamW over the flat parameter buffer, with decoupled weight decay on 2-D weights only
 * (matrices and embeddings decay; biases and LayerNorm gains do not), as nanoGPT configures it.
 *
 * For every parameter p with gradient g, at step t (1-based):
 *   1. m = β1·m + (1−β1)·g            (running mean of gradients)
 *   2. v = β2·v + (1−β2)·g²           (running mean of squared gradients)
 *   3. m̂ = m / (1−β1ᵗ),  v̂ = v / (1−β2ᵗ)   (bias correction)
 *   4. p = p − lr·wd·p               (decoupled weight decay, 2-D weights only)
 *   5. p = p − lr · m̂ / (√v̂ + ε)
 */
import type { FloatArray } from "../tensor/types.ts";
import type { ParamSpec } from "../model/params.ts";

export interface AdamWSettings {
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
}

export const DEFAULT_ADAMW: AdamWSettings = { beta1: 0.9, beta2: 0.99, eps: 1e-8, weightDecay: 0.1 };

export class AdamW {
  /** first moments, same layout as the parameters */
  readonly m: Float32Array;
  /** second moments */
  readonly v: Float32Array;
  /** steps taken so far */
  t = 0;
  /** weight decay per element: wd for 2-D tensors, 0 for the rest */
  private readonly decay: Float32Array;

  constructor(specs: ParamSpec[], size: number, readonly settings: AdamWSettings = DEFAULT_ADAMW) {
    this.m = new Float32Array(size);
    this.v = new Float32Array(size);
    this.decay = new Float32Array(size);
    for (const s of specs) {
      if (s.shape.length >= 2) this.decay.fill(settings.weightDecay, s.offset, s.offset + s.size);
    }
  }

  step(params: FloatArray, grads: FloatArray, lr: number): void {
    const { beta1, beta2, eps } = this.settings;
    const { m, v, decay } = this;
    this.t += 1;
    const correction1 = 1 - Math.pow(beta1, this.t);
    const correction2 = 1 - Math.pow(beta2, this.t);
    for (let i = 0; i < params.length; i++) {
      const g = grads[i];
      const mi = beta1 * m[i] + (1 - beta1) * g;
      const vi = beta2 * v[i] + (1 - beta2) * g * g;
      m[i] = mi;
      v[i] = vi;
      const mHat = mi / correction1;
      const vHat = vi / correction2;
      let p = params[i];
      p -= lr * decay[i] * p;
      p -= (lr * mHat) / (Math.sqrt(vHat) + eps);
      params[i] = p;
    }
  }
}

/**
 * Scales gradients so their global L2 norm is at most maxNorm (as torch's clip_grad_norm_).
 * Returns the norm before clipping.
 */
export function clipGradNorm(grads: FloatArray, maxNorm: number): number {
  let sumSq = 0;
  for (let i = 0; i < grads.length; i++) sumSq += grads[i] * grads[i];
  const norm = Math.sqrt(sumSq);
  if (norm > maxNorm) {
    const scale = maxNorm / (norm + 1e-6);
    for (let i = 0; i < grads.length; i++) grads[i] *= scale;
  }
  return norm;
}
