/** What the bot and the playground both say comes from one table: the two surfaces say the same sentence. */
import { describe, expect, it } from "vitest";
import { SENTENCES } from "../../src/app/sentences.ts";
import type { Part } from "../../src/app/reply.ts";

const plain = (parts: Part[]) => parts.map((p) => ("text" in p ? p.text : "")).join("");

describe("shared sentences", () => {
  it("names each tokenizer kind by its own name: a charbpe model is not called a plain character tokenizer", () => {
    for (const lang of ["en", "ja"] as const) {
      const line = { characters: 5, tokens: 2, vocabSize: 300, model: "m" };
      const kinds = ["char", "bpe", "charbpe"].map((kind) => plain(SENTENCES[lang].tokensLine({ ...line, kind })));
      expect(new Set(kinds).size).toBe(3);
    }
  });

  it("a sentence keeps its quote and its model as parts, in the order the language puts them", () => {
    const quote: Part = { kind: "quote", text: "猫" };
    const model: Part = { kind: "model", identity: { kind: "shipped", id: "default", displayName: "default model" }, name: "M" };
    for (const lang of ["en", "ja"] as const) {
      const parts = SENTENCES[lang].predictHeader({ quote, model, temperature: 0.5 });
      expect(parts.filter((p) => p.kind !== "text")).toEqual([quote, model]);
    }
  });
});
