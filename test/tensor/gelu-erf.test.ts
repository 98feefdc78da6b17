import { describe, expect, it } from "vitest";
import { erf, geluErfBackward, geluErfForward, withGelu } from "../../src/tensor/gelu-erf.ts";
import { geluForward } from "../../src/tensor/gelu.ts";
import { referenceKernels } from "../../src/tensor/kernels.ts";
import { randnArray, seededRandom } from "../helpers/random.ts";
import { GRADIENT_TOLERANCE, checkGradient, weightedSum } from "./harness.ts";

const N = 40;

describe("gelu, exact (erf) form", () => {
  it("erf agrees with Python's math.erf to double precision, and is odd", () => {
    // python3 -c "import math; print(repr(math.erf(x)))"
    const python: [number, number][] = [
      [0.01, 0.011283415555849616],
      [0.5, 0.5204998778130465],
      [1, 0.8427007929497149],
      [2, 0.9953222650189527],
      [3, 0.9999779095030014],
      [5.5, 0.9999999999999927],
      [6.5, 1.0],
    ];
    for (const [x, expected] of python) {
      expect(Math.abs(erf(x) - expected), `erf(${x})`).toBeLessThan(1e-15);
      expect(erf(-x)).toBe(-erf(x));
    }
    expect(erf(0)).toBe(0);
  });

  it("gelu(x) = x·Φ(x): known points, and apart from the tanh form by up to ~2e-4", () => {
    const inp = new Float64Array([0, 1, -1, 10, -10, 2.5]);
    const out = new Float64Array(inp.length);
    geluErfForward(out, inp, inp.length);
    expect(out[0]).toBe(0);
    expect(out[1]).toBeCloseTo(0.8413447460685429, 14); // Φ(1)
    expect(out[2]).toBeCloseTo(-0.15865525393145707, 14);
    expect(out[3]).toBe(10);
    expect(out[4]).toBeCloseTo(0, 14);
    const tanh = new Float64Array(inp.length);
    geluForward(tanh, inp, inp.length);
    const apart = Math.max(...out.map((v, i) => Math.abs(v - tanh[i])));
    expect(apart).toBeGreaterThan(1e-5); // the two forms are really different functions
    expect(apart).toBeLessThan(1e-3);
  });

  it("backward matches central differences, and may write over dout", () => {
    const random = seededRandom(1);
    const inp = randnArray(N, random, 2);
    const g = randnArray(N, random);
    const out = new Float64Array(N);
    const loss = () => {
      geluErfForward(out, inp, N);
      return weightedSum(out, g);
    };
    const dinp = new Float64Array(N);
    geluErfBackward(dinp, inp, g, N);
    expect(checkGradient("gelu-erf", "dinp", loss, inp, dinp)).toBeLessThan(GRADIENT_TOLERANCE);
    const inPlace = Float64Array.from(g);
    geluErfBackward(inPlace, inp, inPlace, N);
    expect(inPlace).toEqual(dinp);
  });

  it("withGelu: the tanh form keeps the kernels; erf replaces every GELU, once", () => {
    expect(withGelu(referenceKernels, undefined)).toBe(referenceKernels);
    expect(withGelu(referenceKernels, "tanh")).toBe(referenceKernels);
    const erfKernels = withGelu(referenceKernels, "erf");
    expect(withGelu(erfKernels, "erf")).toBe(erfKernels);
    // the fused layer: out = inp·Wᵀ (W = identity), geluOut = gelu_erf(out)
    const inp = new Float32Array([1, -1, 0.5, 2]);
    const weight = new Float32Array([1, 0, 0, 1]);
    const out = new Float32Array(4);
    const geluOut = new Float32Array(4);
    erfKernels.linearGeluForward(out, geluOut, inp, weight, null, 2, 2, 2);
    const expected = new Float32Array(4);
    geluErfForward(expected, inp, 4);
    expect(geluOut).toEqual(expected);
  });
});
