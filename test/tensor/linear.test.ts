import { describe, expect, it } from "vitest";
import { linearBackward, linearForward } from "../../src/tensor/linear.ts";
import { randnArray, sampleIndices, seededRandom } from "../helpers/random.ts";
import {
  ACCUMULATION_TOLERANCE,
  GRADIENT_TOLERANCE,
  checkGradient,
  maxRelativeDifference,
  roundedToFloat32,
  scaledCopy,
  weightedSum,
} from "./harness.ts";

const N = 5,
  IC = 7,
  OC = 3;
/** L is linear in every single entry of inp, weight or bias: a large step is still exact */
const LINEAR_STEP = 1e-2;

function setup(seed: number, n = N, ic = IC, oc = OC) {
  const random = seededRandom(seed);
  return {
    random,
    inp: randnArray(n * ic, random), // [N,IC]
    weight: randnArray(oc * ic, random), // [OC,IC]
    bias: randnArray(oc, random), // [OC]
    g: randnArray(n * oc, random), // [N,OC]
  };
}

/** backward into fresh zeroed gradients */
function backward(g: Float64Array, inp: Float64Array, weight: Float64Array, withBias: boolean, n = N, ic = IC, oc = OC) {
  const dinp = new Float64Array(n * ic),
    dweight = new Float64Array(oc * ic);
  const dbias = withBias ? new Float64Array(oc) : null;
  linearBackward(dinp, dweight, dbias, g, inp, weight, n, ic, oc);
  return { dinp, dweight, dbias };
}

describe("linear", () => {
  it("computes inp · weightᵀ + bias with weights laid out [out, in]", () => {
    // inp [1,2] = [1, 2]; weight [3,2] rows (1,0) (0,1) (1,1); bias (10, 20, 30)
    const out = new Float64Array(3);
    linearForward(out, new Float64Array([1, 2]), new Float64Array([1, 0, 0, 1, 1, 1]), new Float64Array([10, 20, 30]), 1, 2, 3);
    expect(Array.from(out)).toEqual([11, 22, 33]);
  });

  it("backward matches central differences for inp, weight and bias", () => {
    const { inp, weight, bias, g } = setup(1);
    const out = new Float64Array(N * OC);
    const loss = () => {
      linearForward(out, inp, weight, bias, N, IC, OC);
      return weightedSum(out, g);
    };
    const { dinp, dweight, dbias } = backward(g, inp, weight, true);
    expect(checkGradient("linear", "dinp", loss, inp, dinp, { h: LINEAR_STEP })).toBeLessThan(GRADIENT_TOLERANCE);
    expect(checkGradient("linear", "dweight", loss, weight, dweight, { h: LINEAR_STEP })).toBeLessThan(GRADIENT_TOLERANCE);
    expect(checkGradient("linear", "dbias", loss, bias, dbias!, { h: LINEAR_STEP })).toBeLessThan(GRADIENT_TOLERANCE);
  });

  it("backward matches central differences on sampled entries of a larger layer", () => {
    const n = 12,
      ic = 32,
      oc = 48;
    const { random, inp, weight, bias, g } = setup(2, n, ic, oc);
    const out = new Float64Array(n * oc);
    const loss = () => {
      linearForward(out, inp, weight, bias, n, ic, oc);
      return weightedSum(out, g);
    };
    const { dinp, dweight } = backward(g, inp, weight, true, n, ic, oc);
    const inpSample = sampleIndices(inp.length, 40, random);
    const weightSample = sampleIndices(weight.length, 40, random);
    expect(checkGradient("linear large", "dinp", loss, inp, dinp, { indices: inpSample, h: LINEAR_STEP })).toBeLessThan(GRADIENT_TOLERANCE);
    expect(checkGradient("linear large", "dweight", loss, weight, dweight, { indices: weightSample, h: LINEAR_STEP })).toBeLessThan(
      GRADIENT_TOLERANCE,
    );
  });

  it("null bias: forward equals a zero bias, backward gives the same dinp and dweight", () => {
    const { inp, weight, g } = setup(3);
    const withNull = new Float64Array(N * OC),
      withZero = new Float64Array(N * OC);
    linearForward(withNull, inp, weight, null, N, IC, OC);
    linearForward(withZero, inp, weight, new Float64Array(OC), N, IC, OC);
    expect(withNull).toEqual(withZero);
    const a = backward(g, inp, weight, true),
      b = backward(g, inp, weight, false);
    expect(b.dinp).toEqual(a.dinp);
    expect(b.dweight).toEqual(a.dweight);
  });

  it("backward writes dinp and accumulates the weight's and bias's gradients: a second call doubles only those", () => {
    const { inp, weight, g } = setup(4);
    const once = backward(g, inp, weight, true);
    const dinp = once.dinp.slice(),
      dweight = once.dweight.slice(),
      dbias = once.dbias!.slice();
    linearBackward(dinp, dweight, dbias, g, inp, weight, N, IC, OC);
    expect(dinp).toEqual(once.dinp);
    expect(maxRelativeDifference(dweight, scaledCopy(once.dweight, 2), 1e-9)).toBeLessThan(ACCUMULATION_TOLERANCE);
    expect(maxRelativeDifference(dbias, scaledCopy(once.dbias!, 2), 1e-9)).toBeLessThan(ACCUMULATION_TOLERANCE);
  });

  it("float32 forward agrees with float64", () => {
    const { inp, weight, bias } = setup(5, 8, 64, 16);
    const x = roundedToFloat32(inp),
      w = roundedToFloat32(weight),
      b = roundedToFloat32(bias);
    const out32 = new Float32Array(8 * 16),
      out64 = new Float64Array(8 * 16);
    linearForward(out32, x.f32, w.f32, b.f32, 8, 64, 16);
    linearForward(out64, x.f64, w.f64, b.f64, 8, 64, 16);
    expect(maxRelativeDifference(out32, out64)).toBeLessThan(1e-5);
  });
});
