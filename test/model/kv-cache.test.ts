import { describe, expect, it } from "vitest";
import { GPT } from "../../src/model/gpt.ts";
import { KVCachedModel } from "../../src/model/kv-cache.ts";
import { presetConfig } from "../../src/model/config.ts";
import { seededRandom } from "../../src/tensor/random.ts";
import { generate, modelLogitSource } from "../../src/sample/generate.ts";
import { DEFAULT_SAMPLING } from "../../src/sample/sampling.ts";
import { type Kernels, referenceKernels } from "../../src/tensor/kernels.ts";
import { createWasmKernels } from "../../src/tensor/wasm/index.ts";

const wasm = createWasmKernels();

function model(bias: boolean, kernels: Kernels = referenceKernels, gelu?: "erf") {
  const m = new GPT(presetConfig("tiny", 40, { bias, ...(gelu && { gelu }) }), { kernels }).init(seededRandom(4));
  // non-zero biases and gains, so every term of the cached path matters
  const rng = seededRandom(5);
  for (let i = 0; i < m.params.length; i++) m.params[i] += 0.05 * rng.normal();
  return m;
}

describe("KV-cached generation", () => {
  for (const [bias, gelu] of [[false], [true], [false, "erf"]] as [boolean, "erf"?][]) {
    it(`gives bit-identical logits to the full forward pass (bias ${bias}${gelu ? ", exact GELU" : ""})`, () => {
      const m = model(bias, referenceKernels, gelu);
      const full = modelLogitSource(m);
      const cached = new KVCachedModel(m);
      const rng = seededRandom(6);
      const ids = Array.from({ length: 16 }, () => rng.int(40));
      for (let t = 1; t <= 16; t++) {
        const context = Int32Array.from(ids.slice(0, t));
        expect(Array.from(cached.nextLogits(context))).toEqual(Array.from(full.nextLogits(context)));
      }
      // an unrelated context (not an extension) starts over and is still exact
      const other = Int32Array.from([3, 1, 4, 1, 5]);
      expect(Array.from(cached.nextLogits(other))).toEqual(Array.from(full.nextLogits(other)));
    });
  }

  it("with the WebAssembly kernels too: the row kernels repeat the blocked kernels' sums in their order", () => {
    for (const bias of [false, true]) {
      const m = model(bias, wasm);
      const full = modelLogitSource(m);
      const cached = new KVCachedModel(m);
      const rng = seededRandom(7);
      const ids = Array.from({ length: 16 }, () => rng.int(40));
      for (let t = 1; t <= 16; t++) {
        const context = Int32Array.from(ids.slice(0, t));
        expect(Array.from(cached.nextLogits(context)), `t=${t}`).toEqual(Array.from(full.nextLogits(context)));
      }
    }
  });

  it("generates the same tokens as the cache-less path for the same seed, across context slides", () => {
    const m = model(false, wasm);
    const options = { ...DEFAULT_SAMPLING, temperature: 1, maxTokens: 40, seed: 9, repetitionWindow: 16, candidatesPerStep: 3 };
    const plain = generate(modelLogitSource(m), [1, 2, 3], options);
    const fast = generate(new KVCachedModel(m), [1, 2, 3], options);
    expect(fast.ids).toEqual(plain.ids); // 43 tokens > block 16: the window slides
    expect(plain.ids).toHaveLength(40);
  });

  it("refuses contexts it cannot hold", () => {
    const cached = new KVCachedModel(model(false));
    expect(() => cached.nextLogits(new Int32Array(17))).toThrow("context has 17 tokens, block size is 16");
    expect(() => cached.nextLogits(Int32Array.from([99]))).toThrow("token id 99");
  });
});
