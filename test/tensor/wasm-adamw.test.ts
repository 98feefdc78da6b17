/**
 * The WebAssembly AdamW update against the readable reference (run in float64 on the same
 * float32 inputs), for one call and for the optimizer's whole steps.
 */
import { describe, expect, it } from "vitest";
import { type AdamWUpdate, adamwUpdate } from "../../src/tensor/adamw.ts";
import { referenceKernels } from "../../src/tensor/kernels.ts";
import { createWasmKernels } from "../../src/tensor/wasm/index.ts";
import { AdamW, DEFAULT_ADAMW } from "../../src/train/adamw.ts";
import { paramSpecs } from "../../src/model/params.ts";
import { presetConfig } from "../../src/model/config.ts";
import { fillRandn, seededRandom } from "../helpers/random.ts";
import { maxRelativeDifference } from "./harness.ts";
import { f64, place } from "./wasm-placement.ts";

/**
 * m and v: one float32 multiply-add each, a few float32 roundings of the terms' size; compared
 * relative to max(|expected|, MOMENT_FLOOR), the gradients' scale (β1·m and (1−β1)·g can
 * cancel, leaving an m much smaller than its rounding). Measured: m ~4e-7, v ~2e-7.
 */
const MOMENT_TOLERANCE = 1e-6;
const MOMENT_FLOOR = 1e-3;
/**
 * The parameters, in units of lr (the size of one Adam step), after taking away half an ulp of
 * the float32 result (its unavoidable final rounding; the float64 reference is not rounded):
 * what is left is the float32 error of the step lr·m̂/(√v̂ + ε) and of the decay. Measured ~2e-6.
 */
const STEP_TOLERANCE = 1e-5;

/** the spacing of float32 numbers around x (normal x) */
function float32Ulp(x: number): number {
  return x === 0 ? 2 ** -149 : 2 ** (Math.floor(Math.log2(Math.abs(x))) - 23);
}

/** max_i (|after − expected| − ulp(after)/2) / lr: the error beyond rounding the result to float32 */
function stepError(after: Float32Array, expected: Float64Array, lr: number): number {
  let worst = 0;
  for (let i = 0; i < after.length; i++) {
    worst = Math.max(worst, (Math.abs(after[i] - expected[i]) - float32Ulp(after[i]) / 2) / lr);
  }
  return worst;
}

describe("createWasmKernels: adamwUpdate", () => {
  const kernels = createWasmKernels();

  for (const placement of ["alloc", "plain"] as const) {
    it(`matches the reference for one update (${placement} buffers)`, () => {
      const random = seededRandom(placement === "alloc" ? 81 : 82);
      for (const n of [1, 3, 4, 6, 17, 1027]) {
        for (const update of [
          { lr: 1e-3, weightDecay: 0.1, beta1: 0.9, beta2: 0.99, eps: 1e-8, step: 1 },
          { lr: 3e-2, weightDecay: 0, beta1: 0.8, beta2: 0.999, eps: 1e-6, step: 57 },
        ] satisfies AdamWUpdate[]) {
          const params0 = fillRandn(new Float32Array(n), random);
          const grads0 = fillRandn(new Float32Array(n), random, 0.01);
          // moments as after a few steps: m ~ g, v ~ g² (positive)
          const m0 = fillRandn(new Float32Array(n), random, 0.01);
          const v0 = Float32Array.from(fillRandn(new Float32Array(n), random, 0.01), (x) => x * x + 1e-6);
          const expected = { params: f64(params0), m: f64(m0), v: f64(v0) };
          adamwUpdate(expected.params, f64(grads0), expected.m, expected.v, n, update);

          const params = place(kernels, placement, params0),
            grads = place(kernels, placement, grads0);
          const m = place(kernels, placement, m0),
            v = place(kernels, placement, v0);
          kernels.adamwUpdate(params, grads, m, v, n, update);

          const label = `n=${n} step=${update.step}`;
          expect(stepError(params, expected.params, update.lr), `params ${label}`).toBeLessThan(STEP_TOLERANCE);
          expect(maxRelativeDifference(m, expected.m, MOMENT_FLOOR), `m ${label}`).toBeLessThan(MOMENT_TOLERANCE);
          expect(maxRelativeDifference(v, expected.v, MOMENT_FLOOR ** 2), `v ${label}`).toBeLessThan(MOMENT_TOLERANCE);
          expect(grads).toEqual(grads0);
        }
      }
    });
  }

  it("sends Float64Arrays to the reference, exactly", () => {
    const random = seededRandom(83);
    const update: AdamWUpdate = { lr: 1e-2, weightDecay: 0.1, beta1: 0.9, beta2: 0.99, eps: 1e-8, step: 3 };
    const make = () => ({ params: fillRandn(new Float64Array(9), seededRandom(84)), m: new Float64Array(9), v: new Float64Array(9) });
    const grads = fillRandn(new Float64Array(9), random);
    const a = make(),
      b = make();
    kernels.adamwUpdate(a.params, grads, a.m, a.v, 9, update);
    adamwUpdate(b.params, grads, b.m, b.v, 9, update);
    expect(a).toEqual(b);
  });

  it("runs the optimizer's steps like the reference kernels, with its moments in the WebAssembly memory", () => {
    // biases on: runs with and without weight decay alternate through the buffer
    const config = presetConfig("tiny", 11, { bias: true });
    const specs = paramSpecs(config);
    const size = specs[specs.length - 1].offset + specs[specs.length - 1].size;
    const random = seededRandom(85);
    const params0 = fillRandn(new Float32Array(size), random, 0.02);
    const fast = new AdamW(specs, size, DEFAULT_ADAMW, kernels);
    const slow = new AdamW(specs, size, DEFAULT_ADAMW, referenceKernels);
    expect(kernels.owns(fast.m) && kernels.owns(fast.v)).toBe(true);
    const params = place(kernels, "alloc", params0),
      reference = params0.slice();
    for (let step = 0; step < 5; step++) {
      const grads = fillRandn(new Float32Array(size), random, 0.01);
      fast.step(params, place(kernels, "alloc", grads), 1e-3);
      slow.step(reference, grads, 1e-3);
    }
    // both sides round p, m and v to float32 every step: in units of lr, within five steps' errors
    expect(stepError(params, f64(reference), 1e-3)).toBeLessThan(5 * STEP_TOLERANCE);
    expect(maxRelativeDifference(fast.m, slow.m, MOMENT_FLOOR)).toBeLessThan(5 * MOMENT_TOLERANCE);
    expect(maxRelativeDifference(fast.v, slow.v, MOMENT_FLOOR ** 2)).toBeLessThan(5 * MOMENT_TOLERANCE);
    expect(fast.t).toBe(5);
  });
});
