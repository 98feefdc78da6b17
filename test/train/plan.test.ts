/**
 * Training that keeps its promises: with only a time budget the steps are planned before the
 * first one (from a measured step and evaluation time), the schedule is fitted to them and
 * reaches its final learning rate at the last step run; when the steps get slower or faster
 * during the run it re-plans, so it still ends near the time asked with its schedule complete.
 * Time here is a fake clock that each forward pass advances by a chosen cost: nothing depends on
 * how fast or busy this machine is.
 */
import { describe, expect, it } from "vitest";
import { GPT } from "../../src/model/gpt.ts";
import { presetConfig } from "../../src/model/config.ts";
import { seededRandom } from "../../src/tensor/random.ts";
import { trainCharTokenizer } from "../../src/tokenizer/char.ts";
import { splitTrainVal } from "../../src/train/loader.ts";
import { learningRateAt, ReplannableSchedule } from "../../src/train/schedule.ts";
import {
  type Clock,
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

/**
 * A fake clock for a model: every forward pass (a training step's or an evaluation batch's)
 * advances it by costAt(now) seconds, so a step "takes" what the test says, at the time it says.
 */
function fakeTime(model: GPT, costAt: (now: number) => number): Clock {
  let now = 0;
  const forward = model.forward.bind(model);
  model.forward = ((...args: Parameters<GPT["forward"]>) => {
    now += costAt(now);
    return forward(...args);
  }) as GPT["forward"];
  return () => now;
}

const OPTIONS = (blockSize: number): TrainOptions => ({
  ...DEFAULT_TRAIN,
  batchSize: 2,
  blockSize,
  timeBudgetSeconds: 120,
  evalInterval: 20,
  evalBatches: 2,
  warmupSteps: 100,
  seed: 5,
});

function run(costAt: (now: number) => number) {
  const { model, split, config } = tinySetup();
  const clock = fakeTime(model, costAt);
  const reports: Progress[] = [];
  const options = OPTIONS(Math.min(16, config.blockSize));
  const result = train(model, split, options, { clock, onStep: (p) => reports.push(p) });
  return { result, reports, options, seconds: clock() };
}

/** The schedule as run: warmup up to maxLr, then never rising, ending on minLr at the last step. */
function expectCompleteSchedule(result: TrainResult, options: TrainOptions) {
  const lrs = result.curve.map((p) => p.lr);
  expect(lrs[lrs.length - 1]).toBe(options.minLr);
  const peak = lrs.indexOf(Math.max(...lrs));
  expect(lrs[peak]).toBeCloseTo(options.maxLr, 6);
  for (let i = peak + 1; i < lrs.length; i++) expect(lrs[i]).toBeLessThanOrEqual(lrs[i - 1] + 1e-15);
  // no jump: consecutive steps differ by a small share of the range (a fresh plan never restarts the decay)
  for (let i = peak + 1; i < lrs.length; i++) expect(lrs[i - 1] - lrs[i]).toBeLessThan(0.1 * (options.maxLr - options.minLr));
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

describe("a run with only a time budget, on a steady machine", () => {
  // 0.4 s a forward pass: 120 s hold about 230 steps (evaluations included, 10 % kept in hand)
  const { result, reports, options, seconds } = run(() => 0.4);

  it("runs every planned step, and its schedule ends at the final learning rate on the last one", () => {
    expect(result.planned).toBe(true);
    expect(result.stopped).toBe("done");
    expect(result.replans).toBe(0);
    expect(result.steps).toBe(result.totalSteps);
    expect(result.totalSteps).toBe(result.firstPlan);
    expectCompleteSchedule(result, options);
    // the warmup is fitted to the plan (a tenth of it)
    const warmup = Math.min(options.warmupSteps, Math.max(1, Math.floor(result.totalSteps / 10)));
    expect(result.curve[warmup].lr).toBeCloseTo(options.maxLr, 12);
    expect(seconds).toBeGreaterThan(0.85 * 120);
    expect(seconds).toBeLessThanOrEqual(120);
  });

  it("reports one total from the first step to the last, one step at a time: the bar never jumps", () => {
    expect(reports.length).toBe(result.totalSteps);
    const bar = reports.map((p) => p.step / p.totalSteps);
    for (const p of reports) expect(p.totalSteps).toBe(result.totalSteps);
    for (let i = 1; i < bar.length; i++) expect(bar[i] - bar[i - 1]).toBeCloseTo(1 / result.totalSteps, 12);
    expect(bar[bar.length - 1]).toBe(1);
  });
});

describe("a run whose steps get three times slower after a third of its time (a busy machine)", () => {
  const { result, reports, options, seconds } = run((now) => (now < 40 ? 0.4 : 1.2));

  it("re-plans fewer steps, runs all of them, and ends near the time asked", () => {
    expect(result.stopped).toBe("done");
    expect(result.replans).toBeGreaterThan(0);
    expect(result.totalSteps).toBeLessThan(0.7 * result.firstPlan!);
    expect(result.steps).toBe(result.totalSteps);
    expect(seconds).toBeGreaterThan(0.85 * 120);
    expect(seconds).toBeLessThanOrEqual(120);
  });

  it("still completes its schedule: the rate decays to its floor instead of stopping near its peak", () => {
    expectCompleteSchedule(result, options);
  });

  it("reports the new total from the step it was re-planned at, and ends at step M of M", () => {
    const totals = [...new Set(reports.map((p) => p.totalSteps))];
    expect(totals.length).toBe(result.replans + 1);
    expect(totals[0]).toBe(result.firstPlan);
    expect(totals[totals.length - 1]).toBe(result.totalSteps);
    const last = reports[reports.length - 1];
    expect(last.step).toBe(last.totalSteps);
    for (let i = 1; i < reports.length; i++) expect(reports[i].step).toBe(reports[i - 1].step + 1);
  });
});

describe("a run whose steps get three times faster (the machine was busy when it measured)", () => {
  const { result, options, seconds } = run((now) => (now < 10 ? 1.2 : 0.4));

  it("re-plans more steps and uses the time asked instead of finishing early", () => {
    expect(result.stopped).toBe("done");
    expect(result.totalSteps).toBeGreaterThan(1.5 * result.firstPlan!);
    expect(result.steps).toBe(result.totalSteps);
    expect(seconds).toBeGreaterThan(0.85 * 120);
    expect(seconds).toBeLessThanOrEqual(120);
    expectCompleteSchedule(result, options);
  });
});

describe("a planned run stopped, then resumed with a time budget of its own", () => {
  const { model, split, config } = tinySetup();
  const clock = fakeTime(model, () => 0.4);
  const options = OPTIONS(Math.min(16, config.blockSize));
  let stepsRun = 0;
  const first = train(model, split, options, { clock, onStep: (p) => (stepsRun = p.step), shouldStop: () => stepsRun >= 60 });
  const resumedAt = clock();
  const resumed = train(model, split, options, { clock }, first.state);

  it("plans the steps after its own from a measured step time, ends near its time and completes the schedule", () => {
    expect(first.stopped).toBe("requested");
    expect(resumed.planned).toBe(true);
    expect(resumed.stopped).toBe("done");
    expect(resumed.curve[0].step).toBe(first.steps + 1);
    expect(resumed.steps).toBe(resumed.totalSteps);
    expect(resumed.totalSteps - first.steps).toBeGreaterThan(150);
    const took = clock() - resumedAt;
    expect(took).toBeGreaterThan(0.85 * 120);
    expect(took).toBeLessThanOrEqual(120);
    expect(resumed.curve[resumed.curve.length - 1].lr).toBe(options.minLr);
    // the rate goes on from where the stopped run was: no restart of the warmup, no jump
    const before = first.curve[first.curve.length - 1].lr;
    expect(Math.abs(resumed.curve[0].lr - before)).toBeLessThan(0.02 * options.maxLr);
    for (let i = 1; i < resumed.curve.length; i++) expect(resumed.curve[i].lr).toBeLessThanOrEqual(resumed.curve[i - 1].lr);
  });
});

describe("ReplannableSchedule", () => {
  const base = { maxLr: 1e-3, minLr: 1e-4, warmupSteps: 10, totalSteps: 200 };

  it("is the plain schedule until re-planned", () => {
    const s = new ReplannableSchedule(base);
    for (const step of [0, 5, 10, 50, 150, 198, 199, 250]) expect(s.lrAt(step)).toBeCloseTo(learningRateAt(step, base), 15);
  });

  it("continues from the rate it had when re-planned and reaches the floor at the new last step", () => {
    for (const total of [120, 400]) {
      const s = new ReplannableSchedule(base);
      const before = s.lrAt(99);
      s.replan(100, total);
      expect(Math.abs(s.lrAt(100) - before)).toBeLessThan(1e-5);
      expect(s.lrAt(total - 2)).toBeGreaterThan(base.minLr);
      expect(s.lrAt(total - 1)).toBe(base.minLr);
      for (let i = 101; i < total; i++) expect(s.lrAt(i)).toBeLessThanOrEqual(s.lrAt(i - 1));
    }
  });

  it("shortens the warmup of a run re-planned shorter during it, and refuses a plan that ends before its step", () => {
    const s = new ReplannableSchedule({ ...base, warmupSteps: 100, totalSteps: 2000 });
    s.replan(20, 300);
    expect(s.warmupSteps).toBe(30);
    expect(s.lrAt(30)).toBeCloseTo(base.maxLr, 12);
    expect(() => s.replan(50, 50)).toThrow(/50 steps at step 50/);
  });
});
