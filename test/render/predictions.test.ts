import { describe, expect, it } from "vitest";
import { barLength, predictionsLayout, renderPredictions, type PredictionsInput } from "../../src/render/predictions.ts";
import { COLORS } from "../../src/render/theme.ts";
import { colourDistance, expectSanePicture, hexRgb, LANGS, type Decoded } from "./fixtures.ts";

const candidates = [
  { token: " answer", prob: 0.12 },
  { token: " question", prob: 0.41 },
  { token: "\n", prob: 0.05 },
  { token: " point", prob: 0.09 },
  { token: " ", prob: 0.2 },
  { token: "\t", prob: 0.004 },
];

/** Length in px of the bar drawn in `colour` on the row through y, starting at x0. */
function measureBar(picture: Decoded, x0: number, y: number, maxWidth: number, colour: [number, number, number]): number {
  let last = -1;
  for (let x = Math.floor(x0); x <= x0 + maxWidth + 2; x++) {
    if (colourDistance(picture.pixel(x, y), colour) < 60) last = x;
  }
  return last < 0 ? 0 : last - x0 + 1;
}

describe("renderPredictions", () => {
  for (const lang of LANGS) {
    it(`sorts the bars by probability, lengths proportional to it (${lang})`, async () => {
      const input: PredictionsInput = {
        context: lang === "ja" ? "吾輩は猫である。名前は" : "To be, or not to be: that is the",
        candidates,
        temperature: 0.8,
        chosenIndex: 0,
        modelName: "default model",
        lang,
      };
      const layout = predictionsLayout(input);
      const picture = await expectSanePicture(await renderPredictions(input));
      expect(picture.width).toBe(layout.width);
      // ordered: probabilities fall row by row, rows go down the picture
      const probs = layout.rows.map((r) => r.prob);
      expect(probs).toEqual([...probs].sort((a, b) => b - a));
      expect(layout.rows.map((r) => r.rank)).toEqual([1, 2, 3, 4, 5, 6]);
      for (let i = 1; i < layout.rows.length; i++) expect(layout.rows[i].y).toBeGreaterThan(layout.rows[i - 1].y);
      // the chosen candidate (index 0, second most likely) is the highlighted row
      expect(layout.rows.find((r) => r.highlighted)?.inputIndex).toBe(0);
      for (const row of layout.rows) {
        const colour = hexRgb(row.highlighted ? COLORS.accent : COLORS.primary);
        const measured = measureBar(picture, layout.barX, row.y, layout.barMaxWidth, colour);
        expect(Math.abs(measured - row.prob * layout.barMaxWidth)).toBeLessThanOrEqual(2);
        expect(barLength(layout, row.prob)).toBeCloseTo(row.prob * layout.barMaxWidth, 6);
      }
      // highlighted in the accent colour, the others not
      const chosen = layout.rows.find((r) => r.highlighted)!;
      expect(colourDistance(picture.pixel(layout.barX + 3, chosen.y), hexRgb(COLORS.accent))).toBeLessThan(10);
      const top = layout.rows[0];
      expect(colourDistance(picture.pixel(layout.barX + 3, top.y), hexRgb(COLORS.primary))).toBeLessThan(10);
    });
  }

  it("highlights the most likely token when none was chosen", () => {
    const layout = predictionsLayout({ context: "x", candidates, temperature: 1, modelName: "m", lang: "en" });
    expect(layout.highlightedIndex).toBe(1);
    expect(layout.rows[0].highlighted).toBe(true);
  });

  it("keeps a chosen token that ranks below the cut, with its true rank", () => {
    const many = Array.from({ length: 50 }, (_, i) => ({ token: `t${i}`, prob: (50 - i) / 1275 }));
    const layout = predictionsLayout({ context: "x", candidates: many, temperature: 1, chosenIndex: 45, modelName: "m", lang: "en" });
    const chosen = layout.rows.find((r) => r.highlighted)!;
    expect(chosen.inputIndex).toBe(45);
    expect(chosen.rank).toBe(46);
    expect(layout.hiddenCount).toBe(50 - layout.rows.length);
  });

  it("handles a 6000-character context and long tokens within the limits", async () => {
    const context = "吾輩は猫である。名前はまだ無い。\n".repeat(400).slice(0, 6000);
    const long = Array.from({ length: 40 }, (_, i) => ({ token: "x".repeat(i * 5 + 1), prob: 1 / 40 }));
    const input: PredictionsInput = {
      context,
      candidates: long,
      temperature: 1.5,
      chosenIndex: 39,
      modelName: "m".repeat(300),
      lang: "ja",
    };
    const layout = predictionsLayout(input);
    expect(layout.contextLines.length).toBeLessThanOrEqual(3);
    expect(layout.contextLines[0].startsWith("…")).toBe(true);
    await expectSanePicture(await renderPredictions(input));
  });

  it("rejects impossible probabilities and indices, naming them", () => {
    expect(() =>
      predictionsLayout({ context: "", candidates: [{ token: "a", prob: 1.5 }], temperature: 1, modelName: "m", lang: "en" }),
    ).toThrow(/1\.5/);
    expect(() => predictionsLayout({ context: "", candidates, temperature: 1, chosenIndex: 9, modelName: "m", lang: "en" })).toThrow(
      /chosenIndex is 9/,
    );
  });

  it("gives a 'nothing to show' picture without candidates", async () => {
    for (const lang of LANGS) {
      const picture = await expectSanePicture(
        await renderPredictions({ context: "", candidates: [], temperature: 1, modelName: "m", lang }),
      );
      expect(picture.height).toBeLessThan(400);
    }
  });
});
