import { describe, expect, it } from "vitest";
import { referenceKernels, type Kernels } from "../../src/tensor/kernels.ts";
import { attentionForward } from "../../src/tensor/attention.ts";
import { linearForward } from "../../src/tensor/linear.ts";
import { fillRandn, seededRandom } from "../helpers/random.ts";

describe("referenceKernels", () => {
  const kernels: Kernels = referenceKernels;

  it("has a name and allocates zeroed float32 buffers", () => {
    expect(kernels.name).toBe("typescript");
    const buffer = kernels.alloc(10);
    expect(buffer).toBeInstanceOf(Float32Array);
    expect(buffer.length).toBe(10);
    expect(buffer.every((x) => x === 0)).toBe(true);
  });

  it("runs a linear layer and attention on its own buffers, like the plain functions", () => {
    const random = seededRandom(1);
    const B = 1,
      T = 3,
      C = 4,
      NH = 2,
      N = B * T;
    // linear: inp [N,C] → qkv [N,3C] with weight [3C,C], bias [3C]
    const inp = fillRandn(kernels.alloc(N * C), random);
    const weight = fillRandn(kernels.alloc(3 * C * C), random);
    const bias = fillRandn(kernels.alloc(3 * C), random);
    const qkv = kernels.alloc(N * 3 * C);
    kernels.linearForward(qkv, inp, weight, bias, N, C, 3 * C);
    const expectedQkv = new Float32Array(N * 3 * C);
    linearForward(expectedQkv, inp, weight, bias, N, C, 3 * C);
    expect(qkv).toEqual(expectedQkv);

    // attention: qkv [B,T,3C] → out [B,T,C], att [B,NH,T,T]
    const out = kernels.alloc(N * C),
      preatt = kernels.alloc(B * NH * T * T),
      att = kernels.alloc(B * NH * T * T);
    kernels.attentionForward(out, preatt, att, qkv, B, T, C, NH);
    const expectedOut = new Float32Array(N * C);
    attentionForward(expectedOut, new Float32Array(att.length), new Float32Array(att.length), qkv, B, T, C, NH);
    expect(out).toEqual(expectedOut);

    // backward through both: gradients land in every input
    const dout = fillRandn(kernels.alloc(N * C), random);
    const dqkv = kernels.alloc(qkv.length);
    kernels.attentionBackward(dqkv, kernels.alloc(att.length), kernels.alloc(att.length), dout, qkv, att, B, T, C, NH);
    const dinp = kernels.alloc(inp.length),
      dweight = kernels.alloc(weight.length),
      dbias = kernels.alloc(bias.length);
    kernels.linearBackward(dinp, dweight, dbias, dqkv, inp, weight, N, C, 3 * C);
    for (const gradient of [dqkv, dinp, dweight, dbias]) {
      expect(gradient.every(Number.isFinite)).toBe(true);
      expect(gradient.some((x) => x !== 0)).toBe(true);
    }
  });
});
