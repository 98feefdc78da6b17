/** The pictures of /attention view:rollout and view:next, read back from the PNG: a cell's colour follows its weight. */
import { describe, expect, it } from "vitest";
import { attentionRollout } from "../../src/app/attention-views.ts";
import {
  nextAttentionCellRect,
  nextAttentionLayout,
  renderNextAttention,
  type NextAttentionInput,
} from "../../src/render/attention-next.ts";
import { renderAttentionRollout, rolloutLayout, type RolloutPictureInput } from "../../src/render/attention-rollout.ts";
import { attentionHeadCellCentre } from "../../src/render/attention.ts";
import { heatRgb, luminance } from "../../src/render/colormap.ts";
import { colourDistance, decodePng, EN_TOKENS, fakeAttention, JA_TOKENS, LANGS } from "./fixtures.ts";

const tokensFor = (lang: "ja" | "en", T: number) => Array.from({ length: T }, (_, i) => (lang === "ja" ? JA_TOKENS : EN_TOKENS)[i % 13]);

/** Pixels sorted by weight grow brighter (never darker). */
function expectBrighterWithWeight(seen: { weight: number; lum: number }[]): void {
  seen.sort((a, b) => a.weight - b.weight);
  for (let i = 1; i < seen.length; i++) expect(seen[i].lum).toBeGreaterThanOrEqual(seen[i - 1].lum - 1e-3);
}

describe("renderAttentionRollout", () => {
  for (const lang of LANGS) {
    it(`fills each visible cell with the heat colour of its share of the largest (${lang})`, async () => {
      const T = 20;
      // a real rollout of two fake layers of two heads
      const { after } = attentionRollout(
        [
          [fakeAttention(T, 1), fakeAttention(T, 2)],
          [fakeAttention(T, 3), fakeAttention(T, 4)],
        ],
        T,
      );
      const rollout = after[1];
      const input: RolloutPictureInput = { tokens: tokensFor(lang, T), rollout, layers: 2, modelName: "test model", lang };
      const layout = rolloutLayout(input);
      const picture = await decodePng(await renderAttentionRollout(input));
      expect(picture.width).toBe(layout.width);
      let max = 0;
      for (let q = 0; q < T; q++) for (let k = 0; k <= q; k++) max = Math.max(max, rollout[q * T + k]);
      expect(layout.max).toBeCloseTo(max, 6);
      const seen: { weight: number; lum: number }[] = [];
      for (let q = 0; q < T; q++) {
        for (let k = 0; k <= q; k++) {
          const centre = attentionHeadCellCentre(layout, q, k)!;
          // a corner of the cell, away from the number written in big cells
          const corner = layout.matrix.cell / 2 - 5;
          const pixel = picture.pixel(centre.x - corner, centre.y - corner);
          expect(colourDistance(pixel, heatRgb(rollout[q * T + k] / max)), `cell ${q},${k}`).toBeLessThan(4);
          seen.push({ weight: rollout[q * T + k], lum: luminance(pixel) });
        }
      }
      expectBrighterWithWeight(seen);
    });
  }

  it("refuses a matrix that does not fit the tokens, naming the numbers", () => {
    expect(() => rolloutLayout({ tokens: ["a", "b", "c"], rollout: [1, 0, 0, 1], layers: 1, modelName: "m", lang: "en" })).toThrow(
      "the rollout has 4 values, expected 3×3 = 9 for 3 tokens",
    );
  });
});

describe("renderNextAttention", () => {
  function nextInput(lang: "ja" | "en", T: number): NextAttentionInput {
    const rows = [5, 6, 7].map((seed) => Array.from(fakeAttention(T, seed).subarray((T - 1) * T)));
    return {
      tokens: tokensFor(lang, T),
      predicted: { token: lang === "ja" ? "猫" : " cat", prob: 0.42 },
      layers: rows.slice(0, 2),
      rollout: rows[2],
      modelName: "test model",
      lang,
    };
  }

  for (const lang of LANGS) {
    it(`fills each cell with the heat colour of its weight over the largest drawn, the rollout as the last row (${lang})`, async () => {
      const input = nextInput(lang, 20);
      const layout = nextAttentionLayout(input);
      const picture = await decodePng(await renderNextAttention(input));
      expect(picture.width).toBe(layout.width);
      // 16 columns: the last 16 tokens; earlier ones have no cell
      expect(layout.firstToken).toBe(4);
      expect(nextAttentionCellRect(layout, 0, 3)).toBeNull();
      const rows = [...input.layers, input.rollout];
      const max = Math.max(...rows.flatMap((r) => r.slice(4)));
      expect(layout.max).toBe(max);
      const seen: { weight: number; lum: number }[] = [];
      rows.forEach((row, r) => {
        for (let t = 4; t < 20; t++) {
          const rect = nextAttentionCellRect(layout, r, t)!;
          // a corner of the cell, away from its number
          const pixel = picture.pixel(rect.x + 4, rect.y + 4);
          expect(colourDistance(pixel, heatRgb(row[t] / max)), `row ${r}, token ${t}`).toBeLessThan(4);
          seen.push({ weight: row[t], lum: luminance(pixel) });
        }
      });
      expectBrighterWithWeight(seen);
    });
  }

  it("refuses a row that does not match the tokens, naming the numbers", () => {
    const input = nextInput("en", 5);
    expect(() => nextAttentionLayout({ ...input, rollout: input.rollout.slice(1) })).toThrow(
      "the rollout has 4 weights, expected one per token (5)",
    );
  });
});
