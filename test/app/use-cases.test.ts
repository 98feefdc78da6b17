import { beforeAll, describe, expect, it } from "vitest";
import { trainModel } from "../../src/app/train-model.ts";
import { loadCheckpointBytes } from "../../src/model/checkpoint.ts";
import { handleFromCheckpoint, type ModelHandle } from "../../src/app/model-handle.ts";
import { attentionMaps, attentionPicture } from "../../src/app/attention.ts";
import { predictNext } from "../../src/app/predict.ts";
import { generateText } from "../../src/app/generate-text.ts";
import { embeddingsPicture, lossPicture, modelCardPicture, tokensPicture, tracePicture } from "../../src/app/pictures.ts";
import { modelInfo } from "../../src/app/model-info.ts";
import { MAX_INPUT_CHARS } from "../../src/app/prompt.ts";
import { smallCorpus } from "../helpers/corpus.ts";
import { redactGeneration } from "../../src/app/redaction.ts";
import { attentionGridLayout, renderAttentionGrid } from "../../src/render/attention.ts";

/** A PNG's height from its IHDR chunk. */
const pngHeight = (png: Uint8Array) => new DataView(png.buffer, png.byteOffset).getUint32(20);

let handle: ModelHandle;
beforeAll(() => {
  const trained = trainModel(smallCorpus(), { preset: "tiny", tokenizer: "bpe", vocabSize: 300, steps: 30, seed: 1, evalInterval: 15 });
  handle = handleFromCheckpoint(loadCheckpointBytes(trained.checkpoint, "test"), "test model");
});

const isPng = (b: Uint8Array) => b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47;

describe("use cases", () => {
  it("attention maps: every layer and head, rows that sum to 1, starting with the end-of-text token", () => {
    const maps = attentionMaps(handle, "It rained yesterday");
    const T = maps.tokens.length;
    expect(maps.tokens[0]).toBe("<|endoftext|>");
    expect(maps.weights).toHaveLength(2);
    expect(maps.weights[0]).toHaveLength(2);
    for (const layer of maps.weights)
      for (const w of layer) {
        for (let q = 0; q < T; q++) {
          let sum = 0;
          for (let k = 0; k < T; k++) sum += w[q * T + k];
          expect(sum).toBeCloseTo(1, 5);
        }
      }
  });

  it("layer:N alone draws that layer's heads in one row, titled and labelled with the layer", async () => {
    const all = await attentionPicture(handle, "It rained on the", { lang: "en" });
    const one = await attentionPicture(handle, "It rained on the", { layer: 1, lang: "en" });
    const maps = attentionMaps(handle, "It rained on the");
    const expected = await renderAttentionGrid({
      tokens: maps.tokens,
      weights: [maps.weights[1]],
      layer: 1,
      modelName: handle.name,
      lang: "en",
    });
    expect(Buffer.from(one.png).equals(Buffer.from(expected))).toBe(true);
    expect(pngHeight(one.png)).toBeLessThan(pngHeight(all.png));
    const other = await attentionPicture(handle, "It rained on the", { layer: 0, lang: "en" });
    expect(Buffer.from(other.png).equals(Buffer.from(one.png))).toBe(false);
    const layout = attentionGridLayout({ tokens: maps.tokens, weights: [maps.weights[1]], layer: 1, modelName: "m", lang: "en" });
    expect(layout.layers).toBe(1);
  });

  it("refuses layers and heads that do not exist, naming the range", async () => {
    await expect(attentionPicture(handle, "hi", { layer: 2, head: 0, lang: "en" })).rejects.toThrow(
      "layer 2 does not exist: this model has layers 0–1",
    );
    await expect(attentionPicture(handle, "hi", { layer: 0, head: -1, lang: "en" })).rejects.toThrow("head -1 does not exist");
    await expect(attentionPicture(handle, "   ", { lang: "en" })).rejects.toThrow("the text is empty");
  });

  it("refuses text over the limit and options out of range", () => {
    const huge = "a".repeat(MAX_INPUT_CHARS + 1);
    expect(() => predictNext(handle, huge)).toThrow(`the text has ${MAX_INPUT_CHARS + 1} characters, the limit is ${MAX_INPUT_CHARS}`);
    expect(() => predictNext(handle, "x", { k: 0 })).toThrow("k must be a whole number from 1 to 50 (you gave 0).");
    expect(() => predictNext(handle, "x", { temperature: 1e9 })).toThrow(
      "temperature must be a number from 0.01 to 10 (you gave 1000000000).",
    );
    expect(() => generateText(handle, "x", { maxTokens: 0 })).toThrow("tokens must be a whole number from 1 to 200 (you gave 0).");
    expect(() => generateText(handle, "x", { seed: Number.NaN })).toThrow("seed must be a whole number of at least 0 (you gave NaN).");
  });

  it("a long prompt keeps its last block of tokens and says how many it dropped", () => {
    const r = predictNext(handle, "It rained yesterday, but today it is sunny. ".repeat(20));
    expect(r.inputIds.length).toBe(16);
    expect(r.dropped).toBeGreaterThan(0);
  });

  it("every picture is a PNG", async () => {
    const info = modelInfo(handle);
    const generated = generateText(handle, "It rained", { maxTokens: 8, seed: 2 });
    for (const png of [
      (await attentionPicture(handle, "昨日は雨", { lang: "ja" })).png,
      (await attentionPicture(handle, "today", { layer: 1, head: 1, lang: "en" })).png,
      await tracePicture(handle, redactGeneration(handle, generated, null), "en"),
      await tokensPicture(handle, "昨日は雨だったけど、today is sunny 👩🏽‍💻", "ja"),
      await embeddingsPicture(handle, "en", "the"),
      await lossPicture(info, "en"),
      await modelCardPicture(info, "ja"),
    ])
      expect(isPng(png)).toBe(true);
  });
});
