/**
 * Training a new model from documents: the use case behind `cli train`, `npm run train:default`,
 * the bot's `/train` (inside a worker thread) and the web playground.
 *
 *   1. shuffle the documents (seeded) so the held-out 10 % has every kind of text
 *   2. build a tokenizer from them (character-level or byte-level BPE)
 *   3. one token stream with end-of-text before each document; split 90/10
 *   4. a fresh GPT of the chosen preset, seeded (or, fine-tuning, the base model's weights, config
 *      and tokenizer); train; a checkpoint at every evaluation, holding the weights of the best
 *      val loss so far (not the last: a run that overfits keeps its best)
 *   5. the final checkpoint: the best or the last weights, whichever has the lower loss over the
 *      whole held-out split
 */
import { GPT } from "../model/gpt.ts";
import { type GPTConfig, type PresetName, presetConfig } from "../model/config.ts";
import { type LoadedCheckpoint, loadCheckpointBytes, saveCheckpointBytes } from "../model/checkpoint.ts";
import { tokenizerFromJSON } from "../tokenizer/from-json.ts";
import type { Kernels } from "../tensor/kernels.ts";
import { seededRandom } from "../tensor/random.ts";
import type { Tokenizer, TokenizerKind } from "../tokenizer/tokenizer.ts";
import { trainCharBpeTokenizer } from "../tokenizer/char-bpe.ts";
import { trainCharTokenizer } from "../tokenizer/char.ts";
import { trainBpeTokenizer } from "../tokenizer/bpe.ts";
import { splitTrainVal } from "../train/loader.ts";
import {
  DEFAULT_TRAIN,
  evaluateAllWindows,
  type LossPoint,
  type Progress,
  train,
  type TrainOptions,
  type TrainResult,
  type TrainState,
} from "../train/trainer.ts";
import { shuffleDocuments, tokenStream } from "./corpus.ts";
import { checkTrainingMemory } from "./training-memory.ts";
import type { ModelHandle } from "./model-handle.ts";

/** Too little text for a preset: the numbers travel with the error (across the worker too), never parsed back from its text. */
export interface CorpusTooSmall {
  tokens: number;
  needed: number;
  preset: string;
  blockSize: number;
}

export class CorpusTooSmallError extends Error {
  constructor(readonly counts: CorpusTooSmall) {
    super(
      `the corpus has ${counts.tokens} tokens; the ${counts.preset} preset (block ${counts.blockSize}) needs at least ${counts.needed}, so that 10 % can be held out`,
    );
  }
}

export interface TrainModelOptions {
  preset: PresetName;
  tokenizer: TokenizerKind;
  /** for BPE and character BPE: the vocabulary size to learn (≥ 257 + a few characters or merges) */
  vocabSize: number;
  /** steps to run; or a time budget */
  steps?: number;
  minutes?: number;
  seed: number;
  batchSize?: number;
  evalInterval?: number;
  evalBatches?: number;
  maxLr?: number;
  minLr?: number;
  warmupSteps?: number;
  /** where the documents came from (e.g. "data"), recorded in the checkpoint so its val loss can be recomputed */
  corpus?: string;
  /** continue from this checkpoint (an interrupted run's last): its tokenizer, weights and step */
  resumeFrom?: Uint8Array;
  /** fine-tuning: start from this pretrained model, keeping its config and tokenizer (`preset`, `tokenizer` and `vocabSize` are then unused) */
  base?: BaseModel;
  /** the same, by the model's file or folder (anything `--model` takes), loaded where the training runs (the worker) */
  initFrom?: string;
  /** the training window in tokens: the preset's block size, or for a base FINE_TUNE.context (at most its block size) */
  context?: number;
}

/** A pretrained model to fine-tune: what a loaded model handle holds. */
export interface BaseModel {
  name: string;
  config: GPTConfig;
  params: ArrayLike<number>;
  tokenizer: Tokenizer;
}

/** A loaded model as the base of a fine-tuning. */
export function baseOf(handle: ModelHandle): BaseModel {
  return { name: handle.name, config: handle.model.config, params: handle.model.params, tokenizer: handle.tokenizer };
}

/**
 * Fine-tuning's defaults (nanoGPT's finetune_shakespeare is the model: small batches, a learning
 * rate well below pretraining's, a short warmup): the weights already know language, so big
 * steps would only knock them out of it.
 */
export const FINE_TUNE = { batchSize: 4, context: 128, maxLr: 1e-4, minLr: 1e-5, warmupSteps: 20 } as const;

export interface TrainModelHooks {
  onProgress?: (p: Progress) => void;
  /** a complete checkpoint after every evaluation (including the last) */
  onCheckpoint?: (bytes: Uint8Array, p: Progress) => void;
  shouldStop?: () => boolean;
}

export interface TrainedModel {
  /** the kept weights (best or last, see step 5) as a checkpoint */
  checkpoint: Uint8Array;
  result: TrainResult;
  /** which step's weights the checkpoint holds, and the held-out loss of both candidates */
  kept: { step: number; lastStep: number; heldOutLoss: number; lastHeldOutLoss: number };
  tokenizer: Tokenizer;
  corpus: { documents: number; characters: number; tokens: number; unknown: number };
}

export const BATCH_SIZE: Record<PresetName, number> = { tiny: 8, baby: 12, small: 8 };

/** The loss curve kept inside a checkpoint: every evaluation, and at most ~400 other points. */
export function thinCurve(curve: readonly LossPoint[], keep = 400): LossPoint[] {
  const stride = Math.max(1, Math.ceil(curve.length / keep));
  return curve.filter((p, i) => p.valLoss !== null || i % stride === 0 || i === curve.length - 1);
}

export function buildTokenizer(kind: TokenizerKind, text: string, vocabSize: number): Tokenizer {
  if (kind === "char") return trainCharTokenizer(text);
  return kind === "charbpe" ? trainCharBpeTokenizer(text, vocabSize) : trainBpeTokenizer(text, vocabSize);
}

/** The `count` most frequent token ids of a stream, most frequent first (for labelling pictures). */
export function mostFrequent(tokens: Int32Array, count: number): number[] {
  const counts = new Map<number, number>();
  for (const id of tokens) counts.set(id, (counts.get(id) ?? 0) + 1);
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .slice(0, count)
    .map(([id]) => id);
}

/** Where a resumed run starts: the checkpoint's step, its planned length, fresh AdamW moments. */
function resumeStateFor(resumed: LoadedCheckpoint, size: number, o: TrainModelOptions): TrainState {
  const step = resumed.meta.step;
  const planned = Number((resumed.meta.extra as { totalSteps?: unknown } | undefined)?.totalSteps);
  const totalSteps = o.steps !== undefined ? step + o.steps : Number.isFinite(planned) && planned > step ? planned : step + 1000;
  return {
    step,
    totalSteps,
    optimizer: { t: 0, m: new Float32Array(size), v: new Float32Array(size) },
    rngState: seededRandom(o.seed + step).state(),
  };
}

/** A resumed checkpoint's kept step as the progress of an evaluation: the best to beat. */
function resumedProgress(resumed: LoadedCheckpoint): Progress | null {
  const { step, valLoss, trainLoss } = resumed.meta;
  if (valLoss === null || valLoss === undefined || !Number.isFinite(valLoss)) return null;
  const extra = (resumed.meta.extra ?? {}) as { totalSteps?: unknown; tokensSeen?: unknown; curve?: LossPoint[] };
  const point = Array.isArray(extra.curve) ? extra.curve.find((p) => p.step === step) : undefined;
  return {
    step,
    trainLoss: trainLoss ?? point?.trainLoss ?? NaN,
    valLoss,
    lr: point?.lr ?? 0,
    tokens: point?.tokens ?? (Number(extra.tokensSeen) || 0),
    totalSteps: Number(extra.totalSteps) || step,
    tokensPerSecond: 0,
    elapsedSeconds: 0,
    stepSeconds: 0,
    etaSeconds: NaN,
  };
}

/** Steps 1 and 3: the shuffled documents as one token stream, split 90/10 (also used to re-check a checkpoint). */
export function corpusSplit(documents: readonly string[], seed: number, tokenizer: Tokenizer) {
  const docs = shuffleDocuments(documents, seed);
  const { tokens, unknown } = tokenStream(tokenizer, docs);
  return { docs, tokens, unknown, split: splitTrainVal(tokens) };
}

/** Recomputes a trained model's recorded val loss from the documents it was trained on. */
export function recomputeHeldOutLoss(
  model: GPT,
  tokenizer: Tokenizer,
  documents: readonly string[],
  seed: number,
  batchSize: number,
): number {
  const { split } = corpusSplit(documents, seed, tokenizer);
  return evaluateAllWindows(model, split.val, batchSize, model.config.blockSize);
}

export function trainModel(documents: string[], o: TrainModelOptions, hooks: TrainModelHooks = {}, kernels?: Kernels): TrainedModel {
  if (documents.length === 0) throw new Error("nothing to train on: the corpus has no text");
  if (o.steps === undefined && o.minutes === undefined) throw new Error("give a number of steps or minutes");
  // 1–3. documents → tokenizer (or the resumed checkpoint's) → token stream → train/val split
  const resumed = o.resumeFrom ? loadCheckpointBytes(o.resumeFrom, "the checkpoint to resume") : null;
  // a fine-tuning (or the resumption of one, whose checkpoint names its base) keeps the base's shape
  const baseName = o.base?.name ?? (resumed?.meta.extra as { base?: { name?: unknown } } | undefined)?.base?.name;
  const fineTuning = baseName !== undefined;
  const text = documents.join("\n");
  const tokenizer = resumed
    ? tokenizerFromJSON(resumed.meta.tokenizer)
    : (o.base?.tokenizer ?? buildTokenizer(o.tokenizer, text, o.vocabSize));
  const { docs, tokens, unknown, split } = corpusSplit(documents, o.seed, tokenizer);
  const config = fineTuning ? (resumed?.config ?? o.base!.config) : presetConfig(o.preset, tokenizer.vocabSize);
  const T = Math.min(config.blockSize, o.context ?? (fineTuning ? FINE_TUNE.context : config.blockSize));
  const batchSize = o.batchSize ?? (fineTuning ? FINE_TUNE.batchSize : BATCH_SIZE[o.preset]);
  const needed = Math.ceil((T + 1) / 0.1) + 1;
  const sizeName = fineTuning ? String(baseName) : o.preset;
  if (tokens.length < needed) throw new CorpusTooSmallError({ tokens: tokens.length, needed, preset: sizeName, blockSize: T });
  checkTrainingMemory(config, batchSize, T, kernels !== undefined && "memory" in kernels);

  // 4. a fresh model (or the base's or the resumed weights), trained with a checkpoint at every evaluation
  const model = new GPT(config, { kernels }).init(seededRandom(o.seed));
  if (resumed) {
    if (resumed.config.vocabSize !== config.vocabSize || resumed.config.nEmbd !== config.nEmbd || resumed.config.nLayer !== config.nLayer) {
      throw new Error(`the checkpoint to resume is not a ${sizeName} model of this tokenizer`);
    }
    model.loadParams(resumed.params);
  } else if (o.base) {
    model.loadParams(o.base.params);
  }
  const options: TrainOptions = {
    ...DEFAULT_TRAIN,
    batchSize,
    blockSize: T,
    steps: o.steps,
    timeBudgetSeconds: o.minutes !== undefined ? o.minutes * 60 : undefined,
    seed: o.seed,
    evalInterval: o.evalInterval ?? DEFAULT_TRAIN.evalInterval,
    evalBatches: o.evalBatches ?? DEFAULT_TRAIN.evalBatches,
    maxLr: o.maxLr ?? (fineTuning ? FINE_TUNE.maxLr : DEFAULT_TRAIN.maxLr),
    minLr: o.minLr ?? (fineTuning ? FINE_TUNE.minLr : DEFAULT_TRAIN.minLr),
    warmupSteps:
      o.warmupSteps ??
      Math.min(fineTuning ? FINE_TUNE.warmupSteps : DEFAULT_TRAIN.warmupSteps, Math.max(1, Math.floor((o.steps ?? 1000) / 10))),
  };
  const frequentTokens = mostFrequent(tokens, 300);
  const started = Date.now();
  // the weights kept: those of the evaluation with the lowest val loss so far (a copy, [params]);
  // a resumed run starts from its checkpoint's, which are the kept ones of the run it continues
  const best = { params: Float32Array.from(model.params), progress: resumed ? resumedProgress(resumed) : null };
  const snapshot = (params: Float32Array, p: Progress, lastStep: number, curve: readonly LossPoint[], heldOutLoss: number | null = null) =>
    saveCheckpointBytes(config, params, {
      tokenizer: tokenizer.toJSON(),
      step: p.step,
      valLoss: heldOutLoss ?? p.valLoss,
      trainLoss: p.trainLoss,
      ...(!fineTuning && { preset: o.preset }),
      extra: {
        ...(fineTuning && { base: { name: baseName } }),
        curve: thinCurve(curve),
        totalSteps: p.totalSteps,
        /** the last step trained; `step` is the kept (best-validation) one */
        lastStep,
        batchSize: options.batchSize,
        blockSize: T,
        tokensSeen: p.tokens,
        trainSeconds: (Date.now() - started) / 1000,
        corpusTokens: tokens.length,
        frequentTokens,
        valLossMethod:
          heldOutLoss === null
            ? `mean of ${options.evalBatches} random val batches`
            : "mean over all non-overlapping windows of the held-out 10 %",
        options: { ...o, resumeFrom: undefined, base: undefined, initFrom: undefined, resumedFromStep: resumed?.meta.step },
      },
    });
  let lastProgress: Progress | null = null;
  // a resumed run continues the same schedule from its step, with fresh optimizer moments
  const resumeState = resumed ? resumeStateFor(resumed, model.params.length, o) : undefined;
  // the earlier run's curve up to the step it resumes from (its points after the kept step are not continued)
  const earlierCurve =
    resumed && Array.isArray(resumed.meta.extra?.curve)
      ? (resumed.meta.extra.curve as LossPoint[]).filter((p) => p.step <= resumed.meta.step)
      : [];
  const result = train(
    model,
    split,
    options,
    {
      shouldStop: hooks.shouldStop,
      onStep: (p) => hooks.onProgress?.(p),
      onEval: (p, curve) => {
        lastProgress = p;
        // 4a. a new best val loss replaces the kept weights; every checkpoint carries the kept ones
        if (best.progress === null || (p.valLoss !== null && p.valLoss < (best.progress.valLoss ?? Infinity))) {
          best.params.set(model.params);
          best.progress = p;
        }
        hooks.onCheckpoint?.(snapshot(best.params, { ...best.progress, totalSteps: p.totalSteps }, p.step, [...earlierCurve, ...curve]), p);
      },
    },
    resumeState,
  );
  // 5. the loss over the whole held-out split, for the last weights and the kept ones: the lower wins
  //    (the evaluations above average random batches; this is the exact figure anyone can recompute)
  const last = lastProgress!;
  const lastHeldOut = evaluateAllWindows(model, split.val, options.batchSize, T);
  let keptProgress = last;
  let heldOutLoss = lastHeldOut;
  if (best.progress !== null && best.progress.step !== last.step) {
    const lastParams = Float32Array.from(model.params);
    model.loadParams(best.params);
    const bestHeldOut = evaluateAllWindows(model, split.val, options.batchSize, T);
    if (bestHeldOut < lastHeldOut) {
      keptProgress = best.progress;
      heldOutLoss = bestHeldOut;
    } else {
      model.loadParams(lastParams);
    }
  }
  const final = { ...keptProgress, totalSteps: last.totalSteps, valLoss: heldOutLoss };
  const curve = [
    ...earlierCurve,
    ...result.curve.map((p) => (p.step === keptProgress.step && p.valLoss !== null ? { ...p, valLoss: heldOutLoss } : p)),
  ];
  const checkpoint = snapshot(model.params as Float32Array, final, last.step, curve, heldOutLoss);
  hooks.onCheckpoint?.(checkpoint, final);
  result.finalValLoss = heldOutLoss;
  return {
    checkpoint,
    result,
    kept: { step: keptProgress.step, lastStep: last.step, heldOutLoss, lastHeldOutLoss: lastHeldOut },
    tokenizer,
    corpus: { documents: docs.length, characters: text.length, tokens: tokens.length, unknown },
  };
}
