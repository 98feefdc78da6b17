/**
 * The explanations as a newcomer reads them (issue 19, item 7): no reference to an article the
 * reader does not have, √d_head explained, Japanese layers named as the pictures name them,
 * the shipped model's name translated, quoted sentences cut between words, and the attention
 * table's column of positions not called "key".
 */
import { beforeAll, describe, expect, it } from "vitest";
import { explainText, explainWords, explanationMessage, TOPICS } from "../../src/app/explain/index.ts";
import { loadDefaultModel } from "../../src/app/load-model.ts";
import type { ModelHandle } from "../../src/app/model-handle.ts";
import { SHIPPED_MODEL } from "../../src/app/model-identity.ts";
import { cut } from "../../src/explain/format.ts";

let shipped: ModelHandle;

beforeAll(async () => {
  shipped = { ...(await loadDefaultModel()), identity: SHIPPED_MODEL };
});

const written = new Map<string, string>();
/** Every word every topic writes (paragraphs, tables, picture labels), once per language. */
const everything = (lang: "en" | "ja") => {
  if (!written.has(lang)) written.set(lang, TOPICS.map((topic) => JSON.stringify(explainWords(shipped, topic, { lang }))).join("\n"));
  return written.get(lang)!;
};

describe("cut", () => {
  it("cuts English at a space, never inside a word", () => {
    expect(cut("It rained yesterday, but today it is sunny.", 40)).toBe("It rained yesterday, but today it is…");
    expect(cut("short", 40)).toBe("short");
  });

  it("cuts text without spaces between characters, and a single long word where it must", () => {
    expect(cut("昨日は雨だったけど、今日は晴れだった。", 10)).toBe("昨日は雨だったけど…");
    expect(cut("a supercalifragilisticexpialidocious", 12)).toBe("a supercali…");
  });
});

describe.each(["en", "ja"] as const)("every topic in %s", (lang) => {
  it("names no article and no 'article's' source the reader cannot see", () => {
    expect(everything(lang)).not.toMatch(lang === "en" ? /article/i : /記事/);
  });

  it("says the model's name in the reader's language", () => {
    const first = explanationMessage(explainText(shipped, "loss", { lang })).split("\n")[0];
    expect(first).toContain(lang === "ja" ? "使用モデル: **既定のモデル**" : "Model: **default model**");
    if (lang === "ja") expect(everything(lang)).not.toContain("default model");
  });

  it("explains why the scores are divided by √(head size), with the model's head size", () => {
    const headSize = shipped.model.config.nEmbd / shipped.model.config.nHead;
    const words = explanationMessage(explainText(shipped, "attention", { lang }));
    expect(words).toContain(lang === "ja" ? `なぜ√${headSize}か` : `why √${headSize}`);
    expect(words).toContain(`√${headSize} ≈ ${Math.sqrt(headSize).toFixed(1)}`);
  });

  it("heads the attention table's column of earlier tokens without the word key", () => {
    const header = explainText(shipped, "attention", { lang }).table![0];
    expect(header).not.toMatch(lang === "ja" ? /キー/ : /\bkey\b/i);
    expect(header).toContain(lang === "ja" ? "見ているトークン" : "looked-at token");
  });

  it("quotes the example sentence whole or cut between words", () => {
    const words = everything(lang);
    if (lang === "en") {
      expect(words).not.toContain("is su…");
      expect(words).toContain("It rained yesterday, but today it is…");
    }
  });
});

describe("Japanese layers", () => {
  it("are レイヤー N, as the pictures and the layer: option count them, never 第N層", () => {
    const words = everything("ja");
    expect(words).not.toMatch(/第\d+層/);
    expect(words).toMatch(/レイヤー\d/);
  });
});
