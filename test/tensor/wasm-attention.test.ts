/**
 * The WebAssembly attention against the reference TypeScript kernel (run in float64 on the
 * same float32 inputs): outputs, the saved scores and probabilities, and every gradient.
 */
import { describe, expect, it } from "vitest";
import { attentionBackward, attentionForward } from "../../src/tensor/attention.ts";
import { createWasmKernels } from "../../src/tensor/wasm/index.ts";
import { fillRandn, seededRandom } from "../helpers/random.ts";
import { maxRelativeDifference } from "./harness.ts";
import { f64, place } from "./wasm-placement.ts";

/** float32 sums over at most T terms, and a float32 exp, against doubles */
const TOLERANCE = 2e-5;

// [B, T, C, NH]: head sizes 4, 8, 12 (three 4-wide steps), 20 (16 + 4), 32 (two 16s), and the baby model's
const SHAPES: Array<[number, number, number, number]> = [
  [1, 1, 4, 1],
  [2, 5, 8, 2],
  [2, 7, 24, 2],
  [3, 9, 80, 4],
  [1, 17, 64, 2],
  [2, 64, 128, 4],
];

describe("createWasmKernels: attention", () => {
  const kernels = createWasmKernels();

  for (const placement of ["alloc", "plain"] as const) {
    it(`forward matches the reference: out, preatt, att (${placement} buffers)`, () => {
      const random = seededRandom(placement === "alloc" ? 31 : 32);
      for (const [B, T, C, NH] of SHAPES) {
        const qkv0 = fillRandn(new Float32Array(B * T * 3 * C), random);
        const expected = {
          out: new Float64Array(B * T * C),
          preatt: new Float64Array(B * NH * T * T),
          att: new Float64Array(B * NH * T * T),
        };
        attentionForward(expected.out, expected.preatt, expected.att, f64(qkv0), B, T, C, NH);

        // outputs start as garbage: every entry, masked ones too, must be written
        const garbage = (n: number) => place(kernels, placement, fillRandn(new Float32Array(n), random, 100));
        const out = garbage(B * T * C),
          preatt = garbage(B * NH * T * T),
          att = garbage(B * NH * T * T);
        const qkv = place(kernels, placement, qkv0);
        kernels.attentionForward(out, preatt, att, qkv, B, T, C, NH);

        const shape = `B=${B} T=${T} C=${C} NH=${NH}`;
        expect(maxRelativeDifference(out, expected.out), `out ${shape}`).toBeLessThan(TOLERANCE);
        expect(maxRelativeDifference(preatt, expected.preatt), `preatt ${shape}`).toBeLessThan(TOLERANCE);
        expect(maxRelativeDifference(att, expected.att), `att ${shape}`).toBeLessThan(TOLERANCE);
        // the future is exactly zero
        for (let t = 0; t < T; t++) {
          for (let t2 = t + 1; t2 < T; t2++) {
            expect(att[t * T + t2]).toBe(0);
            expect(preatt[t * T + t2]).toBe(0);
          }
        }
        expect(qkv).toEqual(qkv0);
      }
    });

    it(`backward gives the reference's gradients over leftovers: dqkv, dpreatt, datt (${placement} buffers)`, () => {
      const random = seededRandom(placement === "alloc" ? 41 : 42);
      for (const [B, T, C, NH] of SHAPES) {
        const qkv0 = fillRandn(new Float32Array(B * T * 3 * C), random);
        const att0 = new Float32Array(B * NH * T * T);
        attentionForward(new Float32Array(B * T * C), new Float32Array(att0.length), att0, qkv0, B, T, C, NH);
        const dout0 = fillRandn(new Float32Array(B * T * C), random);
        // every gradient already holds something: all three are added to
        const dqkv0 = fillRandn(new Float32Array(B * T * 3 * C), random);
        const dpreatt0 = fillRandn(new Float32Array(att0.length), random);
        const datt0 = fillRandn(new Float32Array(att0.length), random);
        const expected = { dqkv: f64(dqkv0), dpreatt: f64(dpreatt0), datt: f64(datt0) };
        attentionBackward(expected.dqkv, expected.dpreatt, expected.datt, f64(dout0), f64(qkv0), f64(att0), B, T, C, NH);

        const dqkv = place(kernels, placement, dqkv0);
        const dpreatt = place(kernels, placement, dpreatt0);
        const datt = place(kernels, placement, datt0);
        kernels.attentionBackward(
          dqkv,
          dpreatt,
          datt,
          place(kernels, placement, dout0),
          place(kernels, placement, qkv0),
          place(kernels, placement, att0),
          B,
          T,
          C,
          NH,
        );

        const shape = `B=${B} T=${T} C=${C} NH=${NH}`;
        expect(maxRelativeDifference(dqkv, expected.dqkv), `dqkv ${shape}`).toBeLessThan(TOLERANCE);
        expect(maxRelativeDifference(dpreatt, expected.dpreatt), `dpreatt ${shape}`).toBeLessThan(TOLERANCE);
        expect(maxRelativeDifference(datt, expected.datt), `datt ${shape}`).toBeLessThan(TOLERANCE);
      }
    });
  }

  it("softmax stays finite and exact-ish for large and very different scores", () => {
    const B = 1,
      T = 6,
      C = 4,
      NH = 1;
    // q·k/2 spans ±~200: exps underflow to 0 without NaN, rows still sum to 1
    const qkv0 = new Float32Array(B * T * 3 * C);
    for (let t = 0; t < T; t++) {
      qkv0.set([10, 10, 10, 10], t * 3 * C); // q
      qkv0.set([10 * (t - 2), 0, 0, (t % 2) * -30], t * 3 * C + C); // k
      qkv0.set([t, 1, 2, 3], t * 3 * C + 2 * C); // v
    }
    const out = kernels.alloc(B * T * C),
      preatt = kernels.alloc(T * T),
      att = kernels.alloc(T * T);
    kernels.attentionForward(out, preatt, att, place(kernels, "alloc", qkv0), B, T, C, NH);
    const expected = { out: new Float64Array(B * T * C), preatt: new Float64Array(T * T), att: new Float64Array(T * T) };
    attentionForward(expected.out, expected.preatt, expected.att, f64(qkv0), B, T, C, NH);
    expect(att.every(Number.isFinite)).toBe(true);
    for (let t = 0; t < T; t++) {
      let sum = 0;
      for (let t2 = 0; t2 < T; t2++) sum += att[t * T + t2];
      expect(Math.abs(sum - 1)).toBeLessThan(1e-6);
    }
    expect(maxRelativeDifference(att, expected.att)).toBeLessThan(TOLERANCE);
    expect(maxRelativeDifference(out, expected.out)).toBeLessThan(TOLERANCE);
  });

  it("passes head sizes that are not a multiple of 4, and Float64Arrays, to the reference", () => {
    const random = seededRandom(43);
    const B = 2,
      T = 4,
      C = 6,
      NH = 2; // HS = 3
    const qkv = fillRandn(kernels.alloc(B * T * 3 * C), random);
    const out = kernels.alloc(B * T * C),
      preatt = kernels.alloc(B * NH * T * T),
      att = kernels.alloc(B * NH * T * T);
    kernels.attentionForward(out, preatt, att, qkv, B, T, C, NH);
    const expectedOut = new Float32Array(B * T * C);
    attentionForward(expectedOut, new Float32Array(att.length), new Float32Array(att.length), Float32Array.from(qkv), B, T, C, NH);
    expect(out).toEqual(expectedOut);

    // HS = 4 would run in WebAssembly, but float64 arrays still go to the reference, exactly
    const C4 = 8;
    const qkv64 = fillRandn(new Float64Array(B * T * 3 * C4), random);
    const actual = { out: new Float64Array(B * T * C4), preatt: new Float64Array(att.length), att: new Float64Array(att.length) };
    const expected = { out: new Float64Array(B * T * C4), preatt: new Float64Array(att.length), att: new Float64Array(att.length) };
    kernels.attentionForward(actual.out, actual.preatt, actual.att, qkv64, B, T, C4, NH);
    attentionForward(expected.out, expected.preatt, expected.att, qkv64, B, T, C4, NH);
    expect(actual).toEqual(expected);
    const dout = fillRandn(new Float64Array(B * T * C4), random);
    const grads = () => [new Float64Array(qkv64.length), new Float64Array(att.length), new Float64Array(att.length)] as const;
    const g1 = grads(),
      g2 = grads();
    kernels.attentionBackward(...g1, dout, qkv64, expected.att, B, T, C4, NH);
    attentionBackward(...g2, dout, qkv64, expected.att, B, T, C4, NH);
    expect(g1).toEqual(g2);
  });
});
