/**
 * Training that keeps its promises: with only a time budget the steps are planned before the
 * first one (from a measured step and evaluation time), the schedule is fitted to them and
 * reaches its final learning rate at the last step run, and the progress reports count towards
 * one total from the first report to the last (a bar drawn from them never jumps).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { GPT } from "../../src/model/gpt.ts";
import { presetConfig } from "../../src/model/config.ts";
import { seededRandom } from "../../src/tensor/random.ts";
import { trainCharTokenizer } from "../../src/tokenizer/char.ts";
import { splitTrainVal } from "../../src/train/loader.ts";
import {
  DEFAULT_TRAIN,
  PLAN_MARGIN,
  type Progress,
  planSteps,
  train,
  type TrainOptions,
  type TrainResult,
} from "../../src/train/trainer.ts";

const TEXT = "the cat sat on the mat. the dog sat on the log. a bird sang in the tree. ".repeat(60);

function tinySetup() {
  const tokenizer = trainCharTokenizer(TEXT);
  const config = presetConfig("tiny", tokenizer.vocabSize);
  const model = new GPT(config).init(seededRandom(3));
  const split = splitTrainVal(Int32Array.from(tokenizer.encode(TEXT).ids));
  return { model, split, config };
}

describe("planSteps", () => {
  it("fits the steps and their evaluations into the planned share of the time", () => {
    // 10 ms a step; an evaluation of 20 batches of 5 ms every 10 steps adds 10 ms a step
    const steps = planSteps({ step: 0.01, evalBatch: 0.005 }, 10, 10, 20);
    expect(steps).toBe(Math.floor((PLAN_MARGIN * 10) / 0.02));
    expect(planSteps({ step: 0.01, evalBatch: 0.005 }, 0, 10, 20)).toBe(1);
  });

  it("refuses a step time it cannot plan with, naming it", () => {
    expect(() => planSteps({ step: 0, evalBatch: 0 }, 10, 10, 20)).toThrow(/step time of 0 s/);
  });
});

describe("a run with only a time budget", () => {
  const { model, split, config } = tinySetup();
  const options: TrainOptions = {
    ...DEFAULT_TRAIN,
    batchSize: 4,
    blockSize: config.blockSize,
    timeBudgetSeconds: 2,
    // evaluations often and long enough that a plan ignoring them would not fit the budget
    evalInterval: 10,
    evalBatches: 8,
    warmupSteps: 100,
    seed: 5,
  };
  const reports: Progress[] = [];
  let result: TrainResult;
  beforeAll(() => {
    result = train(model, split, options, { onStep: (p) => reports.push(p) });
  }, 30_000);

  it("runs every planned step, and its schedule ends at the final learning rate on the last one", () => {
    expect(result.planned).toBe(true);
    expect(result.stopped).toBe("done");
    expect(result.steps).toBe(result.totalSteps);
    const last = result.curve[result.curve.length - 1];
    expect(last.step).toBe(result.totalSteps);
    expect(last.lr).toBe(options.minLr);
    // the warmup is fitted to the plan (a tenth of it), so the schedule peaks early, then decays
    const warmup = Math.min(options.warmupSteps, Math.max(1, Math.floor(result.totalSteps / 10)));
    expect(result.curve[warmup].lr).toBeCloseTo(options.maxLr, 12);
    for (let i = warmup + 1; i < result.curve.length; i++) expect(result.curve[i].lr).toBeLessThanOrEqual(result.curve[i - 1].lr);
  });

  it("reports one total from the first step to the last, one step at a time: the bar never jumps", () => {
    expect(reports.length).toBe(result.totalSteps);
    const bar = reports.map((p) => p.step / p.totalSteps);
    for (const p of reports) expect(p.totalSteps).toBe(result.totalSteps);
    for (let i = 1; i < bar.length; i++) expect(bar[i] - bar[i - 1]).toBeCloseTo(1 / result.totalSteps, 12);
    expect(bar[bar.length - 1]).toBe(1);
  });
});
