import { describe, expect, it } from "vitest";
import { attentionBackward, attentionForward } from "../../src/tensor/attention.ts";
import { randnArray, seededRandom } from "../helpers/random.ts";
import {
  ACCUMULATION_TOLERANCE,
  GRADIENT_TOLERANCE,
  checkGradient,
  maxRelativeDifference,
  roundedToFloat32,
  weightedSum,
} from "./harness.ts";

const B = 2,
  T = 5,
  C = 8,
  NH = 2; // HS = 4

function setup(seed: number) {
  const random = seededRandom(seed);
  return {
    qkv: randnArray(B * T * 3 * C, random), // [B,T,3C]
    g: randnArray(B * T * C, random), // [B,T,C]
  };
}

/** forward into fresh buffers: out [B,T,C], preatt and att [B,NH,T,T] */
function forward(qkv: Float64Array) {
  const out = new Float64Array(B * T * C);
  const preatt = new Float64Array(B * NH * T * T),
    att = new Float64Array(B * NH * T * T);
  attentionForward(out, preatt, att, qkv, B, T, C, NH);
  return { out, preatt, att };
}

/** adds the backward of L = Σ out·g into dqkv, with freshly zeroed scratch */
function backwardInto(dqkv: Float64Array, g: Float64Array, qkv: Float64Array, att: Float64Array) {
  const dpreatt = new Float64Array(att.length),
    datt = new Float64Array(att.length);
  attentionBackward(dqkv, dpreatt, datt, g, qkv, att, B, T, C, NH);
}

describe("attention", () => {
  it("att rows sum to 1 and masked entries (key after query) are exactly 0", () => {
    const { preatt, att } = forward(setup(1).qkv);
    for (let row = 0; row < B * NH * T; row++) {
      const t = row % T;
      let sum = 0;
      for (let t2 = 0; t2 < T; t2++) {
        const i = row * T + t2;
        if (t2 > t) {
          expect(att[i]).toBe(0);
          expect(preatt[i]).toBe(0);
        } else {
          expect(att[i]).toBeGreaterThan(0);
          sum += att[i];
        }
      }
      expect(sum).toBeCloseTo(1, 12);
    }
  });

  it("computes q·k/√HS, its softmax, and the weighted sum of values for one head by hand", () => {
    // B=1, T=2, C=2, NH=1 (HS=2): q1 = (1,0), k0 = (2,0), k1 = (0,0), v0 = (1,2), v1 = (3,4)
    const qkv = new Float64Array([/* t=0 */ 0, 0, 2, 0, 1, 2, /* t=1 */ 1, 0, 0, 0, 3, 4]);
    const out = new Float64Array(4),
      preatt = new Float64Array(4),
      att = new Float64Array(4);
    attentionForward(out, preatt, att, qkv, 1, 2, 2, 1);
    const s = 2 / Math.SQRT2; // q1·k0/√2; q1·k1 = 0
    const a0 = Math.exp(s) / (Math.exp(s) + 1),
      a1 = 1 - a0;
    expect(Array.from(preatt)).toEqual([0, 0, s, 0]);
    expect(att[0]).toBe(1); // position 0 sees only itself
    expect(att[2]).toBeCloseTo(a0, 14);
    expect(att[3]).toBeCloseTo(a1, 14);
    expect(Array.from(out.subarray(0, 2))).toEqual([1, 2]);
    expect(out[2]).toBeCloseTo(a0 * 1 + a1 * 3, 14);
    expect(out[3]).toBeCloseTo(a0 * 2 + a1 * 4, 14);
  });

  it("is causal: changing the last position leaves every earlier output unchanged", () => {
    const { qkv } = setup(2);
    const before = forward(qkv).out;
    for (let b = 0; b < B; b++) {
      const last = (b * T + T - 1) * 3 * C;
      for (let i = 0; i < 3 * C; i++) qkv[last + i] += 1;
    }
    const after = forward(qkv).out;
    for (let b = 0; b < B; b++) {
      const earlier = (n: Float64Array) => n.subarray(b * T * C, (b * T + T - 1) * C);
      expect(earlier(after)).toEqual(earlier(before));
    }
  });

  it("backward matches central differences for qkv (queries, keys and values)", () => {
    const { qkv, g } = setup(3);
    const loss = () => weightedSum(forward(qkv).out, g);
    const dqkv = new Float64Array(qkv.length);
    backwardInto(dqkv, g, qkv, forward(qkv).att);
    const part = (offset: number) => {
      const indices: number[] = [];
      for (let row = 0; row < B * T; row++) for (let c = 0; c < C; c++) indices.push(row * 3 * C + offset + c);
      return indices;
    };
    expect(checkGradient("attention", "dq", loss, qkv, dqkv, { indices: part(0) })).toBeLessThan(GRADIENT_TOLERANCE);
    expect(checkGradient("attention", "dk", loss, qkv, dqkv, { indices: part(C) })).toBeLessThan(GRADIENT_TOLERANCE);
    expect(checkGradient("attention", "dv", loss, qkv, dqkv, { indices: part(2 * C) })).toBeLessThan(GRADIENT_TOLERANCE);
  });

  it("backward writes dqkv and its scratch: a second call over the first's leftovers gives the same", () => {
    const { qkv, g } = setup(4);
    const { att } = forward(qkv);
    const dqkv = new Float64Array(qkv.length).fill(7);
    const dpreatt = new Float64Array(att.length).fill(-3),
      datt = new Float64Array(att.length).fill(5);
    attentionBackward(dqkv, dpreatt, datt, g, qkv, att, B, T, C, NH);
    const once = dqkv.slice();
    attentionBackward(dqkv, dpreatt, datt, g, qkv, att, B, T, C, NH);
    expect(dqkv).toEqual(once);
    const fresh = new Float64Array(qkv.length);
    backwardInto(fresh, g, qkv, att);
    expect(maxRelativeDifference(dqkv, fresh, 1e-9)).toBeLessThan(ACCUMULATION_TOLERANCE);
  });

  it("float32 forward agrees with float64", () => {
    const x = roundedToFloat32(setup(5).qkv);
    const out32 = new Float32Array(B * T * C);
    const preatt32 = new Float32Array(B * NH * T * T),
      att32 = new Float32Array(B * NH * T * T);
    attentionForward(out32, preatt32, att32, x.f32, B, T, C, NH);
    const f64 = forward(x.f64);
    expect(maxRelativeDifference(out32, f64.out)).toBeLessThan(1e-5);
    expect(maxRelativeDifference(att32, f64.att)).toBeLessThan(1e-5);
  });
});
