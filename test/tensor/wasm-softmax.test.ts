/**
 * The logits' softmax in WebAssembly (four lanes, e^x from a float32 polynomial, float32 sums)
 * against the readable reference (Math.exp, sums in doubles): probabilities agree to a few
 * float32 roundings, rows sum to 1, and two threads give the very floats of one.
 */
import { afterAll, describe, expect, it } from "vitest";
import { softmaxForward } from "../../src/tensor/crossentropy.ts";
import { createWasmKernels } from "../../src/tensor/wasm/index.ts";
import { fillRandn, seededRandom } from "../helpers/random.ts";
import { f64, place } from "./wasm-placement.ts";

/** absolute: each probability is ≤ 1, and is a handful of float32 operations plus a sum's rounding */
const TOLERANCE = 1e-6;

describe("createWasmKernels: softmaxForward", () => {
  const one = createWasmKernels();
  const two = createWasmKernels({ threads: 2 });
  afterAll(() => two.close?.());

  for (const placement of ["alloc", "plain"] as const) {
    it(`matches the reference, rows sum to 1 (${placement} buffers; V with and without a tail)`, () => {
      const random = seededRandom(61);
      for (const [N, V] of [
        [1, 1],
        [3, 5],
        [7, 65],
        [768, 67],
        [2, 1024],
      ]) {
        const logits = fillRandn(new Float32Array(N * V), random, 4);
        // a row of equal logits and one with a huge spread, where it fits
        if (N > 1) logits.fill(2.5, V, 2 * V);
        if (V > 2) [logits[0], logits[1]] = [80, -80];
        const expected = new Float64Array(N * V);
        softmaxForward(expected, f64(logits), N, V);
        const probs = place(one, placement, new Float32Array(N * V).fill(9));
        one.softmaxForward(probs, place(one, placement, logits), N, V);
        let worst = 0;
        for (let i = 0; i < N * V; i++) worst = Math.max(worst, Math.abs(probs[i] - expected[i]));
        expect(worst, `N=${N} V=${V}`).toBeLessThan(TOLERANCE);
        for (let n = 0; n < N; n++) {
          let sum = 0;
          for (let v = 0; v < V; v++) sum += probs[n * V + v];
          expect(Math.abs(sum - 1)).toBeLessThan(V * 1e-7 + 1e-6);
        }
      }
    });
  }

  it("two threads give the floats of one (rows split between them)", () => {
    const [N, V] = [768, 65];
    const logits = fillRandn(new Float32Array(N * V), seededRandom(62), 3);
    const a = one.alloc(N * V),
      b = two.alloc(N * V);
    one.softmaxForward(a, place(one, "alloc", logits), N, V);
    two.softmaxForward(b, place(two, "alloc", logits), N, V);
    expect(Buffer.from(b.buffer, b.byteOffset, b.byteLength).equals(Buffer.from(a.buffer, a.byteOffset, a.byteLength))).toBe(true);
  });

  it("float64 arrays go to the reference", () => {
    const logits = Float64Array.from([1, 2, 3, 4, 5]);
    const expected = new Float64Array(5),
      got = new Float64Array(5);
    softmaxForward(expected, logits, 1, 5);
    one.softmaxForward(got, logits, 1, 5);
    expect(got).toEqual(expected);
  });
});
