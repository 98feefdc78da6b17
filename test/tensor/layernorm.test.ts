import { describe, expect, it } from "vitest";
import { layernormBackward, layernormForward } from "../../src/tensor/layernorm.ts";
import { randnArray, seededRandom } from "../helpers/random.ts";
import {
  ACCUMULATION_TOLERANCE,
  GRADIENT_TOLERANCE,
  checkGradient,
  maxRelativeDifference,
  roundedToFloat32,
  scaledCopy,
  weightedSum,
} from "./harness.ts";

const N = 4,
  C = 6;

function setup(seed: number) {
  const random = seededRandom(seed);
  return {
    inp: randnArray(N * C, random, 2), // [N,C], scaled and shifted below so normalizing matters
    weight: randnArray(C, random), // [C]
    bias: randnArray(C, random), // [C]
    g: randnArray(N * C, random), // [N,C]
  };
}

/** forward into fresh buffers: out [N,C], mean [N], rstd [N] */
function forward(inp: Float64Array, weight: Float64Array, bias: Float64Array | null) {
  const out = new Float64Array(N * C),
    mean = new Float64Array(N),
    rstd = new Float64Array(N);
  layernormForward(out, mean, rstd, inp, weight, bias, N, C);
  return { out, mean, rstd };
}

/** backward into fresh zeroed gradients (dbias null when bias is) */
function backward(g: Float64Array, inp: Float64Array, weight: Float64Array, withBias: boolean) {
  const { mean, rstd } = forward(inp, weight, null);
  const dinp = new Float64Array(N * C),
    dweight = new Float64Array(C);
  const dbias = withBias ? new Float64Array(C) : null;
  layernormBackward(dinp, dweight, dbias, g, inp, weight, mean, rstd, N, C);
  return { dinp, dweight, dbias, mean, rstd };
}

describe("layernorm", () => {
  it("normalizes each row to mean 0 and biased variance 1 (before weight and bias)", () => {
    const { inp } = setup(1);
    for (let i = 0; i < inp.length; i++) inp[i] += 3;
    const { out, mean, rstd } = forward(inp, new Float64Array(C).fill(1), null);
    for (let n = 0; n < N; n++) {
      const row = out.subarray(n * C, (n + 1) * C);
      const rowMean = row.reduce((s, x) => s + x, 0) / C;
      const rowVariance = row.reduce((s, x) => s + (x - rowMean) ** 2, 0) / C;
      expect(Math.abs(rowMean)).toBeLessThan(1e-12);
      // eps = 1e-5 makes the variance slightly below 1
      expect(rowVariance).toBeCloseTo(1, 4);
      expect(rowVariance).toBeLessThan(1);
      const x = inp.subarray(n * C, (n + 1) * C);
      const m = x.reduce((s, v) => s + v, 0) / C;
      expect(mean[n]).toBeCloseTo(m, 12);
      expect(rstd[n]).toBeCloseTo(1 / Math.sqrt(x.reduce((s, v) => s + (v - m) ** 2, 0) / C + 1e-5), 12);
    }
  });

  it("backward matches central differences for inp, weight and bias", () => {
    const { inp, weight, bias, g } = setup(2);
    const loss = () => weightedSum(forward(inp, weight, bias).out, g);
    const { dinp, dweight, dbias } = backward(g, inp, weight, true);
    expect(checkGradient("layernorm", "dinp", loss, inp, dinp)).toBeLessThan(GRADIENT_TOLERANCE);
    expect(checkGradient("layernorm", "dweight", loss, weight, dweight)).toBeLessThan(GRADIENT_TOLERANCE);
    expect(checkGradient("layernorm", "dbias", loss, bias, dbias!)).toBeLessThan(GRADIENT_TOLERANCE);
  });

  it("null bias: forward equals a zero bias, backward skips dbias and gives the same dinp, dweight", () => {
    const { inp, weight, g } = setup(3);
    expect(forward(inp, weight, null).out).toEqual(forward(inp, weight, new Float64Array(C)).out);
    const withBias = backward(g, inp, weight, true);
    const without = backward(g, inp, weight, false);
    expect(without.dbias).toBeNull();
    expect(without.dinp).toEqual(withBias.dinp);
    expect(without.dweight).toEqual(withBias.dweight);
  });

  it("backward accumulates: two calls give twice the gradient", () => {
    const { inp, weight, g } = setup(4);
    const once = backward(g, inp, weight, true);
    const dinp = once.dinp.slice(),
      dweight = once.dweight.slice(),
      dbias = once.dbias!.slice();
    layernormBackward(dinp, dweight, dbias, g, inp, weight, once.mean, once.rstd, N, C);
    expect(maxRelativeDifference(dinp, scaledCopy(once.dinp, 2), 1e-9)).toBeLessThan(ACCUMULATION_TOLERANCE);
    expect(maxRelativeDifference(dweight, scaledCopy(once.dweight, 2), 1e-9)).toBeLessThan(ACCUMULATION_TOLERANCE);
    expect(maxRelativeDifference(dbias, scaledCopy(once.dbias!, 2), 1e-9)).toBeLessThan(ACCUMULATION_TOLERANCE);
  });

  it("float32 forward agrees with float64", () => {
    const { inp, weight, bias } = setup(5);
    const x = roundedToFloat32(inp),
      w = roundedToFloat32(weight),
      b = roundedToFloat32(bias);
    const out32 = new Float32Array(N * C),
      mean32 = new Float32Array(N),
      rstd32 = new Float32Array(N);
    layernormForward(out32, mean32, rstd32, x.f32, w.f32, b.f32, N, C);
    const f64 = forward(x.f64, w.f64, b.f64);
    expect(maxRelativeDifference(out32, f64.out)).toBeLessThan(1e-5);
    expect(maxRelativeDifference(rstd32, f64.rstd)).toBeLessThan(1e-5);
  });
});
