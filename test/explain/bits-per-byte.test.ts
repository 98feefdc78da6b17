/**
 * /explain bits-per-byte: the sentence's figure is the one `cli eval` computes (loss × tokens ÷
 * (bytes × ln 2)), in both languages; the held-out table appears only for the model it was
 * recorded for (the shipped one), and the record matches the shipped model's parameters.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { evaluateText } from "../../src/app/evaluate-text.ts";
import { explainText, explainTopic, explanationText } from "../../src/app/explain/index.ts";
import { heldOutFiguresOf, readHeldOutRecord } from "../../src/app/heldout-record.ts";
import { readFileSync } from "node:fs";
import { DEFAULT_MODEL_PATH, loadDefaultModel } from "../../src/app/load-model.ts";
import type { ModelHandle } from "../../src/app/model-handle.ts";
import { fixed } from "../../src/explain/format.ts";
import { loadHandle, perturbedHandle, trainTestModel } from "./helpers.ts";

let shipped: ModelHandle;
let small: ModelHandle;
let checkpoint: Uint8Array;

beforeAll(async () => {
  shipped = await loadDefaultModel();
  checkpoint = trainTestModel();
  small = loadHandle(checkpoint);
});

describe("bits per byte of the sentence", () => {
  it.each([
    ["en", "It rained yesterday, but today it is sunny."],
    ["ja", "猫が座った。今日は晴れです。"],
  ] as const)("%s: the figure cli eval gives, with its loss, tokens and bytes", (lang, sentence) => {
    const e = evaluateText(shipped, sentence);
    const body = explanationText(explainText(shipped, "bits-per-byte", { lang, text: sentence }));
    expect(body).toContain(`${fixed(e.lossPerToken, 3)} × ${e.tokens} ÷ (${e.bytes} × 0.693)`);
    expect(body).toContain(fixed(e.bitsPerByte, 3));
    expect(e.bytes).toBe(Buffer.byteLength(sentence));
  });
});

describe("the held-out figures", () => {
  it("the record is of the shipped model's parameters, and its table is shown for it, ja first in Japanese", () => {
    const record = readHeldOutRecord();
    expect(record, "eval/heldout/results.json is missing: npx tsx scripts/heldout-eval.ts --record").not.toBeNull();
    const figures = heldOutFiguresOf(shipped);
    expect(figures, "the record does not match the shipped model: re-run npx tsx scripts/heldout-eval.ts --record").not.toBeNull();
    const ja = explainText(shipped, "bits-per-byte", { lang: "ja" });
    const rows = ja.table!.slice(1); // under the header
    expect(rows[0]).toContain(fixed(figures!.find((f) => f.lang === "ja")!.bitsPerByte, 3));
    for (const f of figures!) expect(ja.table!.join("\n")).toContain(fixed(f.xz, 3));
  });

  it("a model without a record (or with changed weights) gets no table, and is told how to measure", () => {
    expect(heldOutFiguresOf(small)).toBeNull();
    // the shipped model with every weight nudged is another model
    expect(heldOutFiguresOf(perturbedHandle(readFileSync(DEFAULT_MODEL_PATH)))).toBeNull();
    const e = explainText(small, "bits-per-byte", { lang: "en" });
    expect(e.table).toBeUndefined();
    expect(explanationText(e)).toContain("No held-out figures are recorded for this model");
  });

  it("draws the per-token picture", async () => {
    const e = await explainTopic(small, "bits-per-byte", { lang: "en" });
    expect(e.pictures.map((p) => p.name)).toEqual(["bits-per-byte.png"]);
  });
});
