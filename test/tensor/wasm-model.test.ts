/**
 * The whole GPT on the WebAssembly kernels against the same GPT on the reference kernels:
 * same loss, same gradients (to float32 rounding), and the same few training steps.
 */
import { describe, expect, it } from "vitest";
import { GPT } from "../../src/model/gpt.ts";
import { presetConfig } from "../../src/model/config.ts";
import { referenceKernels } from "../../src/tensor/kernels.ts";
import { createWasmKernels } from "../../src/tensor/wasm/index.ts";
import { seededRandom } from "../helpers/random.ts";
import { maxRelativeDifference } from "./harness.ts";

describe("GPT on the WebAssembly kernels", () => {
  it("gives the reference's loss and gradients, with every buffer in the WebAssembly memory", () => {
    // head size 8, biases on: every kernel path of a block
    const config = presetConfig("tiny", 20, { bias: true });
    const kernels = createWasmKernels();
    const reference = new GPT(config, { kernels: referenceKernels }).init(seededRandom(1));
    const model = new GPT(config, { kernels }).init(seededRandom(1));
    expect(kernels.owns(model.params) && kernels.owns(model.grads)).toBe(true);

    const B = 3,
      T = config.blockSize;
    const random = seededRandom(2);
    const ids = Int32Array.from({ length: B * T }, () => random.int(20));
    const targets = Int32Array.from({ length: B * T }, () => random.int(20));
    const expectedLoss = reference.forward(ids, B, T, targets).loss!;
    const loss = model.forward(ids, B, T, targets).loss!;
    expect(Math.abs(loss - expectedLoss)).toBeLessThan(1e-5 * expectedLoss);

    reference.zeroGrad();
    reference.backward();
    model.zeroGrad();
    model.backward();
    // gradients of size ~1e-3..1e-1: compare relative to the largest
    let largest = 0;
    for (const g of reference.grads) largest = Math.max(largest, Math.abs(g));
    expect(maxRelativeDifference(model.grads, reference.grads, largest)).toBeLessThan(1e-4);
  });
});
