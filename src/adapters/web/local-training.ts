/**
 * /train in the playground: one training at a time in the store's "local" space, on a pasted
 * or uploaded text or on the shipped corpus. The training itself (worker thread, loss points and
 * checkpoints in the store, installing the model at the end) is src/app/training-service.ts,
 * the same as the bot's; this file only turns requests into documents and replies.
 */
import { documentsOfText, MAX_TRAINING_TEXT_CHARS, readCorpus, SHIPPED_CORPUS_DIR, splitDocuments } from "../../app/corpus.ts";
import { InputError } from "../../app/prompt.ts";
import { MIN_MESSAGES, type TrainingPreset, trainingLossPicture } from "../../app/training-service.ts";
import { inputError } from "../../app/input-messages.ts";
import { forgetTrainingTexts, keepTrainingTexts } from "../../app/training-texts.ts";
import type { WebContext, WebReply } from "./command-spec.ts";
import { texts } from "./texts.ts";
import { baseSuggestions, resolveTrainingBase, type TrainingBase } from "../../app/fine-tune-base.ts";
import { fineTuneSentences } from "../../app/fine-tune-sentences.ts";

export interface LocalTrainingRequest {
  source: "corpus" | "text";
  /** the pasted or uploaded text (source "text") */
  text?: string;
  preset: TrainingPreset;
  minutes: number;
  /** fine-tune this model (a ref of the playground's models: fine-tune-base.ts); the preset is then not used */
  base?: string;
  /** whether the preset was chosen (the reply then says it is not used when fine-tuning) */
  presetGiven?: boolean;
}

/** Starts the space's training; a second one while one runs is answered with the running one. */
export async function startLocalTraining(ctx: WebContext, request: LocalTrainingRequest): Promise<WebReply> {
  const t = texts(ctx.lang);
  // 1. the documents
  let documents: string[];
  if (request.source === "corpus") {
    documents = splitDocuments(readCorpus(SHIPPED_CORPUS_DIR));
  } else {
    const text = request.text;
    if (typeof text !== "string" || text.trim() === "") throw new InputError("the training text is empty", "empty");
    if (text.length > MAX_TRAINING_TEXT_CHARS) {
      throw inputError("train-text-too-long", {
        length: text.length,
        limit: MAX_TRAINING_TEXT_CHARS,
      });
    }
    documents = documentsOfText(text, MIN_MESSAGES);
  }
  // 2. the base of a fine-tuning, if one is asked (an InputError "bad-base" in the reader's language)
  if (ctx.training.current(ctx.space)) return { text: t.trainAlreadyRunning, training: true };
  const base = request.base?.trim() ? await webBase(ctx, request.base) : undefined;
  // 3. reserve the space (TrainingError "already-training", "bad-preset", "bad-minutes", "not-enough-memory")
  if (ctx.training.current(ctx.space)) return { text: t.trainAlreadyRunning, training: true };
  const training = ctx.training.begin(ctx.space, { preset: request.preset, minutes: request.minutes, ...(base && { base }) });
  // 4. the worker (TrainingError "not-enough-text", and the space is free again)
  await training.train(documents);
  // 5. a pasted text is kept, so that no surface hands it back word for word (src/app/training-texts.ts)
  if (request.source === "text") await keepTrainingTexts(ctx.store, ctx.space, documents);
  const corpus = training.snapshot().corpus!;
  if (!base) return { text: t.trainStarted({ preset: request.preset, minutes: request.minutes, ...corpus }), training: true };
  const say = fineTuneSentences(ctx.lang);
  const lines = [
    say.started({ base: base.name, minutes: request.minutes, ...corpus }),
    ...(request.presetGiven ? [say.presetIgnored({ base: base.name, preset: request.preset })] : []),
  ];
  return { text: lines.join("\n"), training: true };
}

/** The base a ref names among the playground's models; a refusal stating the ref and the choices. */
async function webBase(ctx: WebContext, ref: string): Promise<TrainingBase> {
  try {
    return await resolveTrainingBase({ registry: ctx.registry, store: ctx.store }, ctx.space, ref);
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    throw new InputError(fineTuneSentences(ctx.lang).badBase(err.code, err.values), "bad-base", err.values);
  }
}

/** The models the playground may fine-tune, for the panel's choice: { ref, label }, its own first. */
export async function localTrainingBases(ctx: WebContext): Promise<{ ref: string; label: string }[]> {
  const suggestions = await baseSuggestions({ registry: ctx.registry, store: ctx.store }, ctx.space, ctx.lang);
  return suggestions.map((s) => ({ ref: s.value, label: s.name }));
}

/** The running training's progress and curve, or what the last run did. */
export async function localTrainingStatus(ctx: WebContext): Promise<WebReply> {
  const t = texts(ctx.lang);
  const training = ctx.training.current(ctx.space);
  if (!training) return { text: t.trainNotRunning };
  const png = await lossCurvePng(ctx);
  return { text: t.trainProgress(training.snapshot()), training: true, ...(png && { images: [{ name: "loss.png", png }] }) };
}

export function stopLocalTraining(ctx: WebContext): WebReply {
  const t = texts(ctx.lang);
  const training = ctx.training.stop(ctx.space);
  return training ? { text: t.trainStopping, training: true } : { text: t.trainNotRunning };
}

/** Deletes the kept texts of the playground's trainings (the models trained on them stay). */
export async function forgetLocalTrainingTexts(ctx: WebContext): Promise<WebReply> {
  return { text: texts(ctx.lang).trainTextsForgotten(await forgetTrainingTexts(ctx.store, ctx.space)) };
}

/**
 * The loss curve of the running training, else of the space's latest run, as the bot draws it;
 * null when there is no point to draw yet.
 */
export async function lossCurvePng(ctx: WebContext): Promise<Uint8Array | null> {
  const _t = texts(ctx.lang);
  const training = ctx.training.current(ctx.space);
  if (training) {
    if (training.points.length === 0) return null;
    return trainingLossPicture(training.points, training.snapshot().totalSteps, "new model", ctx.lang);
  }
  const run = await ctx.store.runs.latest(ctx.space);
  const points = run ? await ctx.store.runs.points(ctx.space, run.id) : [];
  if (!run || points.length === 0) return null;
  const installed = (await ctx.store.models.list(ctx.space)).find((m) => m.runId === run.id);
  return trainingLossPicture(points, null, `run #${run.id}`, ctx.lang, installed);
}
