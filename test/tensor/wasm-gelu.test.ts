/**
 * GELU in WebAssembly (four lanes, tanh from a polynomial e^x) against the readable reference
 * (Math.tanh in doubles): forward values and backward gradients agree to a few 1e-7 absolutely.
 */
import { describe, expect, it } from "vitest";
import { geluBackward, geluForward } from "../../src/tensor/gelu.ts";
import { createWasmKernels } from "../../src/tensor/wasm/index.ts";
import { fillRandn, seededRandom } from "../helpers/random.ts";

/** absolute, relative to max(1, |value|): float32 rounding of a handful of operations */
const TOLERANCE = 1e-6;

function maxError(got: ArrayLike<number>, expected: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(got[i] - expected[i]) / Math.max(1, Math.abs(expected[i])));
  return worst;
}

describe("createWasmKernels: GELU", () => {
  const kernels = createWasmKernels();
  // odd lengths (a tail for the reference), and inputs from tiny to huge, both signs
  const inputs = (random: ReturnType<typeof seededRandom>, n: number) => {
    const x = fillRandn(new Float32Array(n), random, 3);
    const special = [0, -0, 1e-8, -1e-8, 0.5, -0.5, 5, -5, 12, -12, 40, -40, 1e4, -1e4, 3.4e38, -3.4e38];
    special.forEach((v, i) => {
      if (i < n) x[i] = v;
    });
    return x;
  };

  for (const placement of ["alloc", "plain"] as const) {
    it(`forward and backward match the reference (${placement} buffers)`, () => {
      const random = seededRandom(31);
      for (const n of [1, 3, 4, 7, 16, 1021, 4096]) {
        const x = inputs(random, n);
        const dout = fillRandn(new Float32Array(n), random);
        const make = (values: Float32Array) => {
          const a = placement === "alloc" ? kernels.alloc(values.length) : new Float32Array(values.length);
          a.set(values);
          return a;
        };
        const expected = new Float64Array(n);
        geluForward(expected, Float64Array.from(x), n);
        const out = make(fillRandn(new Float32Array(n), random));
        kernels.geluForward(out, make(x), n);
        expect(maxError(out, expected), `forward n=${n}`).toBeLessThan(TOLERANCE);

        const start = fillRandn(new Float32Array(n), random);
        const expectedGrad = Float64Array.from(start);
        geluBackward(expectedGrad, Float64Array.from(x), Float64Array.from(dout), n);
        const dinp = make(start);
        kernels.geluBackward(dinp, make(x), make(dout), n);
        expect(maxError(dinp, expectedGrad), `backward n=${n}`).toBeLessThan(TOLERANCE);
      }
    });
  }

  it("keeps NaN as NaN", () => {
    const out = kernels.alloc(4);
    const x = kernels.alloc(4);
    x.set([NaN, 1, NaN, -1]);
    kernels.geluForward(out, x, 4);
    expect(Number.isNaN(out[0]) && Number.isNaN(out[2])).toBe(true);
    expect(out[1]).toBeCloseTo(0.8412, 4);
  });
});
