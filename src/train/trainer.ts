/**
 * The training loop: sample a batch, forward, backward, clip, AdamW step, repeat;
 * evaluate on held-out data every so often and report progress.
 *
 * Deterministic: the same model init, data, options and seed give the same losses bit for bit.
 */
import type { IdArray } from "../tensor/types.ts";
import { seededRandom } from "../tensor/random.ts";
import type { GPT } from "../model/gpt.ts";
import { paramSpecs } from "../model/params.ts";
import { AdamW, DEFAULT_ADAMW, type AdamWSettings, clipGradNorm } from "./adamw.ts";
import { ReplannableSchedule } from "./schedule.ts";
import { randomBatch, type Split } from "./loader.ts";

export interface TrainOptions {
  /** B: windows per step */
  batchSize: number;
  /** T: tokens per window (at most the model's block size) */
  blockSize: number;
  /** steps to run; with timeBudgetSeconds and no steps, planned before the first step (planSteps) */
  steps?: number;
  /**
   * wall time for the run. With steps: a hard stop. Without: the steps are planned from a
   * measured step and evaluation time so that they fit it, the schedule is fitted to them, and
   * the run is cut only if it overruns the budget by OVERRUN_LIMIT (a much slower machine).
   */
  timeBudgetSeconds?: number;
  maxLr: number;
  minLr: number;
  warmupSteps: number;
  gradClip: number;
  /** evaluate every this many steps (and at the end) */
  evalInterval: number;
  /** val batches averaged per evaluation */
  evalBatches: number;
  seed: number;
  adamw?: AdamWSettings;
}

export const DEFAULT_TRAIN: Omit<TrainOptions, "batchSize" | "blockSize"> = {
  maxLr: 1e-3,
  minLr: 1e-4,
  warmupSteps: 100,
  gradClip: 1.0,
  evalInterval: 250,
  evalBatches: 20,
  seed: 1337,
};

/** A planned run keeps this share of its time budget for what the plan cannot measure (checkpoints, messages). */
export const PLAN_MARGIN = 0.9;
/** A planned run is cut when it has taken this many times its budget (the reason is reported: "time"). */
export const OVERRUN_LIMIT = 1.25;
/** A planned run measures its steps for this share of its budget (at least MIN_CALIBRATION_STEPS, at most 3 s). */
const CALIBRATION_SHARE = 0.03;
const MIN_CALIBRATION_STEPS = 6;
/** A planned run checks its pace this many times over its budget and re-plans when the steps left differ by more than REPLAN_TOLERANCE (and 2 steps). */
const REPLAN_CHECKS = 20;
const REPLAN_TOLERANCE = 0.03;

/** Seconds from some fixed start; the trainer's default is performance.now() / 1000 (tests give a fake one). */
export type Clock = () => number;
const wallClock: Clock = () => performance.now() / 1000;

/** What one step and one evaluation batch cost on this machine now (seconds). */
export interface StepCosts {
  step: number;
  evalBatch: number;
}

/**
 * Steps that fit `seconds`: each step costs `step`, and every `evalInterval` steps an evaluation
 * of `evalBatches` forward passes; PLAN_MARGIN of the time is planned, the rest kept in hand.
 *   per step = step + evalBatches · evalBatch / evalInterval;  steps = ⌊margin · seconds / per step⌋ (≥ 1)
 */
export function planSteps(costs: StepCosts, seconds: number, evalInterval: number, evalBatches: number): number {
  const perStep = costs.step + (evalBatches * costs.evalBatch) / Math.max(1, evalInterval);
  if (!(perStep > 0) || !Number.isFinite(perStep)) throw new Error(`cannot plan steps from a step time of ${perStep} s`);
  return Math.max(1, Math.floor((PLAN_MARGIN * Math.max(0, seconds)) / perStep));
}

/**
 * Times real steps of this model on training batches (forward, backward, clip, an AdamW step
 * of a throwaway optimizer) and evaluation batches, then puts the weights back: the run that
 * follows starts from the same weights, optimizer and random stream as without it.
 *   1. steps for CALIBRATION_SHARE of the budget (≥ MIN_CALIBRATION_STEPS, ≤ 3 s); the first
 *      ones are slow (the JIT, first allocations), so a step's cost is the median of the later half;
 *   2. as many evaluation batches as half the steps, their median likewise.
 */
export function measureStepCosts(model: GPT, split: Split, o: TrainOptions, budgetSeconds: number, clock: Clock = wallClock): StepCosts {
  const B = o.batchSize;
  const T = o.blockSize;
  const saved = Float32Array.from(model.params);
  const optimizer = new AdamW(paramSpecs(model.config), model.params.length, o.adamw ?? DEFAULT_ADAMW, model.kernels);
  const rng = seededRandom(o.seed + 7919); // its own stream: the run's batches are unchanged
  const timed = (work: () => void) => {
    const started = clock();
    work();
    return clock() - started;
  };
  const laterMedian = (xs: number[]) => {
    const later = xs.slice(Math.floor(xs.length / 2)).sort((a, b) => a - b);
    return later[Math.floor(later.length / 2)];
  };
  // 1. training steps
  const share = Math.min(3, CALIBRATION_SHARE * budgetSeconds);
  const stepTimes: number[] = [];
  let spent = 0;
  while (stepTimes.length < MIN_CALIBRATION_STEPS || spent < share) {
    const t = timed(() => {
      const batch = randomBatch(split.train, B, T, rng);
      model.forward(batch.x, B, T, batch.y);
      model.zeroGrad();
      model.backward();
      clipGradNorm(model.grads, o.gradClip, model.kernels);
      optimizer.step(model.params, model.grads, o.minLr);
    });
    stepTimes.push(t);
    spent += t;
  }
  // 2. evaluation batches (forward only)
  const evalTimes: number[] = [];
  for (let i = 0; i < Math.max(2, Math.ceil(stepTimes.length / 2)); i++) {
    const batch = randomBatch(split.val, B, T, rng);
    evalTimes.push(timed(() => model.forward(batch.x, B, T, batch.y)));
  }
  model.params.set(saved);
  model.zeroGrad();
  return { step: laterMedian(stepTimes), evalBatch: laterMedian(evalTimes) };
}

export interface LossPoint {
  step: number;
  trainLoss: number;
  valLoss: number | null;
  lr: number;
  tokens: number;
}

export interface Progress extends LossPoint {
  totalSteps: number;
  tokensPerSecond: number;
  elapsedSeconds: number;
  /** seconds inside the steps alone so far (forward, backward, clip, AdamW; no evaluation, no batch drawing), as the PyTorch reference counts its training time */
  stepSeconds: number;
  etaSeconds: number;
}

export interface TrainHooks {
  /** after every step, after any evaluation of that step (cheap callers only) */
  onStep?: (p: Progress, curve: readonly LossPoint[]) => void;
  /** after every evaluation, including the last: a good moment to save a checkpoint */
  onEval?: (p: Progress, curve: readonly LossPoint[]) => void;
  /** polled every step; true stops the run after the current step */
  shouldStop?: () => boolean;
  /** the time the run is planned and measured by (default: performance.now() / 1000) */
  clock?: Clock;
}

/** What a later run needs to continue exactly where this one stopped. */
export interface TrainState {
  step: number;
  totalSteps: number;
  optimizer: { t: number; m: Float32Array; v: Float32Array };
  rngState: number;
}

export interface TrainResult {
  steps: number;
  totalSteps: number;
  curve: LossPoint[];
  finalTrainLoss: number;
  finalValLoss: number | null;
  bestValLoss: number | null;
  seconds: number;
  /** of `seconds`, the time inside the steps alone (see Progress.stepSeconds) */
  stepSeconds: number;
  tokensPerSecond: number;
  /** done: every step of the plan; time: cut by the time budget; requested: stopped on request */
  stopped: "done" | "time" | "requested";
  /** the steps were planned from a measured step time to fit the time budget */
  planned: boolean;
  /** a planned run: the steps of its first plan, and how often the pace measured while running changed it */
  firstPlan: number | null;
  replans: number;
  state: TrainState;
}

/** Mean loss over `batches` random windows of `data`, forward only. */
export function evaluateLoss(model: GPT, data: IdArray, batches: number, B: number, T: number, seed: number): number {
  const rng = seededRandom(seed);
  let sum = 0;
  for (let i = 0; i < batches; i++) {
    const batch = randomBatch(data, B, T, rng);
    sum += model.forward(batch.x, B, T, batch.y).loss!;
  }
  return sum / batches;
}

/**
 * Mean loss over EVERY non-overlapping window of `data` (windows start at 0, T, 2T, …), in
 * batches of B: deterministic, so anyone can recompute a checkpoint's recorded val loss.
 */
export function evaluateAllWindows(model: GPT, data: IdArray, B: number, T: number): number {
  const windows = Math.floor((data.length - 1) / T);
  if (windows < 1) throw new Error(`${data.length} tokens cannot fill one window of ${T} + 1`);
  let sum = 0;
  for (let first = 0; first < windows; first += B) {
    const b = Math.min(B, windows - first);
    const x = new Int32Array(b * T);
    const y = new Int32Array(b * T);
    for (let i = 0; i < b; i++) {
      const start = (first + i) * T;
      x.set(data.subarray(start, start + T), i * T);
      y.set(data.subarray(start + 1, start + T + 1), i * T);
    }
    sum += model.forward(x, b, T, y).loss! * b; // the batch mean counts once per window
  }
  return sum / windows;
}

export function train(model: GPT, split: Split, options: TrainOptions, hooks: TrainHooks = {}, resume?: TrainState): TrainResult {
  const o = options;
  const B = o.batchSize;
  const T = o.blockSize;
  if (T > model.config.blockSize) throw new Error(`training block ${T} is longer than the model's block size ${model.config.blockSize}`);
  if (o.steps === undefined && o.timeBudgetSeconds === undefined) throw new Error("train needs steps or a time budget");
  for (const [name, data] of [
    ["train", split.train],
    ["val", split.val],
  ] as const) {
    if (data.length < T + 1) throw new Error(`the ${name} split has ${data.length} tokens, a window of block ${T} needs ${T + 1}`);
  }

  const optimizer = new AdamW(paramSpecs(model.config), model.params.length, o.adamw ?? DEFAULT_ADAMW, model.kernels);
  const rng = seededRandom(o.seed, resume?.rngState);
  let step = 0;
  let totalSteps = o.steps ?? Number.MAX_SAFE_INTEGER;
  if (resume) {
    optimizer.t = resume.optimizer.t;
    optimizer.m.set(resume.optimizer.m);
    optimizer.v.set(resume.optimizer.v);
    step = resume.step;
    totalSteps = resume.totalSteps;
  }
  const clock = hooks.clock ?? wallClock;
  const started = clock();
  const elapsed = () => clock() - started;
  // 0. with only a time budget: plan the steps before the first one, from a measured step time,
  //    and fit the warmup (a tenth of the plan, at most the configured one) and the schedule to them.
  //    A resumed run plans the steps after its own: its schedule goes on from where it was
  //    (the warmup its first plan had) and what is left of the decay is spread over the new plan
  const planned = o.steps === undefined && o.timeBudgetSeconds !== undefined;
  const budget = o.timeBudgetSeconds ?? Infinity;
  let warmupSteps = resume && planned ? Math.min(o.warmupSteps, Math.max(1, Math.floor(totalSteps / 10))) : o.warmupSteps;
  // what one evaluation costs (measured, then the latest one's time)
  let evalCost = 0;
  let plannedSteps: number | null = null;
  if (planned) {
    const costs = measureStepCosts(model, split, o, budget, clock);
    plannedSteps = planSteps(costs, budget - elapsed(), o.evalInterval, o.evalBatches);
    if (!resume) warmupSteps = Math.min(o.warmupSteps, Math.max(1, Math.floor(plannedSteps / 10)));
    evalCost = o.evalBatches * costs.evalBatch;
  }
  const schedule = new ReplannableSchedule({
    maxLr: o.maxLr,
    minLr: o.minLr,
    warmupSteps,
    totalSteps: resume || plannedSteps === null ? totalSteps : plannedSteps,
  });
  if (plannedSteps !== null) {
    if (resume) schedule.replan(step, step + plannedSteps);
    totalSteps = step + plannedSteps;
  }
  const firstPlan = planned ? totalSteps : null;
  // the time the first plan ends at (PLAN_MARGIN of what was left after measuring); re-plans keep it
  const plannedEnd = elapsed() + PLAN_MARGIN * Math.max(0, budget - elapsed());
  let replans = 0;
  const timeLimit = o.timeBudgetSeconds === undefined ? Infinity : budget * (planned ? OVERRUN_LIMIT : 1);
  // a planned run's pace is measured over windows of budget / REPLAN_CHECKS: the steps' own time
  // in the window, plus the latest evaluation's time shared over evalInterval steps
  let evalSeconds = 0;
  let window = { at: elapsed(), step, evalSeconds };
  const replanIfOffPace = () => {
    const now = elapsed();
    if (!planned || now - window.at < budget / REPLAN_CHECKS || step >= totalSteps - 1 || step === window.step) return;
    const pace = (now - window.at - (evalSeconds - window.evalSeconds)) / (step - window.step) + evalCost / Math.max(1, o.evalInterval);
    window = { at: now, step, evalSeconds };
    if (!(pace > 0)) return;
    const wanted = step + Math.max(1, Math.floor((plannedEnd - now) / pace));
    if (Math.abs(wanted - totalSteps) <= Math.max(2, REPLAN_TOLERANCE * (totalSteps - step))) return;
    schedule.replan(step, wanted);
    totalSteps = wanted;
    replans += 1;
  };

  const curve: LossPoint[] = [];
  const startStep = step;
  let lastTrainLoss = NaN;
  let lastValLoss: number | null = null;
  let bestValLoss: number | null = null;
  let stopped: TrainResult["stopped"] = "done";
  let stepSeconds = 0;
  let evalSeed = o.seed + 1;

  const loopStarted = clock();
  const progress = (point: LossPoint): Progress => {
    const secs = elapsed();
    // the pace of the steps themselves (the planning before them not counted)
    const loopSecs = clock() - loopStarted;
    const done = step - startStep;
    const tokensPerSecond = done > 0 ? (done * B * T) / loopSecs : 0;
    const etaSeconds = done > 0 ? ((totalSteps - step) * loopSecs) / done : NaN;
    return { ...point, totalSteps, tokensPerSecond, elapsedSeconds: secs, stepSeconds, etaSeconds };
  };
  const evaluate = (lr: number) => {
    // a fresh seed each evaluation, independent of the training batches
    const evalStarted = clock();
    lastValLoss = evaluateLoss(model, split.val, o.evalBatches, B, T, evalSeed++);
    evalCost = clock() - evalStarted;
    evalSeconds += evalCost;
    if (bestValLoss === null || lastValLoss < bestValLoss) bestValLoss = lastValLoss;
    const point: LossPoint = { step, trainLoss: lastTrainLoss, valLoss: lastValLoss, lr, tokens: step * B * T };
    curve[curve.length - 1] = point; // replace this step's point with one that carries val loss
    hooks.onEval?.(progress(point), curve);
  };

  while (step < totalSteps) {
    // 1. learning rate for this step
    const lr = schedule.lrAt(step);
    // 2. a batch, forward with targets, backward
    const batch = randomBatch(split.train, B, T, rng);
    const stepStarted = clock();
    const { loss } = model.forward(batch.x, B, T, batch.y);
    model.zeroGrad();
    model.backward();
    // 3. clip the gradient's global norm, then one AdamW step
    clipGradNorm(model.grads, o.gradClip, model.kernels);
    optimizer.step(model.params, model.grads, lr);
    stepSeconds += clock() - stepStarted;
    step += 1;
    lastTrainLoss = loss!;
    const point: LossPoint = { step, trainLoss: lastTrainLoss, valLoss: null, lr, tokens: step * B * T };
    curve.push(point);

    // 4. the time limit (a planned run's is its budget with OVERRUN_LIMIT of slack)
    const outOfTime = elapsed() >= timeLimit;
    const requested = hooks.shouldStop?.() ?? false;
    const last = step >= totalSteps || outOfTime || requested;
    if (step % o.evalInterval === 0 || last) evaluate(lr);
    // 5. a planned run off its pace (the machine got busier or freer) re-plans the steps left
    if (!last) replanIfOffPace();
    hooks.onStep?.(progress(curve[curve.length - 1]), curve);
    if (outOfTime && step < totalSteps) {
      stopped = "time";
      break;
    }
    if (requested && step < totalSteps) {
      stopped = "requested";
      break;
    }
  }

  const seconds = elapsed();
  return {
    steps: step,
    totalSteps,
    curve,
    finalTrainLoss: lastTrainLoss,
    finalValLoss: lastValLoss,
    bestValLoss,
    seconds,
    stepSeconds,
    tokensPerSecond: seconds > 0 ? ((step - startStep) * B * T) / seconds : 0,
    stopped,
    planned,
    firstPlan,
    replans,
    state: { step, totalSteps, optimizer: { t: optimizer.t, m: optimizer.m, v: optimizer.v }, rngState: rng.state() },
  };
}
