/**
 * The model's activations reuse their buffers across pass shapes: a bot answering prompts of
 * every length, or a training whose last evaluation batch is short, must not grow its memory
 * with each new shape (kernel memory is never freed).
 */
import { describe, expect, it } from "vitest";
import { GPT } from "../../src/model/gpt.ts";
import { presetConfig } from "../../src/model/config.ts";
import { seededRandom } from "../../src/tensor/random.ts";
import { createWasmKernels } from "../../src/tensor/wasm/index.ts";

describe("GPT activations", () => {
  it("do not grow the kernel memory for passes of other, smaller shapes", () => {
    const kernels = createWasmKernels({ initialBytes: 1 << 20 });
    const model = new GPT(presetConfig("tiny", 50), { kernels }).init(seededRandom(1));
    const rng = seededRandom(2);
    const pass = (B: number, T: number) => {
      const ids = Int32Array.from({ length: B * T }, () => rng.int(50));
      const { logits } = model.forward(ids, B, T, ids);
      model.backward();
      return logits;
    };
    pass(8, 16); // the largest shape first
    const bytes = kernels.memory.buffer.byteLength;
    // a fresh model of the same weights, in memory of its own
    const reference = new GPT(presetConfig("tiny", 50), { kernels: createWasmKernels({ initialBytes: 1 << 20 }) }).init(seededRandom(1));
    for (let i = 0; i < 200; i++) {
      const B = 1 + (i % 8),
        T = 1 + (i % 16);
      const logits = pass(B, T);
      // and the views over the reused buffers give the same numbers as a fresh model's
      if (i % 50 === 0) {
        const ids = Int32Array.from({ length: B * T }, (_, j) => j % 50);
        expect(Array.from(model.forward(ids, B, T).logits)).toEqual(Array.from(reference.forward(ids, B, T).logits));
      }
      expect(logits.length).toBe(B * T * 50);
    }
    expect(kernels.memory.buffer.byteLength).toBe(bytes);
  });

  it("of a forward without targets come without their gradients: an answering model needs half the memory", () => {
    const grown = (withTargets: boolean) => {
      const kernels = createWasmKernels({ initialBytes: 1 << 20 });
      const model = new GPT(presetConfig("tiny", 50), { kernels }).init(seededRandom(1));
      const before = kernels.memory.buffer.byteLength;
      const ids = Int32Array.from({ length: 32 * 16 }, (_, j) => j % 50);
      model.forward(ids, 32, 16, withTargets ? ids : null);
      if (withTargets) model.backward();
      return kernels.memory.buffer.byteLength - before;
    };
    const answering = grown(false);
    const training = grown(true);
    expect(answering).toBeGreaterThan(0);
    expect(answering).toBeLessThan(0.6 * training);
  });

  it("a model that answered first still trains exactly: the gradients arrive with the first targets", () => {
    const config = presetConfig("tiny", 50);
    const answeredFirst = new GPT(config).init(seededRandom(3));
    const fresh = new GPT(config).init(seededRandom(3));
    const ids = Int32Array.from({ length: 2 * 16 }, (_, j) => (j * 7) % 50);
    answeredFirst.forward(ids, 2, 16);
    answeredFirst.forward(ids.subarray(0, 8), 1, 8);
    for (const m of [answeredFirst, fresh]) {
      m.zeroGrad();
      m.forward(ids, 2, 16, ids);
      m.backward();
    }
    expect(Array.from(answeredFirst.grads)).toEqual(Array.from(fresh.grads));
  });
});
