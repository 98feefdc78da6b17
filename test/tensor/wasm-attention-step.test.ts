/**
 * Attention of one new query over cached keys and values, in WebAssembly, against the readable
 * reference (../../src/tensor/attention-step.ts): float32 sums and a polynomial exp, so the two
 * agree to float32 rounding.
 */
import { describe, expect, it } from "vitest";
import { attentionStepForward } from "../../src/tensor/attention-step.ts";
import { createWasmKernels } from "../../src/tensor/wasm/index.ts";
import { fillRandn, seededRandom } from "../helpers/random.ts";

describe("createWasmKernels: attentionStepForward", () => {
  const kernels = createWasmKernels();
  for (const placement of ["alloc", "plain"] as const) {
    it(`matches the reference: out and the weights (${placement} buffers)`, () => {
      const random = seededRandom(41);
      for (const [Tk, C, NH] of [
        [1, 8, 2],
        [5, 16, 4],
        [64, 128, 4],
        [33, 384, 6],
        [7, 12, 3],
      ]) {
        const make = (n: number, scale = 1) => {
          const values = fillRandn(new Float32Array(n), random, scale);
          const a = placement === "alloc" ? kernels.alloc(n) : new Float32Array(n);
          a.set(values);
          return a;
        };
        const q = make(C, 2),
          keys = make(Tk * C, 2),
          values = make(Tk * C);
        const out = make(C),
          att = make(NH * Tk);
        const expectedOut = new Float64Array(C),
          expectedAtt = new Float64Array(NH * Tk);
        attentionStepForward(expectedOut, expectedAtt, Float64Array.from(q), Float64Array.from(keys), Float64Array.from(values), Tk, C, NH);
        kernels.attentionStepForward(out, att, q, keys, values, Tk, C, NH);
        for (let i = 0; i < C; i++)
          expect(Math.abs(out[i] - expectedOut[i]), `Tk=${Tk} C=${C} out[${i}]`).toBeLessThan(2e-6 * Math.max(1, Math.abs(expectedOut[i])));
        for (let i = 0; i < NH * Tk; i++) expect(Math.abs(att[i] - expectedAtt[i]), `att[${i}]`).toBeLessThan(1e-6);
      }
    });
  }
});
