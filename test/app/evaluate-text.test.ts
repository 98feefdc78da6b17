import { describe, expect, it } from "vitest";
import { evaluateText } from "../../src/app/evaluate-text.ts";
import { handleFromCheckpoint } from "../../src/app/model-handle.ts";
import { trainModel } from "../../src/app/train-model.ts";
import { loadCheckpointBytes } from "../../src/model/checkpoint.ts";
import { smallCorpus } from "../helpers/corpus.ts";

const trained = trainModel(smallCorpus(), { preset: "tiny", tokenizer: "charbpe", vocabSize: 320, steps: 30, seed: 2, evalInterval: 30 });
const handle = handleFromCheckpoint(loadCheckpointBytes(trained.checkpoint, "tiny"), "tiny");
const T = handle.model.config.blockSize; // 16

/** −ln p(stream[j] | the window the evaluation documents for j), from the model's own cross-entropy. */
function referenceLoss(stream: number[], j: number): number {
  // the first window (starts 0, T/2, T, …) whose inputs reach position j − 1
  const stride = T / 2;
  const start = Math.max(0, Math.ceil((j - T) / stride) * stride);
  const x = Int32Array.from(stream.slice(start, j));
  const y = new Int32Array(x.length).fill(-1);
  y[x.length - 1] = stream[j]!;
  return handle.model.forward(x, 1, x.length, y).loss!;
}

describe("evaluateText: bits per byte of a text", () => {
  it("on a text shorter than a block, its loss per token is the model's own cross-entropy loss", () => {
    const text = "今日は雨";
    const ids = handle.tokenizer.encode(text).ids;
    expect(ids.length + 1).toBeLessThanOrEqual(T);
    const stream = Int32Array.from([handle.tokenizer.eotId, ...ids]);
    const loss = handle.model.forward(stream.subarray(0, ids.length), 1, ids.length, stream.subarray(1)).loss!;
    const e = evaluateText(handle, text);
    expect(e.tokens).toBe(ids.length);
    expect(e.bytes).toBe(Buffer.byteLength(text));
    expect(e.lossPerToken).toBeCloseTo(loss, 5);
    expect(e.bitsPerByte).toBeCloseTo((loss * ids.length) / Math.LN2 / e.bytes, 5);
  });

  it("on a long text, scores every token once with at least half a block of context", () => {
    const text = smallCorpus().slice(0, 8).join("\n");
    const ids = handle.tokenizer.encode(text).ids;
    expect(ids.length).toBeGreaterThan(5 * T);
    const stream = [handle.tokenizer.eotId, ...ids];
    let sum = 0;
    for (let j = 1; j < stream.length; j++) sum += referenceLoss(stream, j);
    const e = evaluateText(handle, text);
    expect(e.tokens).toBe(ids.length);
    expect(e.lossPerToken).toBeCloseTo(sum / ids.length, 4);
    expect(e.bitsPerByte).toBeCloseTo(sum / Math.LN2 / Buffer.byteLength(text), 4);
  });

  it("a trained model predicts its corpus better than uniform guessing, and empty text is refused", () => {
    const e = evaluateText(handle, smallCorpus()[0]!);
    expect(e.lossPerToken).toBeLessThan(Math.log(handle.tokenizer.vocabSize));
    expect(() => evaluateText(handle, "")).toThrow("the text to evaluate is empty");
  });
});
