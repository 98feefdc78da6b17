/**
 * referenceKernels against the formulas themselves, computed here in float64 with plain loops
 * (not by calling the functions the kernels are made of, which would compare them with themselves).
 */
import { describe, expect, it } from "vitest";
import { referenceKernels, type Kernels } from "../../src/tensor/kernels.ts";
import { fillRandn, seededRandom } from "../helpers/random.ts";

const B = 1,
  T = 3,
  C = 4,
  NH = 2,
  N = B * T;

/** out[N,OC] = inp[N,IC] · weight[OC,IC]ᵀ + bias[OC], in float64 */
function linear(inp: Float32Array, weight: Float32Array, bias: Float32Array, n: number, IC: number, OC: number): Float64Array {
  const out = new Float64Array(n * OC);
  for (let r = 0; r < n; r++)
    for (let o = 0; o < OC; o++) {
      let sum = bias[o];
      for (let i = 0; i < IC; i++) sum += inp[r * IC + i] * weight[o * IC + i];
      out[r * OC + o] = sum;
    }
  return out;
}

/** GELU, tanh form: 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))) */
const gelu = (x: number) => 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3)));

/**
 * Causal attention from qkv[B,T,3C] (q, k, v side by side): for each head h and query t,
 * 1. s[t2] = q_t·k_t2/√HS for t2 ≤ t, 2. p = softmax(s), 3. out_t = Σ p[t2]·v_t2.
 * Returns out[B,T,C] and att[B,NH,T,T] (0 above the diagonal).
 */
function attention(qkv: Float32Array): { out: Float64Array; att: Float64Array } {
  const HS = C / NH;
  const out = new Float64Array(B * T * C);
  const att = new Float64Array(B * NH * T * T);
  for (let b = 0; b < B; b++)
    for (let h = 0; h < NH; h++)
      for (let t = 0; t < T; t++) {
        const at = (tt: number, part: number, d: number) => qkv[(b * T + tt) * 3 * C + part * C + h * HS + d];
        const scores: number[] = [];
        for (let t2 = 0; t2 <= t; t2++) {
          let dot = 0;
          for (let d = 0; d < HS; d++) dot += at(t, 0, d) * at(t2, 1, d);
          scores.push(dot / Math.sqrt(HS));
        }
        const exps = scores.map((s) => Math.exp(s));
        const total = exps.reduce((a, x) => a + x, 0);
        for (let t2 = 0; t2 <= t; t2++) att[((b * NH + h) * T + t) * T + t2] = exps[t2] / total;
        for (let d = 0; d < HS; d++) {
          let sum = 0;
          for (let t2 = 0; t2 <= t; t2++) sum += (exps[t2] / total) * at(t2, 2, d);
          out[(b * T + t) * C + h * HS + d] = sum;
        }
      }
  return { out, att };
}

function expectClose(actual: Float32Array, expected: Float64Array, what: string): void {
  expect(actual.length, what).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expect(Math.abs(actual[i] - expected[i]), `${what}[${i}]`).toBeLessThan(1e-5);
}

describe("referenceKernels", () => {
  const kernels: Kernels = referenceKernels;

  it("has a name and allocates zeroed float32 buffers", () => {
    expect(kernels.name).toBe("typescript");
    const buffer = kernels.alloc(10);
    expect(buffer).toBeInstanceOf(Float32Array);
    expect(buffer.length).toBe(10);
    expect(buffer.every((x) => x === 0)).toBe(true);
  });

  it("runs a linear layer, GELU, attention and residual+LayerNorm as their formulas say", () => {
    const random = seededRandom(1);
    // linear: inp [N,C] → qkv [N,3C] with weight [3C,C], bias [3C]
    const inp = fillRandn(kernels.alloc(N * C), random);
    const weight = fillRandn(kernels.alloc(3 * C * C), random);
    const bias = fillRandn(kernels.alloc(3 * C), random);
    const qkv = kernels.alloc(N * 3 * C);
    kernels.linearForward(qkv, inp, weight, bias, N, C, 3 * C);
    expectClose(qkv, linear(inp, weight, bias, N, C, 3 * C), "linear");

    // the fused linear + GELU: pre [N,3C] and gelu(pre)
    const pre = kernels.alloc(N * 3 * C),
      activated = kernels.alloc(N * 3 * C);
    kernels.linearGeluForward(pre, activated, inp, weight, bias, N, C, 3 * C);
    const expectedPre = linear(inp, weight, bias, N, C, 3 * C);
    expectClose(pre, expectedPre, "linearGelu pre");
    expectClose(activated, expectedPre.map(gelu), "linearGelu out");

    // attention: qkv [B,T,3C] → out [B,T,C], att [B,NH,T,T]
    const out = kernels.alloc(N * C),
      preatt = kernels.alloc(B * NH * T * T),
      att = kernels.alloc(B * NH * T * T);
    kernels.attentionForward(out, preatt, att, qkv, B, T, C, NH);
    const expected = attention(qkv);
    expectClose(out, expected.out, "attention out");
    expectClose(att, expected.att, "attention weights");

    // residual + LayerNorm: r = a + b; out = (r − mean)/√(var + 1e-5)·w + bias per row
    const a = fillRandn(kernels.alloc(N * C), random),
      b = fillRandn(kernels.alloc(N * C), random),
      w = fillRandn(kernels.alloc(C), random),
      lb = fillRandn(kernels.alloc(C), random);
    const residual = kernels.alloc(N * C),
      normed = kernels.alloc(N * C),
      mean = kernels.alloc(N),
      rstd = kernels.alloc(N);
    kernels.residualLayernormForward(residual, normed, mean, rstd, a, b, w, lb, N, C);
    const expectedResidual = new Float64Array(N * C).map((_, i) => a[i] + b[i]);
    expectClose(residual, expectedResidual, "residual");
    const expectedNormed = new Float64Array(N * C);
    for (let r = 0; r < N; r++) {
      const row = expectedResidual.subarray(r * C, (r + 1) * C);
      const m = row.reduce((s, x) => s + x, 0) / C;
      const v = row.reduce((s, x) => s + (x - m) ** 2, 0) / C;
      for (let c = 0; c < C; c++) expectedNormed[r * C + c] = ((row[c] - m) / Math.sqrt(v + 1e-5)) * w[c] + lb[c];
    }
    expectClose(normed, expectedNormed, "layernorm");
  });

  it("back-propagates through attention and a linear layer: the bias gradient is the sum of dout's rows", () => {
    const random = seededRandom(2);
    const inp = fillRandn(kernels.alloc(N * C), random);
    const weight = fillRandn(kernels.alloc(3 * C * C), random);
    const bias = fillRandn(kernels.alloc(3 * C), random);
    const qkv = kernels.alloc(N * 3 * C);
    kernels.linearForward(qkv, inp, weight, bias, N, C, 3 * C);
    const out = kernels.alloc(N * C),
      att = kernels.alloc(B * NH * T * T);
    kernels.attentionForward(out, kernels.alloc(att.length), att, qkv, B, T, C, NH);
    const dout = fillRandn(kernels.alloc(N * C), random);
    const dqkv = kernels.alloc(qkv.length);
    kernels.attentionBackward(dqkv, kernels.alloc(att.length), kernels.alloc(att.length), dout, qkv, att, B, T, C, NH);
    const dinp = kernels.alloc(inp.length),
      dweight = kernels.alloc(weight.length),
      dbias = kernels.alloc(bias.length);
    kernels.linearBackward(dinp, dweight, dbias, dqkv, inp, weight, N, C, 3 * C);
    // 1. dbias[o] = Σ_n dqkv[n,o]; 2. dinp = dqkv · weight; 3. dweight = dqkvᵀ · inp
    const sums = new Float64Array(3 * C);
    for (let n = 0; n < N; n++) for (let o = 0; o < 3 * C; o++) sums[o] += dqkv[n * 3 * C + o];
    expectClose(dbias, sums, "dbias");
    const expectedDinp = new Float64Array(N * C);
    for (let n = 0; n < N; n++)
      for (let i = 0; i < C; i++) for (let o = 0; o < 3 * C; o++) expectedDinp[n * C + i] += dqkv[n * 3 * C + o] * weight[o * C + i];
    expectClose(dinp, expectedDinp, "dinp");
    const expectedDweight = new Float64Array(3 * C * C);
    for (let o = 0; o < 3 * C; o++)
      for (let i = 0; i < C; i++) for (let n = 0; n < N; n++) expectedDweight[o * C + i] += dqkv[n * 3 * C + o] * inp[n * C + i];
    expectClose(dweight, expectedDweight, "dweight");
    // the value part of dqkv (v gets Σ_t att[t,t2]·dout_t) is finite and not all zero
    expect(dqkv.every(Number.isFinite)).toBe(true);
    expect(dqkv.some((x) => x !== 0)).toBe(true);
  });
});
