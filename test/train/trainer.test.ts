import { describe, expect, it } from "vitest";
import { GPT } from "../../src/model/gpt.ts";
import { presetConfig } from "../../src/model/config.ts";
import { seededRandom } from "../../src/tensor/random.ts";
import { AdamW, clipGradNorm } from "../../src/train/adamw.ts";
import { learningRateAt } from "../../src/train/schedule.ts";
import { randomBatch, splitTrainVal } from "../../src/train/loader.ts";
import { train, type TrainOptions } from "../../src/train/trainer.ts";

/** A small repetitive "language": the model can learn it quickly. */
function patternTokens(n: number): Int32Array {
  const pattern = [1, 2, 3, 4, 5, 1, 2, 6, 7, 1, 2, 3];
  return Int32Array.from({ length: n }, (_, i) => pattern[i % pattern.length]);
}

const options: TrainOptions = {
  batchSize: 4,
  blockSize: 16,
  steps: 60,
  maxLr: 1e-2,
  minLr: 1e-3,
  warmupSteps: 5,
  gradClip: 1,
  evalInterval: 20,
  evalBatches: 4,
  seed: 42,
};

describe("learning-rate schedule (nanoGPT's)", () => {
  const s = { maxLr: 1e-3, minLr: 1e-4, warmupSteps: 100, totalSteps: 2000 };
  it("warms up linearly, decays by cosine, then stays at the floor", () => {
    expect(learningRateAt(0, s)).toBeCloseTo(1e-3 / 101, 12);
    expect(learningRateAt(99, s)).toBeCloseTo((1e-3 * 100) / 101, 12);
    expect(learningRateAt(100, s)).toBeCloseTo(1e-3, 12);
    // halfway between the warmup's end (100) and the last step (1999): the mean of max and min
    expect(learningRateAt(1049.5, s)).toBeCloseTo(5.5e-4, 12);
    expect(learningRateAt(1998, s)).toBeGreaterThan(1e-4);
    expect(learningRateAt(5000, s)).toBe(1e-4);
  });

  it("reaches its floor exactly at the last step of the run (index totalSteps − 1)", () => {
    expect(learningRateAt(s.totalSteps - 1, s)).toBe(1e-4);
  });
});

describe("AdamW", () => {
  it("matches a hand computation, with weight decay on 2-D weights only", () => {
    const specs = [
      { name: "w", shape: [1, 1], offset: 0, size: 1, group: "mlp" as const },
      { name: "b", shape: [1], offset: 1, size: 1, group: "mlp" as const },
    ];
    const opt = new AdamW(specs, 2, { beta1: 0.9, beta2: 0.99, eps: 1e-8, weightDecay: 0.5 });
    const p = Float32Array.from([1, 1]);
    opt.step(p, Float32Array.from([0.2, 0.2]), 0.1);
    // step 1: m̂ = g, v̂ = g², so the Adam update is lr·g/|g| = 0.1; decay: 1 − 0.1·0.5·1 = 0.95
    expect(p[0]).toBeCloseTo(0.95 - 0.1, 6);
    expect(p[1]).toBeCloseTo(1 - 0.1, 6);
  });

  it("clips the global gradient norm", () => {
    const g = Float32Array.from([3, 4]);
    expect(clipGradNorm(g, 1)).toBeCloseTo(5, 6);
    expect(Math.hypot(g[0], g[1])).toBeCloseTo(1, 5);
    const small = Float32Array.from([0.3, 0.4]);
    clipGradNorm(small, 1);
    expect(Array.from(small)).toEqual([Math.fround(0.3), Math.fround(0.4)]);
  });
});

describe("data loader", () => {
  it("splits 90/10 and draws windows whose targets are the inputs shifted by one", () => {
    const tokens = Int32Array.from({ length: 1000 }, (_, i) => i);
    const { train: tr, val } = splitTrainVal(tokens);
    expect(tr.length).toBe(900);
    expect(val[0]).toBe(900);
    const batch = randomBatch(tr, 3, 10, seededRandom(1));
    for (let b = 0; b < 3; b++) {
      for (let t = 0; t < 10; t++) expect(batch.y[b * 10 + t]).toBe(batch.x[b * 10 + t] + 1);
      expect(batch.x[b * 10 + 9] + 1).toBeLessThan(900);
    }
    expect(() => randomBatch(tr.subarray(0, 5), 1, 10, seededRandom(1))).toThrow("needs 11");
  });
});

describe("trainer", () => {
  const run = () => {
    const model = new GPT(presetConfig("tiny", 8)).init(seededRandom(3));
    const progress: number[] = [];
    const result = train(model, splitTrainVal(patternTokens(3000)), options, { onStep: (p) => progress.push(p.step) });
    return { model, result, progress };
  };

  it("lowers the loss and reports progress every step with val loss at each evaluation", () => {
    const { result, progress } = run();
    expect(result.steps).toBe(60);
    expect(progress).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    expect(result.curve[0].trainLoss).toBeGreaterThan(1.8);
    expect(result.finalValLoss!).toBeLessThan(1.0);
    expect(result.curve.filter((p) => p.valLoss !== null).map((p) => p.step)).toEqual([20, 40, 60]);
    expect(result.bestValLoss).toBe(Math.min(...result.curve.filter((p) => p.valLoss !== null).map((p) => p.valLoss!)));
    // the steps' own time is part of the wall time (evaluations and batch drawing are the rest)
    expect(result.stepSeconds).toBeGreaterThan(0);
    expect(result.stepSeconds).toBeLessThan(result.seconds);
  });

  it("repeats bit for bit with the same seed and data", () => {
    const a = run();
    const b = run();
    expect(b.result.curve.map((p) => p.trainLoss)).toEqual(a.result.curve.map((p) => p.trainLoss));
    expect(Buffer.from(b.model.params.buffer).equals(Buffer.from(a.model.params.buffer))).toBe(true);
  });

  it("resumes from its state exactly where it stopped", () => {
    const full = run();
    const model = new GPT(presetConfig("tiny", 8)).init(seededRandom(3));
    const split = splitTrainVal(patternTokens(3000));
    let stopAt = 25;
    const first = train(model, split, options, { shouldStop: () => --stopAt <= 0 });
    expect(first.stopped).toBe("requested");
    expect(first.steps).toBe(25);
    const second = train(model, split, options, {}, first.state);
    expect(second.steps).toBe(60);
    expect(second.curve.map((p) => p.trainLoss)).toEqual(full.result.curve.slice(25).map((p) => p.trainLoss));
  });

  it("refuses data too short for one window", () => {
    const model = new GPT(presetConfig("tiny", 8)).init(seededRandom(3));
    expect(() => train(model, splitTrainVal(patternTokens(50)), options)).toThrow("val split has 5 tokens");
  });
});
