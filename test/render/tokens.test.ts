import { describe, expect, it } from "vitest";
import { MAX_TOKEN_LINES, renderTokens, tokensLayout, type TokenPiece } from "../../src/render/tokens.ts";
import { CHIP_COLORS } from "../../src/render/theme.ts";
import { colourDistance, expectSanePicture, hexRgb, LANGS } from "./fixtures.ts";

function charTokens(text: string): TokenPiece[] {
  const ids = new Map<string, number>();
  return [...text].map((ch) => {
    if (!ids.has(ch)) ids.set(ch, ids.size);
    return { id: ids.get(ch)!, text: ch };
  });
}

describe("renderTokens", () => {
  for (const lang of LANGS) {
    it(`draws alternating chips that wrap and break at newlines (${lang})`, async () => {
      const text = lang === "ja" ? "吾輩は猫である。\n名前はまだ無い。" : "To be,\nor not to be";
      const tokens = charTokens(text);
      const input = { text, tokens, modelName: "m", lang, vocabSize: 65 };
      const layout = tokensLayout(input);
      expect(layout.shownCount).toBe(tokens.length);
      // the token after the newline starts a new line at the left margin
      const afterNewline = layout.chips[text.indexOf("\n") + 1];
      expect(afterNewline.x).toBe(layout.chips[0].x);
      expect(afterNewline.y).toBeGreaterThan(layout.chips[0].y);
      const picture = await expectSanePicture(await renderTokens(input));
      // neighbouring chips have different colours, each from the palette
      for (const chip of layout.chips.slice(0, 6)) {
        const pixel = picture.pixel(chip.x + 4, chip.y + 31);
        expect(colourDistance(pixel, hexRgb(CHIP_COLORS[chip.index % CHIP_COLORS.length]))).toBeLessThan(6);
      }
      // chips never leave the picture
      for (const chip of layout.chips) expect(chip.x + chip.width).toBeLessThanOrEqual(layout.width - 40);
    });
  }

  it("cuts a 2000-character text to a legible picture with a note", async () => {
    const text = "The quick brown fox jumps over the lazy dog. 素早い茶色の狐。".repeat(40).slice(0, 2000);
    const tokens = charTokens(text);
    const layout = tokensLayout({ text, tokens, modelName: "m", lang: "en" });
    expect(layout.shownCount).toBeLessThan(tokens.length);
    const lines = new Set(layout.chips.map((c) => c.y)).size;
    expect(lines).toBeLessThanOrEqual(MAX_TOKEN_LINES);
    await expectSanePicture(await renderTokens({ text, tokens, modelName: "m", lang: "en" }));
  });

  it("fits a single huge token and odd characters", async () => {
    const tokens = [
      { id: 1, text: "a".repeat(500) },
      { id: 2, text: "🙂" },
      { id: 3, text: "\r\n" },
    ];
    const layout = tokensLayout({ text: "x", tokens, modelName: "m", lang: "en" });
    expect(layout.chips[0].width).toBeLessThanOrEqual(layout.width - 80);
    expect(layout.chips[1].label).toBe("U+1F642");
    await expectSanePicture(await renderTokens({ text: "x", tokens, modelName: "m", lang: "en" }));
  });

  it("gives a 'nothing to show' picture for no tokens", async () => {
    for (const lang of LANGS) {
      const picture = await expectSanePicture(await renderTokens({ text: "", tokens: [], modelName: "m", lang }));
      expect(picture.height).toBeLessThan(400);
    }
  });
});
