import { describe, expect, it } from "vitest";
import { residualForward } from "../../src/tensor/residual.ts";
import { randnArray, seededRandom } from "../helpers/random.ts";
import { maxRelativeDifference, roundedToFloat32 } from "./harness.ts";

const N = 12;

function setup(seed: number) {
  const random = seededRandom(seed);
  return { a: randnArray(N, random), b: randnArray(N, random) }; // both [N]
}

describe("residual", () => {
  it("adds element by element", () => {
    const out = new Float64Array(3);
    residualForward(out, new Float64Array([1, 2, 3]), new Float64Array([10, 20, 30]), 3);
    expect(Array.from(out)).toEqual([11, 22, 33]);
  });

  it("float32 forward agrees with float64", () => {
    const { a, b } = setup(3);
    const x = roundedToFloat32(a),
      y = roundedToFloat32(b);
    const out32 = new Float32Array(N),
      out64 = new Float64Array(N);
    residualForward(out32, x.f32, y.f32, N);
    residualForward(out64, x.f64, y.f64, N);
    expect(maxRelativeDifference(out32, out64)).toBeLessThan(1e-5);
  });
});
