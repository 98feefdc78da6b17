/**
 * Fine-tuning: training continues from a pretrained model (here a small random GPT-2-layout
 * folder with GPT-2's real vocabulary), keeping its config and tokenizer; it resumes from an
 * evaluation's checkpoint, keeps the best-validation weights, and a run that cannot fit in
 * memory is refused before anything is allocated.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadModelFile } from "../../src/app/load-model.ts";
import { type BaseModel, FINE_TUNE, recomputeHeldOutLoss, trainModel } from "../../src/app/train-model.ts";
import { checkTrainingMemory, KERNEL_MEMORY_LIMIT, MemoryTooSmallError } from "../../src/app/training-memory.ts";
import { loadCheckpointBytes } from "../../src/model/checkpoint.ts";
import { createWasmKernels } from "../../src/tensor/wasm/index.ts";
import { tokenizerFromJSON } from "../../src/tokenizer/from-json.ts";
import { smallCorpus } from "../helpers/corpus.ts";
import { writeTinyGpt2 } from "../helpers/tiny-gpt2.ts";

const dir = mkdtempSync(join(tmpdir(), "fine-tune-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const kernels = createWasmKernels();
let loaded: Promise<{ base: BaseModel; baseLoss: number }> | null = null;

/** The base, loaded once, and its own loss over the held-out split the trainings use. */
function base() {
  loaded ??= loadModelFile(writeTinyGpt2(join(dir, "gpt2-tiny")), "gpt2-tiny", kernels).then((handle) => ({
    base: { name: "gpt2-tiny", config: handle.model.config, params: handle.model.params, tokenizer: handle.tokenizer },
    baseLoss: recomputeHeldOutLoss(handle.model, handle.tokenizer, smallCorpus(), options.seed, FINE_TUNE.batchSize),
  }));
  return loaded;
}

const options = {
  preset: "tiny" as const,
  tokenizer: "char" as const,
  vocabSize: 0,
  seed: 3,
  evalInterval: 10,
  evalBatches: 2,
  maxLr: 1e-2,
};

describe("fine-tuning a pretrained model", () => {
  it("lowers the loss, keeps the base's config and tokenizer, and records its base", async () => {
    const { base: b, baseLoss } = await base();
    const steps: number[] = [];
    const trained = trainModel(smallCorpus(), { ...options, steps: 30, base: b }, { onProgress: (p) => steps.push(p.step) }, kernels);
    const { config, meta, params } = loadCheckpointBytes(trained.checkpoint, "fine-tuned");
    // 1. the base's shape and vocabulary, not the tiny preset's and not a tokenizer of the corpus
    expect(config).toEqual(b.config);
    expect(meta.tokenizer).toEqual(b.tokenizer.toJSON());
    const text = "It rained yesterday. 昨日は雨";
    expect(tokenizerFromJSON(meta.tokenizer).encode(text).ids).toEqual(b.tokenizer.encode(text).ids);
    expect(meta.preset).toBeUndefined();
    expect((meta.extra as { base: { name: string } }).base.name).toBe("gpt2-tiny");
    // 2. it started from the base's weights and moved them
    expect(params).not.toEqual(Float32Array.from(b.params));
    // 3. the held-out loss fell from the base's own (random weights over 50,257 tokens: about ln V)
    expect(baseLoss).toBeGreaterThan(10);
    expect(trained.kept.heldOutLoss).toBeLessThan(baseLoss - 0.3);
    expect(meta.valLoss).toBe(trained.kept.heldOutLoss);
    expect(steps.at(-1)).toBe(30);
  });

  it("resumes from an evaluation's checkpoint: same base, same tokenizer, the step goes on", async () => {
    const { base: b } = await base();
    const checkpoints: Uint8Array[] = [];
    trainModel(smallCorpus(), { ...options, steps: 20, base: b }, { onCheckpoint: (bytes) => checkpoints.push(bytes) }, kernels);
    // a run killed after its first evaluation restarts from that checkpoint alone (no base given)
    const resumed = trainModel(smallCorpus(), { ...options, steps: 10, resumeFrom: checkpoints[0] }, {}, kernels);
    const meta = loadCheckpointBytes(resumed.checkpoint, "resumed").meta;
    expect(resumed.result.curve[0].step).toBe(11);
    expect(resumed.kept.lastStep).toBe(20);
    expect(meta.tokenizer).toEqual(b.tokenizer.toJSON());
    expect((meta.extra as { base: { name: string } }).base.name).toBe("gpt2-tiny");
    expect(loadCheckpointBytes(resumed.checkpoint, "resumed").config).toEqual(b.config);
  });

  it("is refused up front, with the figures, when the kernels' memory cannot hold it", async () => {
    const { base: b } = await base();
    const fresh = createWasmKernels({ initialBytes: 1 << 20 });
    // 2,000 × 8 tokens of 50,257 logits: their activations and gradients alone need ~12 GiB
    const run = () => trainModel(smallCorpus(), { ...options, steps: 1, base: b, batchSize: 2000, context: 8 }, {}, fresh);
    expect(run).toThrow(MemoryTooSmallError);
    expect(run).toThrow(
      /training 403,008 parameters at a batch of 2000 × 8 tokens needs \d+\.\d\d GiB; the kernels' WebAssembly memory holds at most 4\.00 GiB/,
    );
    expect(fresh.memory.buffer.byteLength).toBeLessThan(64 << 20); // nothing was allocated for it
  });

  it("counts GPT-2 small's fine-tuning at 4 × 128 within the kernels' memory, and refuses it on a machine with 2 GiB free", () => {
    const gpt2 = { vocabSize: 50257, blockSize: 1024, nLayer: 12, nHead: 12, nEmbd: 768, bias: true };
    const need = checkTrainingMemory(gpt2, 4, 128, true, 64 * 2 ** 30);
    expect(need.parameters).toBe(124_439_808);
    expect(need.kernelBytes).toBeLessThan(KERNEL_MEMORY_LIMIT);
    expect(need.kernelBytes).toBeGreaterThan(4 * 4 * need.parameters); // weights, gradients, two moments and more
    expect(() => checkTrainingMemory(gpt2, 4, 128, true, 2 * 2 ** 30)).toThrow(/this machine has free 2\.00 GiB/);
  });
});
