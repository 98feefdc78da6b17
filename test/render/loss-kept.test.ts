/**
 * The loss curve marks the checkpoint that was kept, with the val loss its card shows: the
 * curve's own validation points are estimates over a few random batches, while the kept
 * model's figure is the full held-out evaluation, so the lowest point on the curve may be
 * another step with another number (the shipped model once showed 4.038 @7500 on the curve
 * beside 4.085 for the kept step 8000).
 */
import { describe, expect, it } from "vitest";
import { loadDefaultModel } from "../../src/app/load-model.ts";
import { modelInfo } from "../../src/app/model-info.ts";
import { lossCurveOf } from "../../src/app/pictures.ts";
import { lowerEstimateThanKept, markedValidation } from "../../src/render/loss.ts";

describe("the loss curve's marked validation point", () => {
  it("is the shipped model's kept checkpoint, with the card's val loss", async () => {
    const info = modelInfo(await loadDefaultModel());
    const marked = markedValidation(lossCurveOf(info, "en"));
    expect(marked).toEqual({ step: info.step, valLoss: info.valLoss, kind: "kept" });
  });

  it("stays the kept one where an estimate on the curve is lower, at another step", async () => {
    const info = modelInfo(await loadDefaultModel());
    const kept = { step: info.step, valLoss: info.valLoss! };
    // a curve whose lowest estimate lies below the kept figure, at an earlier evaluation
    const lower = {
      step: Math.max(1, Math.floor(kept.step / 2)),
      trainLoss: kept.valLoss,
      valLoss: kept.valLoss - 0.05,
      lr: 1e-3,
      tokens: 0,
    };
    const curve = [...info.curve.filter((p) => p.step !== lower.step), lower].sort((a, b) => a.step - b.step);
    const marked = markedValidation(lossCurveOf({ ...info, curve }, "ja"));
    expect(marked).toEqual({ ...kept, kind: "kept" });
    // without a kept checkpoint (a run still training) the lowest estimate is what is kept so far
    expect(markedValidation({ points: curve, modelName: "x", lang: "en" })).toMatchObject({ step: lower.step, kind: "best" });
  });

  it("names a lower estimate at another step, so the picture can say why the kept one was kept", async () => {
    const info = modelInfo(await loadDefaultModel());
    const input = lossCurveOf(info, "en");
    const estimates = info.curve.filter((p) => p.valLoss !== null && p.step !== info.step);
    const lowest = estimates.reduce((a, b) => (b.valLoss! < a.valLoss! ? b : a));
    // the shipped model: its lowest estimate (random batches) lies below the card's full held-out figure
    expect(lowest.valLoss!).toBeLessThan(info.valLoss!);
    expect(lowerEstimateThanKept(input)).toEqual({ step: lowest.step, valLoss: lowest.valLoss });
    // a curve whose every estimate is above the kept figure needs no word
    const above = info.curve.map((p) => (p.valLoss === null ? p : { ...p, valLoss: Math.max(p.valLoss, info.valLoss! + 0.01) }));
    expect(lowerEstimateThanKept({ ...input, points: above })).toBeNull();
    expect(lowerEstimateThanKept({ ...input, kept: undefined })).toBeNull();
  });
});
