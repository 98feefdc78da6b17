import { describe, expect, it } from "vitest";
import { geluBackward, geluForward } from "../../src/tensor/gelu.ts";
import { randnArray, seededRandom } from "../helpers/random.ts";
import { GRADIENT_TOLERANCE, checkGradient, maxRelativeDifference, roundedToFloat32, weightedSum } from "./harness.ts";

const N = 40;

function setup(seed: number) {
  const random = seededRandom(seed);
  return { inp: randnArray(N, random, 2), g: randnArray(N, random) }; // both [N]
}

describe("gelu", () => {
  it("matches the tanh formula at known points", () => {
    const inp = new Float64Array([0, 1, -1, 10, -10]);
    const out = new Float64Array(5);
    geluForward(out, inp, 5);
    const tanhGelu = (x: number) => 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3)));
    expect(out[0]).toBe(0);
    expect(out[1]).toBeCloseTo(tanhGelu(1), 14);
    expect(out[1]).toBeCloseTo(0.841192, 6); // the tanh form's value, close to x·Φ(x) = 0.8413
    expect(out[2]).toBeCloseTo(-0.158808, 6);
    expect(out[3]).toBeCloseTo(10, 12); // large x passes through
    expect(out[4]).toBeCloseTo(0, 12); // very negative x is shut off
  });

  it("backward matches central differences", () => {
    const { inp, g } = setup(1);
    const out = new Float64Array(N);
    const loss = () => {
      geluForward(out, inp, N);
      return weightedSum(out, g);
    };
    const dinp = new Float64Array(N);
    geluBackward(dinp, inp, g, N);
    expect(checkGradient("gelu", "dinp", loss, inp, dinp)).toBeLessThan(GRADIENT_TOLERANCE);
  });

  it("backward writes dinp: a second call over the first's result gives the same", () => {
    const { inp, g } = setup(2);
    const dinp = new Float64Array(N);
    geluBackward(dinp, inp, g, N);
    const once = dinp.slice();
    geluBackward(dinp, inp, g, N);
    expect(dinp).toEqual(once);
  });

  it("float32 forward agrees with float64", () => {
    const x = roundedToFloat32(setup(3).inp);
    const out32 = new Float32Array(N),
      out64 = new Float64Array(N);
    geluForward(out32, x.f32, N);
    geluForward(out64, x.f64, N);
    expect(maxRelativeDifference(out32, out64)).toBeLessThan(1e-5);
  });
});
