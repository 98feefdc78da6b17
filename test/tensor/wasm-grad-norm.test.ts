/**
 * The WebAssembly gradient-norm kernels against the readable reference:
 *   - scale: one float32 multiplication per element by float32(factor), where the reference
 *     multiplies by the double factor and rounds: within two float32 roundings (3e-7 relative);
 *   - sumOfSquares: float32 sums of 4,096 squares (lanes of four), added in doubles, against
 *     the reference's sum in doubles: relative error < 1e-6 here;
 * on one thread and two (the two agree exactly: the chunks, not the threads, fix the order),
 * and clipGradNorm through them.
 */
import { afterAll, describe, expect, it } from "vitest";
import { scale, sumOfSquares } from "../../src/tensor/grad-norm.ts";
import { createWasmKernels } from "../../src/tensor/wasm/index.ts";
import { clipGradNorm } from "../../src/train/adamw.ts";
import { fillRandn, seededRandom } from "../helpers/random.ts";
import { place } from "./wasm-placement.ts";

const LENGTHS = [1, 3, 4, 5, 4095, 4096, 4097, 100_003, 800_001];
const one = createWasmKernels();
const two = createWasmKernels({ threads: 2 });
afterAll(() => two.close?.());

describe("createWasmKernels: sumOfSquares and scale", () => {
  for (const placement of ["alloc", "plain"] as const) {
    it(`agree with the reference: scale within 3e-7, sumOfSquares within 1e-6 (${placement} buffers)`, () => {
      const random = seededRandom(placement === "alloc" ? 81 : 82);
      for (const n of LENGTHS) {
        const x0 = fillRandn(new Float32Array(n), random);
        const expected = sumOfSquares(x0, n);
        for (const kernels of [one, two]) {
          expect(Math.abs(kernels.sumOfSquares(place(kernels, placement, x0), n) - expected) / expected, `n=${n}`).toBeLessThan(1e-6);
        }
        const scaled = x0.slice();
        scale(scaled, n, 0.37);
        for (const kernels of [one, two]) {
          const x = place(kernels, placement, x0);
          kernels.scale(x, n, 0.37);
          let worst = 0;
          for (let i = 0; i < n; i++) worst = Math.max(worst, Math.abs(x[i] - scaled[i]) / Math.abs(scaled[i]));
          expect(worst, `scale n=${n}`).toBeLessThan(3e-7);
        }
      }
    });
  }

  it("two threads give the very sum of one", () => {
    const n = 800_001;
    const values = fillRandn(new Float32Array(n), seededRandom(83));
    const a = one.alloc(n),
      b = two.alloc(n);
    a.set(values);
    b.set(values);
    expect(two.sumOfSquares(b, n)).toBe(one.sumOfSquares(a, n));
  });

  it("reads only the first N floats, and float64 goes to the reference", () => {
    const x = one.alloc(10);
    x.set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(one.sumOfSquares(x, 3)).toBe(14);
    one.scale(x, 2, -1);
    expect(Array.from(x.subarray(0, 4))).toEqual([-1, -2, 3, 4]);
    expect(one.sumOfSquares(Float64Array.from([0.1, 0.2]), 2)).toBe(0.1 * 0.1 + 0.2 * 0.2);
  });

  it("clipGradNorm through the kernels: the norm before, and at most maxNorm after", () => {
    const g = two.alloc(100_000);
    fillRandn(g, seededRandom(84));
    const before = Math.sqrt(sumOfSquares(g, g.length));
    expect(clipGradNorm(g, 1, two)).toBeCloseTo(before, 3);
    expect(Math.sqrt(sumOfSquares(g, g.length))).toBeCloseTo(1, 5);
    const small = two.alloc(2);
    small.set([0.3, 0.4]);
    expect(clipGradNorm(small, 1, two)).toBeCloseTo(0.5, 6);
    expect(Array.from(small)).toEqual([Math.fround(0.3), Math.fround(0.4)]);
  });
});
