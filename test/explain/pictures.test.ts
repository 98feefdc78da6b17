/** The explanatory pictures: what they draw is where the numbers say (plain data in, PNG out). */
import { describe, expect, it } from "vitest";
import { contourLevels, contourSegments, renderContours, contoursLayout, type ContoursInput } from "../../src/render/explain-contours.ts";
import { renderScale, scaleLayout, type ScaleInput } from "../../src/render/explain-scale.ts";
import { chartLayout, renderChart } from "../../src/render/explain-chart.ts";
import { renderTokenLoss, tokenLossLayout, type TokenLossInput } from "../../src/render/explain-token-loss.ts";
import { histogram, renderActivations } from "../../src/render/explain-activations.ts";
import { measuringContext } from "../../src/render/picture.ts";
import { setFont } from "../../src/render/text.ts";
import { decodePng } from "./helpers.ts";

/** A round bowl: loss = x² + y² on [−2, 2]². */
function bowl(n = 21): ContoursInput["grid"] {
  const xs = Array.from({ length: n }, (_, i) => -2 + (4 * i) / (n - 1));
  const values = new Float64Array(n * n);
  for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) values[j * n + i] = xs[i] ** 2 + xs[j] ** 2;
  return { xs, ys: xs, values };
}

function contoursInput(): ContoursInput {
  return {
    title: "title",
    subtitle: "subtitle",
    mapHeading: "map",
    xLabel: "x",
    yLabel: "y",
    grid: bowl(),
    paths: [
      {
        label: "path",
        points: [
          [1.5, 1.5],
          [0.75, 0.75],
          [0, 0],
        ],
        losses: [4.5, 1.125, 0],
      },
    ],
    markers: [{ x: 0, y: 0, label: "lowest", kind: "minimum" }],
    lossChart: { heading: "loss", xLabel: "step", yLabel: "loss" },
    shadeLegend: { low: "low", high: "high" },
  };
}

describe("contour map", () => {
  it("marching squares puts the level-1 contour of x² + y² on the unit circle", () => {
    const grid = bowl(41);
    const segments = contourSegments(grid, 1);
    expect(segments.length).toBeGreaterThan(20);
    const step = 4 / 40;
    for (const [ax, ay, bx, by] of segments) {
      for (const [i, j] of [
        [ax, ay],
        [bx, by],
      ]) {
        const r = Math.hypot(-2 + i * step, -2 + j * step);
        expect(Math.abs(r - 1)).toBeLessThan(0.02);
      }
    }
    expect(contourSegments(grid, 100)).toHaveLength(0); // above everything: no line
  });

  it("levels crowd towards the minimum, where the valley is", () => {
    const levels = contourLevels(0, 10, 5);
    expect(levels).toHaveLength(5);
    expect(levels[1] - levels[0]).toBeLessThan(levels[4] - levels[3]);
    expect(Math.max(...levels)).toBeLessThan(10);
  });

  it("shades the valley dark and the hills light", async () => {
    const input = contoursInput();
    const png = await renderContours(input);
    const picture = await decodePng(png);
    const layout = contoursLayout(input);
    const brightness = ([r, g, b]: number[]) => r + g + b;
    const centre = layout.toPixel(0.1, -0.1); // near the bottom, beside the path
    const corner = layout.toPixel(-1.9, -1.9);
    expect(brightness(picture.pixel(corner.x, corner.y))).toBeGreaterThan(brightness(picture.pixel(centre.x, centre.y)) + 100);
  });

  it("refuses a grid whose values do not match its axes", async () => {
    const input = contoursInput();
    await expect(renderContours({ ...input, grid: { ...input.grid, values: new Float64Array(5) } })).rejects.toThrow(
      /5 values, 21×21 = 441 expected/,
    );
  });
});

describe("log-scale bars", () => {
  const input: ScaleInput = {
    title: "t",
    subtitle: "s",
    heading: "h",
    axisLabel: "parameters",
    bars: [
      { label: "this model", value: 1e6, valueText: "1M", highlight: true },
      { label: "GPT-2", value: 1.24e8, valueText: "124M" },
      { label: "GPT-3", value: 1.75e11, valueText: "175B" },
    ],
  };

  it("puts each power of ten the same distance apart", () => {
    const layout = scaleLayout(input);
    const d1 = layout.xOf(1e7) - layout.xOf(1e6);
    const d2 = layout.xOf(1e11) - layout.xOf(1e10);
    expect(d1).toBeCloseTo(d2, 6);
    expect(layout.xOf(1e6)).toBeGreaterThan(layout.barLeft + 10); // the smallest bar is still visible
    expect(layout.xOf(1.75e11)).toBeLessThanOrEqual(layout.barLeft + layout.barWidth);
  });

  it("renders", async () => {
    const picture = await decodePng(
      await renderScale({
        ...input,
        breakdown: {
          heading: "parts",
          items: [
            { label: "a", value: 3, valueText: "3" },
            { label: "b", value: 1, valueText: "1" },
          ],
        },
      }),
    );
    expect(picture.width).toBe(1400);
  });
});

describe("charts", () => {
  it("log axes tick at powers of ten and map them evenly", () => {
    const layout = chartLayout(
      {
        x: { label: "h", log: true, min: 1e-10, max: 1e-1 },
        y: { label: "error", log: true },
        series: [
          {
            color: "#fff",
            points: [
              [1e-10, 1e-6],
              [1e-1, 10],
            ],
          },
        ],
      },
      { left: 0, top: 0, width: 800, height: 500 },
    );
    expect(layout.xTicks[0]).toBeCloseTo(1e-10, 20);
    expect(layout.xOf(1e-5) - layout.xOf(1e-6)).toBeCloseTo(layout.xOf(1e-2) - layout.xOf(1e-3), 6);
    expect(layout.yOf(10)).toBeLessThan(layout.yOf(1e-6)); // up is bigger
  });

  it("wraps a long legend onto more rows instead of cutting it", () => {
    const series = ["small rate 96", "good rate 640", "too large rate 2400"].map((label) => ({
      label,
      color: "#fff",
      points: [
        [0, 0],
        [1, 1],
      ] as [number, number][],
    }));
    const narrow = chartLayout({ x: { label: "x" }, y: { label: "y" }, series }, { left: 0, top: 0, width: 560, height: 500 });
    expect(new Set(narrow.legend.map((l) => l.y)).size).toBeGreaterThan(1);
    expect(narrow.legend.map((l) => l.label)).toEqual(series.map((s) => s.label));
    const wide = chartLayout({ x: { label: "x" }, y: { label: "y" }, series }, { left: 0, top: 0, width: 1400, height: 500 });
    expect(new Set(wide.legend.map((l) => l.y)).size).toBe(1);
    expect(narrow.plot.top).toBeGreaterThan(wide.plot.top);
  });

  it("draw Japanese with real glyphs", async () => {
    const ctx = measuringContext();
    setFont(ctx, 24);
    // with the bundled font a kanji is about twice as wide as a Latin letter
    expect(ctx.measureText("損失").width).toBeGreaterThan(1.6 * ctx.measureText("ab").width);
    const png = await renderChart({
      title: "学習率",
      subtitle: "テスト",
      chart: {
        x: { label: "ステップ" },
        y: { label: "学習率" },
        series: [
          {
            label: "予定",
            color: "#8fdc8a",
            points: [
              [0, 0],
              [10, 1],
            ],
          },
        ],
      },
    });
    expect((await decodePng(png)).colours).toBeGreaterThan(10);
  });
});

describe("token losses and activations", () => {
  const input: TokenLossInput = {
    title: "t",
    subtitle: "s",
    rows: [
      { token: "雨", prob: 0.5, loss: Math.log(2) },
      { token: " the", prob: 0.01, loss: -Math.log(0.01), guess: " a" },
    ],
    labels: { token: "token", prob: "p", loss: "surprise", guess: "guess", mean: (v) => `mean ${v}`, more: (n) => `${n} more` },
    mean: (Math.log(2) - Math.log(0.01)) / 2,
  };

  it("scales bars to the largest surprise and shows every row that fits", async () => {
    const layout = tokenLossLayout(input);
    expect(layout.shown).toBe(2);
    expect(layout.scaleMax).toBeCloseTo(-Math.log(0.01), 10);
    const many = { ...input, rows: Array.from({ length: 100 }, () => input.rows[0]) };
    expect(tokenLossLayout(many).shown).toBeLessThan(100);
    expect(tokenLossLayout(many).height).toBeLessThanOrEqual(3600);
    expect((await decodePng(await renderTokenLoss(many))).height).toBe(tokenLossLayout(many).height);
  });

  it("histogram counts every sample, clamping the ones outside the range", async () => {
    const counts = histogram([-10, -1, 0, 0.5, 10, Number.NaN], [-4, 4], 8);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(5);
    expect(counts[0]).toBe(1);
    expect(counts[7]).toBe(1);
    const png = await renderActivations({
      title: "t",
      subtitle: "s",
      curves: [
        {
          label: "GELU",
          points: [
            [-4, 0],
            [4, 4],
          ],
          main: true,
        },
      ],
      samples: { x: [0, 1], y: [0, 0.84], label: "model" },
      xLabel: "x",
      yLabel: "y",
      histogramLabel: "h",
      xRange: [-4, 4],
    });
    expect((await decodePng(png)).width).toBe(1400);
  });
});
