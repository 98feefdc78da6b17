import { describe, expect, it } from "vitest";
import {
  attentionGridLayout,
  attentionHeadCellCentre,
  attentionHeadLayout,
  renderAttentionGrid,
  renderAttentionHead,
  type AttentionHeadInput,
} from "../../src/render/attention.ts";
import { cellCentre } from "../../src/render/heatmap.ts";
import { heatRgb, luminance } from "../../src/render/colormap.ts";
import { COLORS, MAX_WIDTH } from "../../src/render/theme.ts";
import {
  colourDistance,
  distanceToBlend,
  expectSanePicture,
  fakeAttention,
  hexRgb,
  JA_TOKENS,
  EN_TOKENS,
  LANGS,
  type Decoded,
} from "./fixtures.ts";

/**
 * A masked cell is flat mask grey crossed by a thin lighter hatch: around its centre every
 * pixel is a blend of the two, and most are the plain mask colour.
 */
function expectMasked(picture: Decoded, x: number, y: number): void {
  const mask = hexRgb(COLORS.mask);
  const hatch = hexRgb(COLORS.maskHatch);
  let plain = 0;
  for (const dx of [-3, 0, 3]) {
    for (const dy of [-3, 0, 3]) {
      const pixel = picture.pixel(x + dx, y + dy);
      expect(distanceToBlend(pixel, mask, hatch)).toBeLessThan(6);
      if (colourDistance(pixel, mask) < 6) plain++;
    }
  }
  expect(plain).toBeGreaterThanOrEqual(4);
}

/** 24 tokens: cells small enough that no numbers are written in them. */
function headInput(lang: "ja" | "en"): AttentionHeadInput {
  const tokens = Array.from({ length: 24 }, (_, i) => (lang === "ja" ? JA_TOKENS : EN_TOKENS)[i % 13]);
  return {
    tokens,
    weights: fakeAttention(24, 7),
    layer: 1,
    head: 2,
    modelName: lang === "ja" ? "このサーバーのモデル" : "default model",
    lang,
  };
}

describe("renderAttentionHead", () => {
  for (const lang of LANGS) {
    it(`draws each visible cell in the heat colour of its weight (${lang})`, async () => {
      const input = headInput(lang);
      const layout = attentionHeadLayout(input);
      expect(layout.showValues).toBe(false);
      const picture = await expectSanePicture(await renderAttentionHead(input));
      expect(picture.width).toBe(layout.width);
      const T = input.tokens.length;
      const samples: { weight: number; lum: number }[] = [];
      for (let q = 0; q < T; q += 3) {
        for (let k = 0; k <= q; k += 2) {
          const weight = input.weights[q * T + k];
          const centre = attentionHeadCellCentre(layout, q, k)!;
          const pixel = picture.pixel(centre.x, centre.y);
          expect(colourDistance(pixel, heatRgb(weight / layout.max))).toBeLessThan(4);
          samples.push({ weight, lum: luminance(pixel) });
        }
      }
      // a larger weight is never drawn darker
      samples.sort((a, b) => a.weight - b.weight);
      for (let i = 1; i < samples.length; i++) {
        if (samples[i].weight > samples[i - 1].weight + 0.02) expect(samples[i].lum).toBeGreaterThan(samples[i - 1].lum);
      }
    });

    it(`draws the future (key > query) in the mask colour (${lang})`, async () => {
      const input = headInput(lang);
      const layout = attentionHeadLayout(input);
      const picture = await expectSanePicture(await renderAttentionHead(input));
      for (const [q, k] of [
        [0, 1],
        [0, 23],
        [5, 6],
        [10, 20],
        [22, 23],
      ]) {
        const centre = attentionHeadCellCentre(layout, q, k)!;
        expectMasked(picture, centre.x, centre.y);
        // and that is not a heat colour of any weight
        expect(colourDistance(picture.pixel(centre.x, centre.y), heatRgb(0))).toBeGreaterThan(15);
      }
    });
  }

  it("writes the weights into big cells (short input) while keeping the cell colour", async () => {
    const tokens = ["Hi", "!", " "];
    const weights = fakeAttention(3, 2);
    const input: AttentionHeadInput = { tokens, weights, layer: 0, head: 0, modelName: "default model", lang: "en" };
    const layout = attentionHeadLayout(input);
    expect(layout.showValues).toBe(true);
    const picture = await expectSanePicture(await renderAttentionHead(input));
    // sample near the cell corner: the number sits in the middle
    const centre = cellCentre(layout.matrix, 2, 1);
    const pixel = picture.pixel(centre.x - layout.matrix.cell * 0.4, centre.y - layout.matrix.cell * 0.4);
    expect(colourDistance(pixel, heatRgb(weights[2 * 3 + 1] / layout.max))).toBeLessThan(4);
  });

  it("keeps 200 tokens legible: the last ones, a note, ≤ 1600 px", async () => {
    const tokens = Array.from({ length: 200 }, (_, i) => (i % 3 === 0 ? " token" : i % 3 === 1 ? "猫" : "\n"));
    const input: AttentionHeadInput = { tokens, weights: fakeAttention(200, 3), layer: 0, head: 0, modelName: "m", lang: "en" };
    const layout = attentionHeadLayout(input);
    expect(layout.shownCount).toBeLessThan(200);
    expect(layout.firstToken).toBe(200 - layout.shownCount);
    expect(layout.labelSize).toBeGreaterThanOrEqual(14);
    expect(attentionHeadCellCentre(layout, 0, 0)).toBeNull();
    const picture = await expectSanePicture(await renderAttentionHead(input));
    expect(picture.width).toBeLessThanOrEqual(MAX_WIDTH);
    // the shown cells still carry the right colour
    const centre = attentionHeadCellCentre(layout, 199, 198)!;
    expect(colourDistance(picture.pixel(centre.x, centre.y), heatRgb(input.weights[199 * 200 + 198] / layout.max))).toBeLessThan(4);
  });

  it("names the numbers when weights do not match the tokens", () => {
    expect(() => attentionHeadLayout({ tokens: ["a", "b"], weights: [1, 0, 0.5], layer: 0, head: 0, modelName: "m", lang: "en" })).toThrow(
      /3 weights, expected 2×2 = 4/,
    );
  });

  it("gives a 'nothing to show' picture for no tokens", async () => {
    for (const lang of LANGS) {
      const picture = await expectSanePicture(
        await renderAttentionHead({ tokens: [], weights: [], layer: 0, head: 0, modelName: "m", lang }),
      );
      expect(picture.height).toBeLessThan(400);
    }
  });
});

describe("renderAttentionGrid", () => {
  const grid = (L: number, H: number, T: number) =>
    Array.from({ length: L }, (_, l) => Array.from({ length: H }, (_, h) => fakeAttention(T, 10 * l + h)));

  for (const lang of LANGS) {
    it(`draws every layer × head on one shared colour scale (${lang})`, async () => {
      const tokens = lang === "ja" ? JA_TOKENS : EN_TOKENS;
      const T = tokens.length;
      const weights = grid(3, 4, T);
      const input = { tokens, weights, modelName: "m", lang };
      const layout = attentionGridLayout(input);
      expect(layout.matrices).toHaveLength(3);
      expect(layout.matrices[0]).toHaveLength(4);
      const picture = await expectSanePicture(await renderAttentionGrid(input));
      // the shared max is the largest weight of all heads
      let max = 0;
      for (const row of weights) for (const w of row) for (const v of w) max = Math.max(max, v);
      expect(layout.max).toBeCloseTo(max, 5);
      for (const [l, h, q, k] of [
        [0, 0, 5, 3],
        [2, 3, 12, 0],
        [1, 2, 7, 7],
      ]) {
        const c = cellCentre(layout.matrices[l][h], q, k);
        expect(colourDistance(picture.pixel(c.x, c.y), heatRgb(weights[l][h][q * T + k] / max))).toBeLessThan(4);
      }
      const masked = cellCentre(layout.matrices[2][1], 1, 9);
      expectMasked(picture, masked.x, masked.y);
    });
  }

  it("handles 200 tokens and 6 × 6 heads within the limits", async () => {
    const tokens = Array.from({ length: 200 }, (_, i) => String(i % 10));
    const layout = attentionGridLayout({ tokens, weights: grid(6, 6, 200), modelName: "m", lang: "ja" });
    expect(layout.shownCount).toBeLessThan(200);
    await expectSanePicture(await renderAttentionGrid({ tokens, weights: grid(6, 6, 200), modelName: "m", lang: "ja" }));
  });

  it("rejects heads whose weights do not match the tokens", () => {
    expect(() =>
      attentionGridLayout({
        tokens: ["a", "b"],
        weights: [
          [
            [1, 0, 0.5, 0.5],
            [1, 0],
          ],
        ],
        modelName: "m",
        lang: "en",
      }),
    ).toThrow(/layer 0 head 1/);
  });
});
