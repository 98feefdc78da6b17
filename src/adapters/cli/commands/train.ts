/**
 * `train --corpus FILE|DIR [--preset --tokenizer char|bpe --vocab-size --iters|--minutes --seed --out FILE]`
 * Trains in a worker thread with a live progress line; writes a checkpoint at every evaluation
 * and at the end, so Ctrl-C loses at most one interval (the first Ctrl-C stops gracefully).
 */
import { isPresetName } from "../../../model/config.ts";
import { readCorpus, splitDocuments } from "../../../app/corpus.ts";
import { startTrainingJob } from "../../../app/training-job.ts";
import type { TrainModelOptions } from "../../../app/train-model.ts";
import { writeFileAtomic } from "../../../store/checkpoint-file.ts";
import { numberOption, parseOptions, stringOption, UsageError } from "../args.ts";
import { LiveLine, progressLine, formatDuration } from "../progress-bar.ts";
import { loadCheckpointBytes } from "../../../model/checkpoint.ts";
import { handleFromCheckpoint } from "../../../app/model-handle.ts";
import { modelInfo } from "../../../app/model-info.ts";
import { lossPicture } from "../../../app/pictures.ts";
import { langOption } from "../lang.ts";

export const usage =
  "train --corpus FILE|DIR [--preset tiny|baby|small] [--tokenizer char|bpe] [--vocab-size N] [--iters N | --minutes M] [--seed S] [--out FILE] [--eval-interval N] [--eval-batches N] [--lang ja|en]";

/** model.safetensors → model.loss.png */
export function lossCurvePath(out: string): string {
  return out.replace(/(\.safetensors)?$/, ".loss.png");
}

export function trainOptionsFrom(v: Record<string, string | boolean | undefined>): TrainModelOptions {
  const preset = stringOption(v, "preset") ?? "baby";
  if (!isPresetName(preset)) throw new UsageError(`--preset must be tiny, baby or small, got "${preset}"`);
  const tokenizer = stringOption(v, "tokenizer") ?? "bpe";
  if (tokenizer !== "char" && tokenizer !== "bpe" && tokenizer !== "charbpe") {
    throw new UsageError(`--tokenizer must be char, bpe or charbpe, got "${tokenizer}"`);
  }
  const steps = numberOption(v, "iters", { integer: true, min: 1, max: 1_000_000 });
  const minutes = numberOption(v, "minutes", { min: 0.01, max: 24 * 60 });
  if (steps !== undefined && minutes !== undefined) throw new UsageError("give --iters or --minutes, not both");
  return {
    preset,
    tokenizer,
    vocabSize: numberOption(v, "vocab-size", { integer: true, min: 260, max: 65536 }) ?? 2048,
    steps: steps ?? (minutes === undefined ? 1000 : undefined),
    minutes,
    seed: numberOption(v, "seed", { integer: true, min: 0 }) ?? 1337,
    evalInterval: numberOption(v, "eval-interval", { integer: true, min: 1 }),
    evalBatches: numberOption(v, "eval-batches", { integer: true, min: 1, max: 10_000 }),
  };
}

export async function run(argv: string[]): Promise<void> {
  const v = parseOptions(
    argv,
    {
      corpus: { type: "string" },
      preset: { type: "string" },
      tokenizer: { type: "string" },
      "vocab-size": { type: "string" },
      iters: { type: "string" },
      minutes: { type: "string" },
      seed: { type: "string" },
      out: { type: "string" },
      "eval-interval": { type: "string" },
      "eval-batches": { type: "string" },
      lang: { type: "string" },
    },
    "train",
  );
  const lang = langOption(stringOption(v, "lang"));
  const corpusPath = stringOption(v, "corpus");
  if (!corpusPath) throw new UsageError("train: --corpus FILE|DIR is required");
  const options = { ...trainOptionsFrom(v), corpus: corpusPath };
  const out = stringOption(v, "out") ?? "model.safetensors";
  let documents: string[];
  try {
    documents = splitDocuments(readCorpus(corpusPath));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (documents.length === 0) throw new UsageError(`the corpus ${corpusPath} has no text`);

  const line = new LiveLine();
  line.log(`training ${options.preset} (${options.tokenizer} tokenizer) on ${documents.length} documents from ${corpusPath} → ${out}`);
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
  } finally {
    process.off("SIGINT", onInterrupt);
  }
}
