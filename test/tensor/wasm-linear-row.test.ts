/**
 * One row through a transposed weight (the KV cache's step): the WebAssembly `rowTimesT` gives
 * the very floats of the blocked product (the same sums in the same order), and the reference
 * row kernel the very floats of the reference linear layer.
 */
import { describe, expect, it } from "vitest";
import { linearForward, linearRowForward, transposeWeight } from "../../src/tensor/linear.ts";
import { createWasmKernels, fmaAvailable } from "../../src/tensor/wasm/index.ts";
import { fillRandn, seededRandom } from "../helpers/random.ts";

// odd sizes (the 16-, 4- and 1-wide paths), the baby model's layers, and a 1,024-token head
const SHAPES: Array<[number, number]> = [
  [1, 1],
  [3, 5],
  [5, 17],
  [17, 3],
  [33, 65],
  [128, 384],
  [128, 128],
  [128, 512],
  [512, 128],
  [128, 1024],
  [7, 1021],
];

describe("linearRowForward", () => {
  const kernels = createWasmKernels();
  // both modules: separate multiplies and adds, and fused multiply-adds (where relaxed SIMD runs)
  for (const [withBias, fma] of [
    [true, false],
    [false, false],
    ...(fmaAvailable()
      ? [
          [true, true],
          [false, true],
        ]
      : []),
  ]) {
    it(`in WebAssembly equals linearForward's float32 results bit for bit (${withBias ? "with" : "no"} bias${fma ? ", fused multiply-add" : ""})`, () => {
      const kernels = createWasmKernels({ fma });
      const random = seededRandom(withBias ? 21 : 22);
      for (const [IC, OC] of SHAPES) {
        const x = kernels.alloc(IC),
          weight = kernels.alloc(OC * IC),
          weightT = kernels.alloc(IC * OC),
          bias = kernels.alloc(OC);
        fillRandn(x, random);
        fillRandn(weight, random);
        fillRandn(bias, random);
        transposeWeight(weightT, weight, OC, IC);
        const viaProduct = kernels.alloc(OC),
          viaRow = kernels.alloc(OC);
        viaRow.fill(123); // overwritten, not added to
        kernels.linearForward(viaProduct, x, weight, withBias ? bias : null, 1, IC, OC);
        kernels.linearRowForward(viaRow, x, weightT, withBias ? bias : null, IC, OC);
        expect(Array.from(viaRow), `IC=${IC} OC=${OC}`).toEqual(Array.from(viaProduct));
        // plain arrays are copied in and out with the same result
        const plainOut = new Float32Array(OC);
        kernels.linearRowForward(
          plainOut,
          Float32Array.from(x),
          Float32Array.from(weightT),
          withBias ? Float32Array.from(bias) : null,
          IC,
          OC,
        );
        expect(Array.from(plainOut)).toEqual(Array.from(viaProduct));
      }
    });
  }

  it("in TypeScript equals the reference linearForward bit for bit, in float32 and float64", () => {
    const random = seededRandom(23);
    for (const [IC, OC] of SHAPES) {
      for (const make of [(n: number) => new Float32Array(n), (n: number) => new Float64Array(n)]) {
        const x = fillRandn(make(IC), random),
          weight = fillRandn(make(OC * IC), random),
          bias = fillRandn(make(OC), random);
        const weightT = make(IC * OC);
        transposeWeight(weightT, weight, OC, IC);
        const expected = make(OC),
          got = make(OC);
        linearForward(expected, x, weight, bias, 1, IC, OC);
        linearRowForward(got, x, weightT, bias, IC, OC);
        expect(Array.from(got)).toEqual(Array.from(expected));
      }
    }
  });

  it("refuses buffers that are too short, naming them", () => {
    expect(() => kernels.linearRowForward(kernels.alloc(3), kernels.alloc(4), kernels.alloc(11), null, 4, 3)).toThrow(
      "linearRowForward: weightT has 11 floats, IC*OC = 12",
    );
  });
});
