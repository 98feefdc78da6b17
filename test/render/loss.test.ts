import { describe, expect, it } from "vitest";
import { lossCurveLayout, renderLossCurve, SMOOTH_ABOVE, type LossPoint } from "../../src/render/loss.ts";
import { COLORS } from "../../src/render/theme.ts";
import { colourDistance, expectSanePicture, hexRgb, LANGS } from "./fixtures.ts";

/** A smooth curve: loss falls linearly from 4 to 2 over 100 steps. */
const line = (s: number) => 4 - 0.02 * s;
const straight: LossPoint[] = Array.from({ length: 101 }, (_, s) => ({ step: s, trainLoss: line(s) }));

describe("renderLossCurve", () => {
  for (const lang of LANGS) {
    it(`puts the train line where the values say (${lang})`, async () => {
      const input = { points: straight, modelName: "default model", lang };
      const layout = lossCurveLayout(input);
      const picture = await expectSanePicture(await renderLossCurve(input));
      const blue = hexRgb(COLORS.primary);
      for (const s of [5, 23, 50, 77, 95]) {
        const x = layout.xOf(s);
        const y = layout.yOf(line(s));
        expect(colourDistance(picture.pixel(x, y), blue)).toBeLessThan(40);
        // and not 25 px above or below it
        expect(colourDistance(picture.pixel(x, y - 25), blue)).toBeGreaterThan(100);
        expect(colourDistance(picture.pixel(x, y + 25), blue)).toBeGreaterThan(100);
      }
    });
  }

  it("maps values to pixels linearly inside the plot", () => {
    const layout = lossCurveLayout({ points: straight, modelName: "m", lang: "en" });
    const { plot } = layout;
    expect(layout.xOf(0)).toBeCloseTo(plot.left, 6);
    expect(layout.xOf(layout.xMax)).toBeCloseTo(plot.left + plot.width, 6);
    expect(layout.yOf(layout.yLo)).toBeCloseTo(plot.top + plot.height, 6);
    expect(layout.yOf(layout.yHi)).toBeCloseTo(plot.top, 6);
    expect(layout.yLo).toBeLessThanOrEqual(2);
    expect(layout.yHi).toBeGreaterThanOrEqual(4);
  });

  it("fixes the x range to totalSteps so a live curve does not jump", () => {
    const run = (n: number) => Array.from({ length: n }, (_, s) => ({ step: s * 10, trainLoss: 4 - s * 0.001 }));
    const early = lossCurveLayout({ points: run(30), totalSteps: 5000, modelName: "m", lang: "en" });
    const later = lossCurveLayout({ points: run(120), totalSteps: 5000, modelName: "m", lang: "en" });
    expect(early.xMax).toBe(5000);
    expect(early.xOf(250)).toBe(later.xOf(250));
    expect(early.xTicks[early.xTicks.length - 1]).toBeLessThanOrEqual(5000);
  });

  it("draws validation, learning rate and tokens seen, and marks the best validation point", async () => {
    const points: LossPoint[] = Array.from({ length: 300 }, (_, s) => ({
      step: s,
      trainLoss: 1.5 + 2.5 * Math.exp(-s / 60),
      valLoss: s % 30 === 0 ? 1.7 + 2.5 * Math.exp(-s / 60) + (s > 200 ? (s - 200) * 0.003 : 0) : null,
      lr: s < 20 ? (6e-4 * s) / 20 : 6e-4,
      tokens: s * 4096,
    }));
    const input = { points, totalSteps: 400, modelName: "m", lang: "ja" as const };
    const layout = lossCurveLayout(input);
    expect(layout.lrMax).toBeGreaterThanOrEqual(6e-4);
    expect(layout.hasTokens).toBe(true);
    const picture = await expectSanePicture(await renderLossCurve(input));
    // best validation: step 210 or so: the ring (accent) is 11 px from the point
    const val = points.filter((p) => p.valLoss != null) as (LossPoint & { valLoss: number })[];
    const best = val.reduce((a, b) => (b.valLoss < a.valLoss ? b : a));
    const ringX = layout.xOf(best.step);
    const ringY = layout.yOf(best.valLoss) - 11;
    let found = false;
    for (let dy = -2; dy <= 2; dy++) if (colourDistance(picture.pixel(ringX, ringY + dy), hexRgb(COLORS.accent)) < 60) found = true;
    expect(found).toBe(true);
    // validation dots at their values
    const v = val[3];
    expect(colourDistance(picture.pixel(layout.xOf(v.step), layout.yOf(v.valLoss)), hexRgb(COLORS.secondary))).toBeLessThan(40);
  });

  it("works from one point and from thousands", async () => {
    await expectSanePicture(await renderLossCurve({ points: [{ step: 0, trainLoss: 4.17 }], modelName: "m", lang: "en" }), 20);
    await expectSanePicture(
      await renderLossCurve({ points: [{ step: 0, trainLoss: 4.17 }], totalSteps: 100, modelName: "m", lang: "ja" }),
      20,
    );
    const many = Array.from({ length: 8000 }, (_, s) => ({ step: s, trainLoss: 2 + Math.exp(-s / 900) + ((s * 7919) % 13) / 40 }));
    expect(many.length).toBeGreaterThan(SMOOTH_ABOVE);
    await expectSanePicture(await renderLossCurve({ points: many, modelName: "m", lang: "en" }));
  });

  it("skips non-finite losses instead of failing", async () => {
    const points = [...straight.slice(0, 10), { step: 10, trainLoss: Number.NaN }, { step: 11, trainLoss: Infinity }];
    await expectSanePicture(await renderLossCurve({ points, modelName: "m", lang: "en" }));
  });

  it("gives a 'nothing to show' picture without points", async () => {
    for (const lang of LANGS) {
      const picture = await expectSanePicture(await renderLossCurve({ points: [], modelName: "m", lang }));
      expect(picture.height).toBeLessThan(400);
    }
  });
});
