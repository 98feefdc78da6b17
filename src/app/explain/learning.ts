/**
 * `learning` and `loss`: the loss falling during this model's training (its stored curve), and
 * the loss of one sentence token by token, measured now.
 */
import { renderTokenLoss } from "../../render/explain-token-loss.ts";
import { withPieceLegend } from "../../render/piece-legend.ts";
import type { LossFacts, TokenScore } from "../../explain/facts.ts";
import { argmax } from "../../sample/sampling.ts";
import { labelAfter, tokenPieces } from "../../tokenizer/pieces.ts";
import { DEFAULT_TRAIN } from "../../train/trainer.ts";
import { modelInfo } from "../model-info.ts";
import { lossPicture } from "../pictures.ts";
import type { ModelHandle } from "../model-handle.ts";
import { textOr, textWindow, type TopicComputer } from "./common.ts";

export interface SentenceScores {
  rows: TokenScore[];
  sum: number;
  /** the mean, as the model's forward pass returned it */
  loss: number;
  dropped: number;
}

/** Each token's probability and −log p given the tokens before it (one forward pass). */
export function scoreSentence(handle: ModelHandle, text: string): SentenceScores {
  const model = handle.model;
  const V = model.config.vocabSize;
  const w = textWindow(handle, text);
  const loss = model.forward(w.x, 1, w.T, w.y).loss!;
  const a = model.activations!;
  const rows: TokenScore[] = [];
  let sum = 0;
  // tokens as pieces of characters where they hold part of one (猫 1/3, not <e7>), in context
  const pieces = tokenPieces(handle.tokenizer, w.ids.slice(0, w.T + 1));
  for (let t = 0; t < w.T; t++) {
    const probs = a.probs.subarray(t * V, (t + 1) * V);
    const guess = argmax(probs);
    const target = w.y[t];
    rows.push({
      token: pieces[t + 1].label,
      prob: probs[target],
      loss: a.losses[t],
      guess: labelAfter(handle.tokenizer, w.ids.slice(0, t + 1), guess).label,
      guessProb: probs[guess],
    });
    sum += a.losses[t];
  }
  return { rows, sum, loss, dropped: w.dropped };
}

export const explainLearning: TopicComputer<"learning"> = ({ handle, lang, texts, text }) => {
  const info = modelInfo(handle);
  const extra = (handle.meta.extra ?? {}) as { batchSize?: unknown; options?: { maxLr?: unknown } };
  const sentence = textOr(text, texts.defaults.sentence);
  const now = scoreSentence(handle, sentence);
  const curve = info.curve.filter((p) => Number.isFinite(p.trainLoss));
  const maxLr = typeof extra.options?.maxLr === "number" ? extra.options.maxLr : DEFAULT_TRAIN.maxLr;
  return {
    facts: {
      params: info.params.total,
      vocabSize: info.config.vocabSize,
      guessLoss: Math.log(info.config.vocabSize),
      step: info.step,
      totalSteps: info.totalSteps,
      firstLoss: curve.length > 0 ? curve[0].trainLoss : null,
      lastLoss: curve.length > 0 ? curve[curve.length - 1].trainLoss : null,
      valLoss: info.valLoss,
      tokensSeen: info.tokensSeen,
      trainSeconds: info.trainSeconds,
      batchSize: typeof extra.batchSize === "number" ? extra.batchSize : null,
      blockSize: info.config.blockSize,
      maxLr,
      sentence,
      sentenceLoss: now.loss,
    },
    async render() {
      return [{ name: "loss-curve.png", png: await lossPicture(info, lang) }];
    },
  };
};

export const explainLoss: TopicComputer<"loss"> = ({ handle, lang, texts, text }) => {
  const sentence = textOr(text, texts.defaults.sentence);
  const s = scoreSentence(handle, sentence);
  const rows = s.rows;
  const V = handle.model.config.vocabSize;
  const facts: LossFacts = {
    sentence,
    rows: s.rows,
    sum: s.sum,
    mean: s.loss,
    guessLoss: Math.log(V),
    vocabSize: V,
    dropped: s.dropped,
  };
  return {
    facts,
    async render(words) {
      const png = await renderTokenLoss({
        title: words.title,
        subtitle: words.subtitle,
        rows: s.rows.map((r) => ({ token: r.token, prob: r.prob, loss: r.loss, guess: r.guess })),
        labels: { token: words.token, prob: words.prob, loss: words.loss, guess: words.guess, mean: words.mean, more: words.more },
        mean: s.loss,
        // the piece legend when a label holds part of a character (猫 1/3)
        notes: withPieceLegend(
          words.notes,
          rows.flatMap((r) => [r.token, r.guess]),
          lang,
        ),
      });
      return [{ name: "loss.png", png }];
    },
  };
};
