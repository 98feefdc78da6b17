import { describe, expect, it } from "vitest";
import { embeddingBackward, embeddingForward } from "../../src/tensor/embedding.ts";
import { randnArray, randomIds, seededRandom } from "../helpers/random.ts";
import {
  ACCUMULATION_TOLERANCE,
  GRADIENT_TOLERANCE,
  checkGradient,
  maxRelativeDifference,
  roundedToFloat32,
  scaledCopy,
  weightedSum,
} from "./harness.ts";

// sizes: a vocabulary smaller than B*T so some tokens repeat, and maxT > T
const B = 2,
  T = 3,
  C = 4,
  V = 4,
  maxT = 5;

function setup(seed: number) {
  const random = seededRandom(seed);
  return {
    ids: randomIds(B * T, V, random), // [B,T]
    wte: randnArray(V * C, random), // [V,C]
    wpe: randnArray(maxT * C, random), // [maxT,C]
    g: randnArray(B * T * C, random), // [B,T,C] fixed weights of the scalar loss
  };
}

function backward(dwte: Float64Array, dwpe: Float64Array, g: Float64Array, ids: Int32Array) {
  embeddingBackward(dwte, dwpe, g, ids, B, T, C);
}

describe("embedding", () => {
  it("adds the token row and the position row", () => {
    const { ids, wte, wpe } = setup(1);
    const out = new Float64Array(B * T * C);
    embeddingForward(out, ids, wte, wpe, B, T, C);
    for (let b = 0; b < B; b++)
      for (let t = 0; t < T; t++)
        for (let c = 0; c < C; c++) {
          expect(out[(b * T + t) * C + c]).toBe(wte[ids[b * T + t] * C + c] + wpe[t * C + c]);
        }
  });

  it("backward matches central differences for wte and wpe", () => {
    const { ids, wte, wpe, g } = setup(2);
    const out = new Float64Array(B * T * C);
    const loss = () => {
      embeddingForward(out, ids, wte, wpe, B, T, C);
      return weightedSum(out, g);
    };
    const dwte = new Float64Array(wte.length);
    const dwpe = new Float64Array(wpe.length);
    backward(dwte, dwpe, g, ids);
    expect(checkGradient("embedding", "dwte", loss, wte, dwte)).toBeLessThan(GRADIENT_TOLERANCE);
    expect(checkGradient("embedding", "dwpe", loss, wpe, dwpe)).toBeLessThan(GRADIENT_TOLERANCE);
    // positions past T get no gradient, a repeated token gathers several
    for (let i = T * C; i < maxT * C; i++) expect(dwpe[i]).toBe(0);
  });

  it("backward accumulates: two calls give twice the gradient", () => {
    const { ids, wte, wpe, g } = setup(3);
    const dwte = new Float64Array(wte.length);
    const dwpe = new Float64Array(wpe.length);
    backward(dwte, dwpe, g, ids);
    const once = { dwte: dwte.slice(), dwpe: dwpe.slice() };
    backward(dwte, dwpe, g, ids);
    expect(maxRelativeDifference(dwte, scaledCopy(once.dwte, 2), 1e-9)).toBeLessThan(ACCUMULATION_TOLERANCE);
    expect(maxRelativeDifference(dwpe, scaledCopy(once.dwpe, 2), 1e-9)).toBeLessThan(ACCUMULATION_TOLERANCE);
  });

  it("float32 forward agrees with float64", () => {
    const { ids, wte, wpe } = setup(4);
    const te = roundedToFloat32(wte),
      pe = roundedToFloat32(wpe);
    const out32 = new Float32Array(B * T * C),
      out64 = new Float64Array(B * T * C);
    embeddingForward(out32, ids, te.f32, pe.f32, B, T, C);
    embeddingForward(out64, ids, te.f64, pe.f64, B, T, C);
    expect(maxRelativeDifference(out32, out64)).toBeLessThan(1e-5);
  });

  it("names the bad value when an id or the context is out of range", () => {
    const { wte, wpe } = setup(5);
    const out = new Float64Array(B * T * C);
    const bad = new Int32Array([0, 1, 2, 3, V, 0]);
    expect(() => embeddingForward(out, bad, wte, wpe, B, T, C)).toThrow(/token id 4 at batch 1, position 1/);
    const long = new Int32Array(maxT + 1);
    expect(() => embeddingForward(new Float64Array((maxT + 1) * C), long, wte, wpe, 1, maxT + 1, C)).toThrow(
      /context has 6 tokens, block size is 5/,
    );
  });
});
