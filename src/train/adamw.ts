/**
 * AdamW over the flat parameter buffer, with decoupled weight decay on 2-D weights only
 * (matrices and embeddings decay; biases and LayerNorm gains do not), as nanoGPT configures it.
 *
 * The buffer is cut once into runs of parameters that share a weight decay; each step updates
 * every run with the kernels' `adamwUpdate` (../tensor/adamw.ts has the readable math:
 * m and v running means of g and g², bias-corrected, then p −= lr·wd·p and p −= lr·m̂/(√v̂ + ε)).
 */
import type { FloatArray } from "../tensor/types.ts";
import { type Kernels, referenceKernels } from "../tensor/kernels.ts";
import type { ParamSpec } from "../model/params.ts";

export interface AdamWSettings {
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
}

export const DEFAULT_ADAMW: AdamWSettings = { beta1: 0.9, beta2: 0.99, eps: 1e-8, weightDecay: 0.1 };

/** parameters [offset, offset + size) of the flat buffer, all with this weight decay */
interface DecayRun {
  offset: number;
  size: number;
  weightDecay: number;
}

export class AdamW {
  /** first moments, same layout as the parameters */
  readonly m: Float32Array;
  /** second moments */
  readonly v: Float32Array;
  /** steps taken so far */
  t = 0;
  private readonly runs: DecayRun[];

  /**
   * `kernels` runs the update (pass the model's, so m and v live where its params do: the
   * WebAssembly kernels then update all four buffers in place).
   */
  constructor(
    specs: ParamSpec[],
    size: number,
    readonly settings: AdamWSettings = DEFAULT_ADAMW,
    private readonly kernels: Kernels = referenceKernels,
  ) {
    this.m = kernels.alloc(size);
    this.v = kernels.alloc(size);
    this.runs = decayRuns(specs, size, settings.weightDecay);
  }

  step(params: FloatArray, grads: FloatArray, lr: number): void {
    const { beta1, beta2, eps } = this.settings;
    this.t += 1;
    for (const { offset, size, weightDecay } of this.runs) {
      const end = offset + size;
      this.kernels.adamwUpdate(
        params.subarray(offset, end),
        grads.subarray(offset, end),
        this.m.subarray(offset, end),
        this.v.subarray(offset, end),
        size,
        { lr, weightDecay, beta1, beta2, eps, step: this.t },
      );
    }
  }
}

/** [0, size) cut into runs of one weight decay: wd inside 2-D (or larger) tensors, 0 elsewhere */
function decayRuns(specs: ParamSpec[], size: number, weightDecay: number): DecayRun[] {
  const decays = new Uint8Array(size);
  for (const s of specs) {
    if (s.shape.length >= 2) decays.fill(1, s.offset, s.offset + s.size);
  }
  const runs: DecayRun[] = [];
  for (let start = 0; start < size; ) {
    let end = start + 1;
    while (end < size && decays[end] === decays[start]) end++;
    runs.push({ offset: start, size: end - start, weightDecay: decays[start] === 1 ? weightDecay : 0 });
    start = end;
  }
  return runs;
}

/**
 * Scales gradients so their global L2 norm is at most maxNorm (as torch's clip_grad_norm_).
 * Returns the norm before clipping. `kernels` sum and scale (pass the model's).
 */
export function clipGradNorm(grads: FloatArray, maxNorm: number, kernels: Kernels = referenceKernels): number {
  const norm = Math.sqrt(kernels.sumOfSquares(grads, grads.length));
  if (norm > maxNorm) kernels.scale(grads, grads.length, maxNorm / (norm + 1e-6));
  return norm;
}
