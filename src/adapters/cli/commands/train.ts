/**
 * `train --corpus FILE|DIR [--preset --tokenizer char|bpe|charbpe --vocab-size --iters|--minutes --seed --out FILE]` (flags: the catalogue's)
 * `train --corpus FILE|DIR --init-from MODEL …` fine-tunes MODEL (its size and tokenizer kept)
 * Trains in a worker thread with a live progress line; writes a checkpoint at every evaluation
 * and at the end, so Ctrl-C loses at most one interval (the first Ctrl-C stops gracefully).
 */
import { trainingPlanSentences } from "../../../app/training-plan-sentences.ts";
import { isPresetName } from "../../../model/config.ts";
import { readCorpus, splitDocuments } from "../../../app/corpus.ts";
import { startTrainingJob } from "../../../app/training-job.ts";
import type { TrainModelOptions } from "../../../app/train-model.ts";
import { writeFileAtomic } from "../../../store/checkpoint-file.ts";
import type { OptionValue } from "../../../app/catalogue/index.ts";
import { cliDefaults, cliUsage, parseCatalogueArgs } from "../catalogue-args.ts";
import { withDefaults } from "../../../app/options.ts";
import { UsageError } from "../usage-error.ts";
import { LiveLine, progressLine, formatDuration } from "../progress-bar.ts";
import { loadCheckpointBytes } from "../../../model/checkpoint.ts";
import { handleFromCheckpoint } from "../../../app/model-handle.ts";
import { modelInfo } from "../../../app/model-info.ts";
import { lossPicture } from "../../../app/pictures.ts";
import { langOption } from "../lang.ts";

export const usage = cliUsage("train");

/** model.safetensors → model.loss.png */
export function lossCurvePath(out: string): string {
  return out.replace(/(\.safetensors)?$/, ".loss.png");
}

/** The flags (parsed and range-checked by the catalogue) as the training's options. */
export function trainOptionsFrom(v: Readonly<Record<string, OptionValue | undefined>>): TrainModelOptions {
  const preset = v.preset as string;
  if (!isPresetName(preset)) throw new UsageError(`--preset must be tiny, baby or small, got "${preset}"`);
  const steps = v.iters as number | undefined;
  const minutes = v.minutes as number | undefined;
  if (steps !== undefined && minutes !== undefined) throw new UsageError("give --iters or --minutes, not both");
  const maxLr = v.max_lr as number | undefined;
  return {
    preset,
    tokenizer: v.tokenizer as TrainModelOptions["tokenizer"],
    vocabSize: v.vocab_size as number,
    steps: steps ?? (minutes === undefined ? 1000 : undefined),
    minutes,
    seed: v.seed as number,
    evalInterval: v.eval_interval as number | undefined,
    evalBatches: v.eval_batches as number | undefined,
    ...(v.init_from !== undefined && { initFrom: v.init_from as string }),
    ...(maxLr !== undefined && { maxLr, minLr: maxLr / 10 }),
  };
}

export async function run(argv: string[]): Promise<void> {
  const v = withDefaults(cliDefaults("train"), parseCatalogueArgs(argv, "train"));
  const lang = langOption(v.lang as string | undefined);
  const corpusPath = v.corpus as string;
  const options = { ...trainOptionsFrom(v), corpus: corpusPath };
  const out = v.out as string;
  let documents: string[];
  try {
    documents = splitDocuments(readCorpus(corpusPath));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (documents.length === 0) throw new UsageError(`the corpus ${corpusPath} has no text`);

  const line = new LiveLine();
  const what = options.initFrom
    ? `fine-tuning ${options.initFrom} (its size and tokenizer)`
    : `training ${options.preset} (${options.tokenizer} tokenizer)`;
  line.log(`${what} on ${documents.length} documents from ${corpusPath} → ${out}`);
  let lastVal: number | null = null;
  let saving: Promise<void> = Promise.resolve();
  const job = startTrainingJob(documents, options, {
    onProgress: (p) => line.update(progressLine(p, lastVal)),
    onCheckpoint: (bytes, p) => {
      lastVal = p.valLoss;
      line.log(`step ${p.step}: train loss ${p.trainLoss.toFixed(4)}, val loss ${p.valLoss?.toFixed(4)} — checkpoint saved to ${out}`);
      // the checkpoint, then its loss curve drawn from what it records (the same picture /model shows)
      saving = saving.then(async () => {
        await writeFileAtomic(out, bytes);
        const info = modelInfo(handleFromCheckpoint(loadCheckpointBytes(bytes, out), out));
        await writeFileAtomic(lossCurvePath(out), await lossPicture(info, lang));
      });
    },
  });
  let interrupts = 0;
  const onInterrupt = () => {
    interrupts += 1;
    if (interrupts === 1) {
      line.log("stopping after this step (Ctrl-C again to quit at once; the last checkpoint is kept)…");
      job.stop();
    } else {
      process.exit(130);
    }
  };
  process.on("SIGINT", onInterrupt);
  try {
    const summary = await job.done;
    await saving;
    line.log(
      `done: ${summary.steps} steps in ${formatDuration(summary.seconds)} (${Math.round(summary.tokensPerSecond)} tokens/s), ` +
        `kept step ${summary.kept.step} of ${summary.kept.lastStep} (held-out loss ${summary.kept.heldOutLoss.toFixed(4)}; the last step's ${summary.kept.lastHeldOutLoss.toFixed(4)}), vocabulary ${summary.vocabSize}, ${summary.corpus.tokens} corpus tokens` +
        (summary.corpus.unknown > 0 ? `, ${summary.corpus.unknown} unknown characters` : "") +
        ` → ${out} (loss curve: ${lossCurvePath(out)})`,
    );
    if (summary.planned && summary.firstPlan !== null && summary.replans > 0) {
      line.log(trainingPlanSentences(lang).replanned(summary.firstPlan, summary.totalSteps, summary.replans));
    }
  } finally {
    process.off("SIGINT", onInterrupt);
  }
}
