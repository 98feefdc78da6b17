/**
 * The WebAssembly residual sum against the readable reference on the same float32 buffers.
 * One float32 addition per element, correctly rounded either way: the results are EQUAL
 * (tolerance 0), for lengths that leave 0–3 elements after the last group of four.
 */
import { describe, expect, it } from "vitest";
import { residualForward } from "../../src/tensor/residual.ts";
import { createWasmKernels } from "../../src/tensor/wasm/index.ts";
import { fillRandn, seededRandom } from "../helpers/random.ts";
import { place } from "./wasm-placement.ts";

const LENGTHS = [1, 2, 3, 4, 5, 7, 16, 33, 1021, 4099];

describe("createWasmKernels: residual", () => {
  const kernels = createWasmKernels();

  for (const placement of ["alloc", "plain"] as const) {
    it(`forward equals the reference (${placement} buffers)`, () => {
      const random = seededRandom(placement === "alloc" ? 71 : 72);
      for (const n of LENGTHS) {
        const [a0, b0] = Array.from({ length: 2 }, () => fillRandn(new Float32Array(n), random));

        // forward: out = a + b, into a buffer of garbage
        const expectedOut = new Float32Array(n);
        residualForward(expectedOut, a0, b0, n);
        const out = place(kernels, placement, fillRandn(new Float32Array(n), random, 100));
        kernels.residualForward(out, place(kernels, placement, a0), place(kernels, placement, b0), n);
        expect(out, `forward n=${n}`).toEqual(expectedOut);
      }
    });
  }

  it("adds in place when out is one of the inputs (the KV cache's x = x + proj)", () => {
    const random = seededRandom(73);
    const x = fillRandn(kernels.alloc(7), random),
      proj = fillRandn(kernels.alloc(7), random);
    const expected = new Float32Array(7);
    residualForward(expected, x, proj, 7);
    kernels.residualForward(x, x, proj, 7);
    expect(x).toEqual(expected);
  });

  it("sends Float64Arrays to the reference and leaves elements past N alone", () => {
    const random = seededRandom(74);
    const a = fillRandn(new Float64Array(6), random),
      b = fillRandn(new Float64Array(6), random);
    const out = new Float64Array(6),
      expected = new Float64Array(6);
    kernels.residualForward(out, a, b, 6);
    residualForward(expected, a, b, 6);
    expect(out).toEqual(expected);

    const longer = kernels.alloc(9).fill(5);
    kernels.residualForward(longer, kernels.alloc(9).fill(1), kernels.alloc(9).fill(2), 5);
    expect(Array.from(longer)).toEqual([3, 3, 3, 3, 3, 5, 5, 5, 5]);
  });
});
