/**
 * The steps of a guild's training that do not depend on where it runs: the in-process
 * GuildTraining (training-service.ts) and a queue worker on another host (src/queue/) share them.
 *
 *   corpusShortfall(request, docs)           → null, or why the text is too little (with its numbers)
 *   trainingOptionsFor(request, docs, o)     → the TrainModelOptions of the run
 *   storedRunOptions(options, request, …)    → what store.runs.start records
 *   recordPoint(points, progress)            → the live curve grows by one point per step
 *   finalCurve(summary, final)               → the curve stored when the run ends
 *   trainingSnapshot(state)                  → the numbers a progress message shows
 */
import type { TokenizerKind } from "../tokenizer/tokenizer.ts";
import { type LossPoint, OVERRUN_LIMIT, type Progress } from "../train/trainer.ts";
import type { TrainingPreset } from "./catalogue/commands.ts";
import { baseCorpusRequirement } from "./fine-tune-base.ts";
import { thinCurve, type TrainModelOptions } from "./train-model.ts";
import type { TrainingSummary } from "./training-job.ts";
import { corpusRequirement } from "./training-limits.ts";
import type { GuildTrainingRequest, TrainingOverrides, TrainingPhase, TrainingSnapshot } from "./training-service.ts";
import { TRAINING_TOKENIZER, trainingTokenizerKind } from "./training-tokenizer.ts";

/** Evaluate every so many steps (a checkpoint follows each evaluation). */
const EVAL_INTERVAL: Record<TrainingPreset, number> = { tiny: 200, baby: 100 };
const EVAL_BATCHES = 10;
/** A run's curve is stored at up to this many points (every evaluation is kept). */
const STORED_POINTS = 1000;
/** A totalSteps this large means "not known yet" (a time budget before its first steps). */
export const UNKNOWN_TOTAL = 1e12;

/**
 * A vocabulary that suits the text: the 256 bytes and end-of-text, for a character BPE also its
 * distinct characters (its base tokens), then merges where the text repeats them (one per 40
 * characters, at least 43), so a small paste gets as many merges under either kind.
 */
export function vocabSizeFor(texts: readonly string[], kind: TokenizerKind): number {
  const characters = texts.reduce((n, d) => n + d.length, 0);
  const merges = Math.max(43, Math.round(characters / 40));
  if (kind !== "charbpe") return Math.min(2048, 257 + merges);
  const distinct = new Set<string>();
  for (const text of texts) for (const ch of text) distinct.add(ch);
  return Math.min(4096, 257 + distinct.size + merges);
}

/** Too little text for the request: the message and the numbers of TrainingError "not-enough-text". */
export interface CorpusShortfall {
  message: string;
  values: Record<string, unknown>;
}

/** Null when `docs` are enough for the preset (or the fine-tuned base); else why not. */
export function corpusShortfall(request: GuildTrainingRequest, docs: readonly string[]): CorpusShortfall | null {
  const characters = docs.reduce((n, d) => n + d.length, 0);
  const base = request.base;
  // a fine-tuning needs a full window of its base's (not the preset's) in the held-out 10 %
  const need = base ? baseCorpusRequirement(base.config) : corpusRequirement(request.preset);
  const sizeName = base ? base.name : request.preset;
  if (docs.length >= need.messages && characters >= need.characters) return null;
  return {
    message: `only ${docs.length} messages (${characters} characters) to learn from; ${base ? `fine-tuning ${base.name}` : `the ${sizeName} preset`} needs at least ${need.messages} messages and ${need.characters} characters`,
    values: {
      messages: docs.length,
      characters,
      needMessages: need.messages,
      needCharacters: need.characters,
      preset: sizeName,
      ...(base && { base: base.name }),
    },
  };
}

/** The run's options: the training tokenizer sized to the text, the time budget (or a fixed step count for tests). */
export function trainingOptionsFor(request: GuildTrainingRequest, docs: readonly string[], o: TrainingOverrides): TrainModelOptions {
  const { preset, base } = request;
  // (a fine-tuning keeps its base's tokenizer, whatever its kind: this one is not built)
  const tokenizer = base ? TRAINING_TOKENIZER : trainingTokenizerKind(request.resumeFrom?.checkpoint);
  return {
    preset,
    tokenizer,
    vocabSize: o.vocabSize ?? vocabSizeFor(docs, tokenizer),
    seed: request.seed ?? 1337,
    evalInterval: o.evalInterval ?? EVAL_INTERVAL[preset],
    evalBatches: o.evalBatches ?? EVAL_BATCHES,
    ...(o.steps !== undefined ? { steps: o.steps } : { minutes: request.minutes }),
    ...o.schedule,
    ...(request.resumeFrom && { resumeFrom: request.resumeFrom.checkpoint }),
    // the base's weights travel by path or bytes (a resumed fine-tuning's checkpoint already holds them)
    ...(base &&
      !request.resumeFrom && {
        baseName: base.name,
        ...(base.initFrom !== undefined && { initFrom: base.initFrom }),
        ...(base.checkpoint !== undefined && { baseCheckpoint: base.checkpoint }),
      }),
  };
}

/** What store.runs.start records of a run: its options without bytes, what it resumed, its corpus; `extra` adds to it. */
export function storedRunOptions(
  options: TrainModelOptions,
  request: GuildTrainingRequest,
  corpus: { messages: number; characters: number },
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  const base = request.base;
  return {
    ...options,
    resumeFrom: undefined,
    baseCheckpoint: undefined,
    ...(base && { base: { ref: base.ref, name: base.name } }),
    resumedRun: request.resumeFrom?.runId,
    messages: corpus.messages,
    characters: corpus.characters,
    ...extra,
  };
}

/**
 * Adds a progress report to the live curve (one point per step: a later report of a step
 * replaces it, keeping a validation loss already known); returns the curve's last point.
 */
export function recordPoint(points: LossPoint[], p: Progress): LossPoint {
  const point: LossPoint = { step: p.step, trainLoss: p.trainLoss, valLoss: p.valLoss, lr: p.lr, tokens: p.tokens };
  const last = points[points.length - 1];
  if (last?.step === point.step) {
    points[points.length - 1] = { ...point, valLoss: point.valLoss ?? last.valLoss };
  } else if (last === undefined || last.step < point.step) {
    points.push(point);
  }
  return points[points.length - 1];
}

/** The curve stored when a run ends: the summary's (thinned, finite losses), with the final evaluation last, by step. */
export function finalCurve(summary: TrainingSummary, final: Progress): LossPoint[] {
  const curve = thinCurve(summary.curve, STORED_POINTS).filter((p) => Number.isFinite(p.trainLoss) && p.step !== final.step);
  const finalPoint: LossPoint = {
    step: final.step,
    trainLoss: final.trainLoss,
    valLoss: final.valLoss,
    lr: final.lr,
    tokens: final.tokens,
  };
  return [...curve, finalPoint].sort((a, b) => a.step - b.step);
}

export function latestValLoss(points: readonly LossPoint[]): number | null {
  for (let i = points.length - 1; i >= 0; i--) {
    const v = points[i].valLoss;
    if (v !== null && Number.isFinite(v)) return v;
  }
  return null;
}

/** What a training knows about itself, wherever it runs: the input of trainingSnapshot. */
export interface TrainingState {
  phase: TrainingPhase;
  request: Pick<GuildTrainingRequest, "preset" | "minutes" | "base">;
  collected: { read: number; kept: number };
  corpus: { messages: number; characters: number } | null;
  trainOptions: Pick<TrainModelOptions, "steps" | "minutes"> | null;
  progress: Progress | null;
  points: readonly LossPoint[];
  stopRequested: boolean;
  runId: number | null;
  startedAt: number;
}

/** The numbers a progress message or /train status shows. */
export function trainingSnapshot(t: TrainingState): TrainingSnapshot {
  const p = t.progress;
  const totalKnown = p !== null && p.totalSteps < UNKNOWN_TOTAL;
  let eta: number | null = p !== null && Number.isFinite(p.etaSeconds) && totalKnown ? p.etaSeconds : null;
  if (p !== null && t.trainOptions?.minutes !== undefined) {
    // the steps are planned to fit the minutes; the run is cut only past OVERRUN_LIMIT of them
    const left = Math.max(0, t.trainOptions.minutes * 60 * OVERRUN_LIMIT - p.elapsedSeconds);
    eta = eta === null ? left : Math.min(eta, left);
  }
  return {
    phase: t.phase,
    preset: t.request.preset,
    base: t.request.base?.name ?? null,
    minutes: t.request.minutes,
    collected: { ...t.collected },
    corpus: t.corpus && { ...t.corpus },
    step: p?.step ?? 0,
    totalSteps: p === null ? (t.trainOptions?.steps ?? null) : totalKnown ? p.totalSteps : null,
    trainLoss: p !== null && Number.isFinite(p.trainLoss) ? p.trainLoss : null,
    valLoss: latestValLoss(t.points),
    tokensPerSecond: p?.tokensPerSecond ?? 0,
    elapsedSeconds: p?.elapsedSeconds ?? 0,
    etaSeconds: eta,
    stopRequested: t.stopRequested,
    runId: t.runId,
    startedAt: t.startedAt,
  };
}
