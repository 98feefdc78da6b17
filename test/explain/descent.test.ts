/**
 * The loss-surface slice of `gradient-descent` / `learning-rate`: it is the model's real loss
 * (checked against the engine's forward and backward passes), and the three walks behave as
 * the texts say: small rate slow and steady, good rate faster, too large rate overshoots.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { descentSlice, firstRise, DESCENT_STEPS } from "../../src/app/explain/descent.ts";
import { modelSchedule } from "../../src/app/explain/rate.ts";
import { textWindow } from "../../src/app/explain/common.ts";
import { explainText, explanationText } from "../../src/app/explain/index.ts";
import type { ModelHandle } from "../../src/app/model-handle.ts";
import { learningRateAt } from "../../src/train/schedule.ts";
import { modelInfo } from "../../src/app/model-info.ts";
import { loadHandle, trainTestModel } from "./helpers.ts";

const SENTENCES = [
  "昨日は雨だったけど、今日は晴れだった。",
  "It rained yesterday, but today it is sunny.",
  "The model predicts the next token, again and again.",
];

let handle: ModelHandle;
beforeAll(() => {
  handle = loadHandle(trainTestModel());
});

/** The loss with the two gains really set in the model, by the engine's forward pass. */
function engineLoss(h: ModelHandle, sentence: string, channels: [number, number], g: [number, number]): number {
  const lnf = h.model.views.lnfw;
  const saved = [lnf[channels[0]], lnf[channels[1]]];
  lnf[channels[0]] = g[0];
  lnf[channels[1]] = g[1];
  const w = textWindow(h, sentence);
  const loss = h.model.forward(w.x, 1, w.T, w.y).loss!;
  lnf[channels[0]] = saved[0];
  lnf[channels[1]] = saved[1];
  return loss;
}

describe("the 2-parameter slice of the loss", () => {
  it.each(SENTENCES)("“%s”: the slice is the engine's own loss and gradient", (sentence) => {
    const slice = descentSlice(handle, sentence);
    const before = Float32Array.from(handle.model.params);
    // the model's own point, a grid corner, the lowest point
    const { xs, ys } = slice.grid;
    const points: [number, number][] = [slice.base, [xs[0], ys[ys.length - 1]], slice.minimum];
    for (const g of points) {
      const g32: [number, number] = [Math.fround(g[0]), Math.fround(g[1])];
      expect(slice.lossAt(g32[0], g32[1])).toBeCloseTo(engineLoss(handle, sentence, slice.channels, g32), 4);
    }
    // the slice's gradient at the model's point = back-propagation's gradient of ln_f.weight
    const w = textWindow(handle, sentence);
    handle.model.zeroGrad();
    handle.model.forward(w.x, 1, w.T, w.y);
    handle.model.backward();
    const grad = slice.evaluate(slice.base[0], slice.base[1]).grad;
    slice.channels.forEach((c, i) => {
      const engine = handle.model.gradViews.lnfw[c];
      expect(Math.abs(grad[i] - engine)).toBeLessThan(1e-5 + 1e-3 * Math.abs(engine));
    });
    // nothing in the model changed
    expect(handle.model.params).toEqual(before);
  });

  it.each(SENTENCES)("“%s”: small rate slow and steady, good rate faster, too large rate overshoots", (sentence) => {
    const slice = descentSlice(handle, sentence);
    const [small, good, large] = slice.paths;
    expect([small.kind, good.kind, large.kind]).toEqual(["small", "good", "large"]);
    for (const p of slice.paths) {
      expect(p.losses).toHaveLength(DESCENT_STEPS + 1);
      expect(p.points[0]).toEqual(slice.start); // the same start
    }
    // small: every step goes down, a little
    expect(firstRise(small.losses)).toBeNull();
    expect(small.losses[DESCENT_STEPS]).toBeLessThan(small.losses[0]);
    // good: goes down, and faster than small (lower after 1 step, and at the end)
    expect(good.losses[1]).toBeLessThan(small.losses[1]);
    expect(good.losses[DESCENT_STEPS]).toBeLessThan(small.losses[DESCENT_STEPS]);
    // too large: the loss rises at some step
    expect(firstRise(large.losses)).not.toBeNull();
    // the rates follow the curvature λ: good is below the stability limit 2/λ, too large above it
    expect(small.lr).toBeLessThan(good.lr);
    expect(good.lr).toBeLessThan(2 / slice.curvature);
    expect(large.lr).toBeGreaterThan(2 / slice.curvature);
    // the walks are real gradient steps: point[k+1] = point[k] − lr · ∇L(point[k])
    for (const p of slice.paths) {
      const g = slice.evaluate(p.points[0][0], p.points[0][1]).grad;
      expect(p.points[1][0]).toBeCloseTo(p.points[0][0] - p.lr * g[0], 9);
      expect(p.points[1][1]).toBeCloseTo(p.points[0][1] - p.lr * g[1], 9);
    }
    // the lowest point found is no higher than anywhere on the grid
    expect(slice.minLoss).toBeLessThanOrEqual(Math.min(...slice.grid.values) + 1e-9);
  });

  it("the texts report the walks' numbers", () => {
    const slice = descentSlice(handle, "It rained yesterday, but today it is sunny.");
    const e = explainText(handle, "gradient-descent", { lang: "en" });
    for (const p of slice.paths) expect(explanationText(e)).toContain(p.losses[DESCENT_STEPS].toFixed(3));
    expect(explanationText(e)).toContain(`channels ${slice.channels[0]} and ${slice.channels[1]}`);
    const jaSlice = descentSlice(handle, "昨日は雨だったけど、今日は晴れだった。");
    const ja = explainText(handle, "learning-rate", { lang: "ja" });
    for (const p of jaSlice.paths)
      expect(explanationText(ja)).toContain(`損失 ${p.losses[0].toFixed(3)} → ${p.losses[DESCENT_STEPS].toFixed(3)}`);
  });
});

describe("the learning-rate schedule", () => {
  it("is the one the model was trained with: it reproduces the rates recorded in its loss curve", () => {
    const schedule = modelSchedule(handle);
    expect(schedule.recorded).toBe(true);
    expect(schedule.totalSteps).toBe(30);
    expect(schedule.warmupSteps).toBe(3); // trainModel: min(100, steps / 10)
    const curve = modelInfo(handle).curve;
    expect(curve.length).toBeGreaterThan(10);
    for (const p of curve) expect(learningRateAt(p.step - 1, schedule)).toBeCloseTo(p.lr, 12);
  });
});
