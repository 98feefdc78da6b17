/**
 * Two threads on one shared memory: every kernel that hands half of its work to the helper
 * thread gives the very floats of the single-threaded kernel (each half runs the same code on
 * its own rows), and a whole training step leaves identical weights.
 */
import { afterAll, describe, expect, it } from "vitest";
import { GPT } from "../../src/model/gpt.ts";
import { presetConfig } from "../../src/model/config.ts";
import { paramSpecs } from "../../src/model/params.ts";
import { AdamW, DEFAULT_ADAMW } from "../../src/train/adamw.ts";
import { createWasmKernels, type WasmKernels } from "../../src/tensor/wasm/index.ts";
import { fillRandn, seededRandom } from "../helpers/random.ts";

const one = createWasmKernels();
const two = createWasmKernels({ threads: 2 });
afterAll(() => two.close?.());

/** the same random values in each backend's memory */
function pair(n: number, seed: number): [Float32Array, Float32Array] {
  const values = fillRandn(new Float32Array(n), seededRandom(seed));
  const a = one.alloc(n),
    b = two.alloc(n);
  a.set(values);
  b.set(values);
  return [a, b];
}
const same = (a: Float32Array, b: Float32Array) =>
  expect(Buffer.from(b.buffer, b.byteOffset, b.byteLength).equals(Buffer.from(a.buffer, a.byteOffset, a.byteLength))).toBe(true);

describe("createWasmKernels({ threads: 2 })", () => {
  it("says so in its name", () => {
    expect(two.name).toMatch(/^wasm-simd(\+fma)? ×2 threads$/);
  });

  it("linear forward and backward: the same floats as one thread (even and odd row counts)", () => {
    for (const [N, IC, OC] of [
      [768, 128, 384],
      [131, 33, 17],
      [64, 512, 128],
      [10, 8, 8],
    ]) {
      const [inp1, inp2] = pair(N * IC, 1),
        [w1, w2] = pair(OC * IC, 2),
        [b1, b2] = pair(OC, 3);
      const [o1, o2] = pair(N * OC, 4);
      one.linearForward(o1, inp1, w1, b1, N, IC, OC);
      two.linearForward(o2, inp2, w2, b2, N, IC, OC);
      same(o1, o2);
      const [d1, d2] = pair(N * OC, 5),
        [di1, di2] = pair(N * IC, 6),
        [dw1, dw2] = pair(OC * IC, 7),
        [db1, db2] = pair(OC, 8);
      one.linearBackward(di1, dw1, db1, d1, inp1, w1, N, IC, OC);
      two.linearBackward(di2, dw2, db2, d2, inp2, w2, N, IC, OC);
      same(di1, di2);
      same(dw1, dw2);
      same(db1, db2);
    }
  });

  it("with tiny blocks: many column slabs, slabs narrowed for deep K, and K too deep to share", async () => {
    // one packing of B holds 4·KC·NC = 1280 floats: K ≤ 80 gives 16-wide slabs, K 81…160 8-wide
    // ones, K > 160 is not shared (this thread alone, K in passes); M < 64 rows is not shared
    const blocking = { MR: 3, NR: 8, KC: 20, MC: 6, NC: 16, UNROLL: 3 };
    const single = createWasmKernels({ blocking }),
      double = createWasmKernels({ blocking, threads: 2 });
    try {
      for (const [N, IC, OC] of [
        [100, 20, 70],
        [64, 200, 70],
        [170, 9, 65],
        [150, 33, 17],
      ]) {
        const values = (n: number, seed: number) => fillRandn(new Float32Array(n), seededRandom(seed));
        const inp = values(N * IC, 50),
          w = values(OC * IC, 51),
          b = values(OC, 52),
          dout = values(N * OC, 53);
        const run = (kernels: WasmKernels) => {
          const out = kernels.alloc(N * OC),
            dinp = kernels.alloc(N * IC),
            dw = kernels.alloc(OC * IC),
            db = kernels.alloc(OC);
          kernels.linearForward(out, inp, w, b, N, IC, OC);
          kernels.linearBackward(dinp, dw, db, dout, inp, w, N, IC, OC);
          return [out, dinp, dw, db];
        };
        const expected = run(single),
          got = run(double);
        for (let i = 0; i < expected.length; i++) same(expected[i], got[i]);
      }
    } finally {
      await double.close?.();
    }
  });

  it("attention and GELU: the same floats as one thread", () => {
    const [B, T, C, NH] = [12, 64, 128, 4];
    const [qkv1, qkv2] = pair(B * T * 3 * C, 9);
    const [out1, out2] = pair(B * T * C, 10),
      [p1, p2] = pair(B * NH * T * T, 11),
      [a1, a2] = pair(B * NH * T * T, 12);
    one.attentionForward(out1, p1, a1, qkv1, B, T, C, NH);
    two.attentionForward(out2, p2, a2, qkv2, B, T, C, NH);
    same(out1, out2);
    same(a1, a2);
    const [dq1, dq2] = pair(B * T * 3 * C, 13),
      [dp1, dp2] = pair(B * NH * T * T, 14),
      [da1, da2] = pair(B * NH * T * T, 15),
      [do1, do2] = pair(B * T * C, 16);
    one.attentionBackward(dq1, dp1, da1, do1, qkv1, a1, B, T, C, NH);
    two.attentionBackward(dq2, dp2, da2, do2, qkv2, a2, B, T, C, NH);
    same(dq1, dq2);
    const n = 768 * 512 + 3;
    const [x1, x2] = pair(n, 17),
      [g1, g2] = pair(n, 18),
      [gd1, gd2] = pair(n, 19),
      [gi1, gi2] = pair(n, 20);
    one.geluForward(g1, x1, n);
    two.geluForward(g2, x2, n);
    same(g1, g2);
    one.geluBackward(gi1, x1, gd1, n);
    two.geluBackward(gi2, x2, gd2, n);
    same(gi1, gi2);
  });

  it("LayerNorm forward and backward, residual sums and AdamW: the same floats as one thread (odd sizes too)", () => {
    for (const [N, C] of [
      [768, 128],
      [301, 60],
      [5, 12],
    ]) {
      const [x1, x2] = pair(N * C, 21),
        [w1, w2] = pair(C, 22),
        [b1, b2] = pair(C, 23);
      const [o1, o2] = pair(N * C, 24),
        [m1, m2] = pair(N, 25),
        [r1, r2] = pair(N, 26);
      one.layernormForward(o1, m1, r1, x1, w1, b1, N, C);
      two.layernormForward(o2, m2, r2, x2, w2, b2, N, C);
      same(o1, o2);
      same(m1, m2);
      same(r1, r2);
      // the backward adds to dinp, dweight and dbias (with and without a bias)
      for (const withBias of [true, false]) {
        const [dx1, dx2] = pair(N * C, 34),
          [dw1, dw2] = pair(C, 35),
          [db1, db2] = pair(C, 36),
          [dy1, dy2] = pair(N * C, 37);
        one.layernormBackward(dx1, dw1, withBias ? db1 : null, dy1, x1, w1, m1, r1, N, C);
        two.layernormBackward(dx2, dw2, withBias ? db2 : null, dy2, x2, w2, m2, r2, N, C);
        same(dx1, dx2);
        same(dw1, dw2);
        same(db1, db2);
      }
      const n = N * C + 3;
      const [a1, a2] = pair(n, 27),
        [c1, c2] = pair(n, 28),
        [s1, s2] = pair(n, 29);
      one.residualForward(s1, a1, c1, n);
      two.residualForward(s2, a2, c2, n);
      same(s1, s2);
      const [p1, p2] = pair(n, 30),
        [g1, g2] = pair(n, 31),
        [mm1, mm2] = pair(n, 32),
        [v1, v2] = pair(n, 33);
      v1.forEach((x, i) => {
        v1[i] = v2[i] = x * x;
      });
      const update = { lr: 1e-3, weightDecay: 0.1, beta1: 0.9, beta2: 0.99, eps: 1e-8, step: 3 };
      one.adamwUpdate(p1, g1, mm1, v1, n, update);
      two.adamwUpdate(p2, g2, mm2, v2, n, update);
      same(p1, p2);
      same(mm1, mm2);
      same(v1, v2);
    }
  });

  it("zero clears exactly the first N floats, on one thread or two", () => {
    for (const kernels of [one, two]) {
      for (const [length, N] of [
        [100_003, 100_001],
        [40_000, 40_000],
        [7, 5],
      ]) {
        const buffer = kernels.alloc(length);
        buffer.fill(3);
        kernels.zero(buffer, N);
        expect(buffer.subarray(0, N).every((x) => x === 0)).toBe(true);
        expect(Array.from(buffer.subarray(N))).toEqual(new Array(length - N).fill(3));
      }
      const plain = new Float32Array(10).fill(2);
      kernels.zero(plain, 4);
      expect(Array.from(plain)).toEqual([0, 0, 0, 0, 2, 2, 2, 2, 2, 2]);
    }
  });

  it("with spinMs 0 each side sleeps at once and is woken for every job: the same floats", async () => {
    const sleepy = createWasmKernels({ threads: 2, spinMs: 0 });
    try {
      const [N, IC, OC] = [256, 64, 96];
      const inp = fillRandn(new Float32Array(N * IC), seededRandom(40)),
        w = fillRandn(new Float32Array(OC * IC), seededRandom(41));
      const expected = new Float32Array(N * OC);
      one.linearForward(expected, inp, w, null, N, IC, OC);
      for (let round = 0; round < 20; round++) {
        const out = sleepy.alloc(N * OC);
        sleepy.linearForward(out, inp, w, null, N, IC, OC);
        same(expected, out);
        // long enough for a spinning side to have given up; here both sleep at once anyway
        await new Promise((resolve) => setTimeout(resolve, round % 5));
      }
    } finally {
      await sleepy.close?.();
    }
  });

  it("a training step of the baby model leaves the same weights", () => {
    const step = (kernels: WasmKernels) => {
      const config = presetConfig("baby", 65);
      const model = new GPT(config, { kernels }).init(seededRandom(1));
      const opt = new AdamW(paramSpecs(config), model.params.length, DEFAULT_ADAMW, kernels);
      const rng = seededRandom(2);
      const ids = Int32Array.from({ length: 12 * 64 }, () => rng.int(65));
      const targets = Int32Array.from({ length: 12 * 64 }, () => rng.int(65));
      for (let i = 0; i < 2; i++) {
        model.forward(ids, 12, 64, targets);
        model.zeroGrad();
        model.backward();
        opt.step(model.params, model.grads, 1e-3);
      }
      return model.params as Float32Array;
    };
    same(step(one), step(two));
  });
});
