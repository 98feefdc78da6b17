/** What the bot and the playground both say comes from one table: the two surfaces say the same sentence. */
import { describe, expect, it } from "vitest";
import { strings } from "../../src/adapters/discord/i18n.ts";
import { texts } from "../../src/adapters/web/texts.ts";
import { SENTENCES } from "../../src/app/sentences.ts";

describe("shared sentences", () => {
  it("the bot's and the playground's twins are the table's sentence (Discord adds only its small-text mark)", () => {
    const footer = { model: "m", tokens: 3, temperature: 0.8, topK: 40, topP: 0.95, seed: 7 };
    const line = { characters: 5, tokens: 2, kind: "bpe", vocabSize: 300, model: "m" };
    const grid = { quote: "q", model: "m", layers: 2, heads: 4 };
    for (const lang of ["en", "ja"] as const) {
      const bot = strings(lang);
      const web = texts(lang);
      const table = SENTENCES[lang];
      for (const n of [1, 3]) {
        expect(bot.predictUnknown(n)).toBe(table.unknownChars(n));
        expect(web.unknownChars(n)).toBe(table.unknownChars(n));
        expect(bot.predictDropped(n)).toBe(table.droppedTokens(n));
        expect(web.droppedTokens(n)).toBe(table.droppedTokens(n));
      }
      expect(bot.generateFooter(footer)).toBe(`-# ${table.generateFooter(footer)}`);
      expect(web.generateFooter(footer)).toBe(table.generateFooter(footer));
      expect(bot.traceFooter({ model: "m", steps: 2, seed: 1 })).toBe(`-# ${web.traceFooter({ model: "m", steps: 2, seed: 1 })}`);
      expect(bot.tokensLine(line)).toBe(web.tokensLine(line));
      // each kind by its own name: a charbpe model is not called a plain character tokenizer
      const kinds = ["char", "bpe", "charbpe"].map((kind) => table.tokensLine({ ...line, kind }));
      expect(new Set(kinds).size).toBe(3);
      expect(bot.attentionGrid(grid)).toBe(web.attentionGrid(grid));
      expect(bot.attentionHead({ ...grid, layer: 1, head: 0 })).toBe(web.attentionHead({ ...grid, layer: 1, head: 0 }));
    }
  });
});
