/** The pictures of /lens and /why on plain inputs: cell colours and bar directions read back from the PNG. */
import { describe, expect, it } from "vitest";
import { attributionBarEnd, attributionLayout, renderAttribution, type AttributionInput } from "../../src/render/attribution.ts";
import { heatRgb, luminance } from "../../src/render/colormap.ts";
import { lensCellRect, lensGridLayout, renderLensGrid, type LensGridInput } from "../../src/render/lens.ts";
import { COLORS } from "../../src/render/theme.ts";
import { colourDistance, decodePng, EN_TOKENS, hexRgb, JA_TOKENS, LANGS, seeded } from "./fixtures.ts";

function lensInput(lang: "ja" | "en", T: number): LensGridInput {
  const random = seeded(3);
  const tokens = Array.from({ length: T }, (_, i) => (lang === "ja" ? JA_TOKENS : EN_TOKENS)[i % 13]);
  const cells = Array.from({ length: 5 }, () => tokens.map((t) => ({ token: t, prob: random() })));
  return { tokens, cells, modelName: "test model", lang };
}

describe("renderLensGrid", () => {
  for (const lang of LANGS) {
    it(`fills each cell with the heat colour of its probability, brighter for likelier guesses (${lang})`, async () => {
      const input = lensInput(lang, 20);
      const layout = lensGridLayout(input);
      const picture = await decodePng(await renderLensGrid(input));
      expect(picture.width).toBe(layout.width);
      // 12 columns drawn: the last 12 positions; earlier ones have no cell
      expect(layout.firstPosition).toBe(8);
      expect(lensCellRect(layout, 0, 7)).toBeNull();
      const seen: { prob: number; lum: number }[] = [];
      input.cells.forEach((row, d) => {
        for (let t = layout.firstPosition; t < row.length; t++) {
          const r = lensCellRect(layout, d, t)!;
          // a corner of the cell, away from its text
          const pixel = picture.pixel(r.x + 4, r.y + 4);
          expect(colourDistance(pixel, heatRgb(row[t].prob)), `depth ${d}, position ${t}`).toBeLessThan(4);
          seen.push({ prob: row[t].prob, lum: luminance(pixel) });
        }
      });
      seen.sort((a, b) => a.prob - b.prob);
      for (let i = 1; i < seen.length; i++) expect(seen[i].lum).toBeGreaterThanOrEqual(seen[i - 1].lum - 1e-3);
    });
  }

  it("refuses a row that does not match the tokens, naming the numbers", async () => {
    const input = lensInput("en", 4);
    input.cells[2] = input.cells[2].slice(1);
    await expect(renderLensGrid(input)).rejects.toThrow("depth 2 has 3 cells, expected one per token (4)");
  });
});

describe("renderAttribution", () => {
  it("draws each method's bar right for a positive score and left for a negative one, scaled per panel", async () => {
    const input: AttributionInput = {
      tokens: EN_TOKENS.slice(0, 6),
      target: { token: " be", prob: 0.3, predicted: true },
      gradient: [0.5, -1, 0.25, 0, 2, -0.1],
      occlusion: [-3, 6, 1.5, 0.3, -0.6, 0],
      modelName: "test model",
      lang: "en",
    };
    const layout = attributionLayout(input);
    const picture = await decodePng(await renderAttribution(input));
    const blue = hexRgb(COLORS.primary);
    const pink = hexRgb(COLORS.secondary);
    ([0, 1] as const).forEach((panel) => {
      const scores = panel === 0 ? input.gradient : input.occlusion;
      const p = layout.panels[panel];
      const biggest = Math.max(...scores.map(Math.abs));
      scores.forEach((score, t) => {
        const end = attributionBarEnd(layout, input, panel, t);
        expect(Math.abs(end.x - p.centre)).toBeCloseTo((Math.abs(score) / biggest) * (p.width / 2 - 70), 6);
        if (Math.abs(end.x - p.centre) < 6) return;
        const inside = picture.pixel((p.centre + end.x) / 2, end.y);
        expect(colourDistance(inside, score > 0 ? blue : pink), `panel ${panel}, token ${t}`).toBeLessThan(4);
      });
    });
  });
});
