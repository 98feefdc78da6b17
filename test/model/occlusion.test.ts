import { describe, expect, it } from "vitest";
import { GPT } from "../../src/model/gpt.ts";
import { occludedFinalRows } from "../../src/model/occlusion.ts";
import { presetConfig } from "../../src/model/config.ts";
import { seededRandom } from "../../src/tensor/random.ts";
import { type Kernels, referenceKernels } from "../../src/tensor/kernels.ts";
import { createWasmKernels } from "../../src/tensor/wasm/index.ts";

const wasm = createWasmKernels();

function model(bias: boolean, kernels: Kernels, dtype?: "float64") {
  const m = new GPT(presetConfig("tiny", 40, { bias }), { kernels, ...(dtype && { dtype }) }).init(seededRandom(4));
  // non-zero biases and gains, so every term of the suffix pass matters
  const rng = seededRandom(5);
  for (let i = 0; i < m.params.length; i++) m.params[i] += 0.05 * rng.normal();
  return m;
}

/** The plain way: a full forward over each shortened text, its last position's ln_f [T, C]. */
function plainOcclusion(m: GPT, ids: number[]): number[][] {
  const C = m.config.nEmbd;
  return ids.map((_, r) => {
    const without = Int32Array.from([...ids.slice(0, r), ...ids.slice(r + 1)]);
    const S = without.length;
    return Array.from(m.forwardBlocks(without, 1, S).lnf.subarray((S - 1) * C, S * C));
  });
}

function rowsOf(flat: ArrayLike<number>, T: number, C: number): number[][] {
  return Array.from({ length: T }, (_, r) => Array.from(flat).slice(r * C, (r + 1) * C));
}

describe("occlusion with the unchanged prefix reused", () => {
  const rng = seededRandom(6);
  const ids = Array.from({ length: 16 }, () => rng.int(40));

  for (const [name, kernels] of [
    ["reference", referenceKernels],
    ["WebAssembly", wasm],
  ] as const) {
    for (const bias of [false, true]) {
      it(`equals a full pass over each shortened text, bit for bit (${name} kernels, bias ${bias})`, () => {
        const m = model(bias, kernels);
        const C = m.config.nEmbd;
        const fast = rowsOf(occludedFinalRows(m, Int32Array.from(ids)), ids.length, C);
        expect(fast).toEqual(plainOcclusion(m, ids));
      });
    }
  }

  it("in float64 too, and for the shortest text (2 tokens); 1 token is refused with the count", () => {
    const m = model(true, referenceKernels, "float64");
    const C = m.config.nEmbd;
    for (const some of [ids, ids.slice(0, 2)]) {
      expect(rowsOf(occludedFinalRows(m, Int32Array.from(some)), some.length, C)).toEqual(plainOcclusion(m, some));
    }
    expect(() => occludedFinalRows(m, Int32Array.from([3]))).toThrow("occlusion needs at least 2 input tokens, got 1");
  });

  it("a text over several batches gives the same rows as over one", () => {
    const m = model(false, wasm);
    const C = m.config.nEmbd;
    const long = Array.from({ length: m.config.blockSize }, (_, i) => (i * 7 + 3) % 40);
    const fast = rowsOf(occludedFinalRows(m, Int32Array.from(long), { rowsPerBatch: 20 }), long.length, C);
    expect(fast).toEqual(plainOcclusion(m, long));
  });
});
