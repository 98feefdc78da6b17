/**
 * No picture's data shows a bare byte label: with the shipped model and a Japanese text whose
 * rare kanji fall back to bytes, the attention labels, the predicted candidates and the loss
 * topic's tokens and guesses are pieces of characters (鬱 1/3) or marked unfinished (<e8>…).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { attentionMaps } from "../../src/app/attention.ts";
import { explainText } from "../../src/app/explain/index.ts";
import { loadDefaultModel } from "../../src/app/load-model.ts";
import type { ModelHandle } from "../../src/app/model-handle.ts";
import { predictNext } from "../../src/app/predict.ts";

const TEXT = "今日は鬱な気分で猫";
/** a label that is only bytes, with neither its character nor the unfinished mark */
const BARE_BYTES = /^(?:<[0-9a-f]{2}>)+$/;

let handle: ModelHandle;
beforeAll(async () => {
  handle = await loadDefaultModel();
});

describe("labels of a Japanese text with byte-fallback kanji (shipped model)", () => {
  it("the text really has byte pieces", () => {
    expect(handle.tokenizer.encode("鬱").ids.every((id) => id < 256)).toBe(true);
  });

  it("attention: every token is a character, a word or a piece of a character", () => {
    const tokens = attentionMaps(handle, TEXT).tokens;
    expect(tokens).toContain("鬱\u00a01/3");
    expect(tokens.filter((t) => BARE_BYTES.test(t))).toEqual([]);
  });

  it("predict: no candidate is a bare byte, also among the most candidates shown", () => {
    const candidates = predictNext(handle, TEXT, { k: 50 }).candidates.map((c) => c.token);
    expect(candidates.length).toBe(50);
    expect(candidates.filter((t) => BARE_BYTES.test(t))).toEqual([]);
  });

  it("/explain loss (whose scores the bits-per-byte picture shares): the tokens and the model's guesses", () => {
    const table = explainText(handle, "loss", { lang: "ja", text: TEXT }).table?.join("\n") ?? "";
    expect(table).toContain("鬱\u00a01/3");
    expect(table.match(/(?<![0-9a-f>])<[0-9a-f]{2}>(?!…|<)/g) ?? []).toEqual([]);
  });
});
