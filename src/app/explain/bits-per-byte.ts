/**
 * `bits-per-byte`: the loss turned into the measure that compares models with different
 * tokenizers, and compressors. Measured now on one sentence (one forward pass):
 *   1. the sentence's window [eot, tokens…] and each target's −ln p (the loss topic's scores);
 *   2. bytes = the UTF-8 bytes of the scored tokens; sum = Σ −ln p (nats);
 *   3. bits per byte = sum ÷ (bytes × ln 2) = loss × tokens ÷ (bytes × ln 2);
 *      blind guessing: tokens × ln V ÷ (bytes × ln 2).
 * With the figures recorded on the held-out texts for exactly this model (heldout-record.ts).
 */
import type { BitsPerByteFacts } from "../../explain/facts.ts";
import { renderTokenLoss } from "../../render/explain-token-loss.ts";
import { withPieceLegend } from "../../render/piece-legend.ts";
import { bytesOfToken } from "../../tokenizer/pieces.ts";
import { heldOutFiguresOf } from "../heldout-record.ts";
import { textOr, textWindow, type TopicComputer } from "./common.ts";
import { scoreSentence } from "./learning.ts";

export const explainBitsPerByte: TopicComputer<"bits-per-byte"> = ({ handle, lang, texts, text }) => {
  const sentence = textOr(text, texts.defaults.sentence);
  const t = handle.tokenizer;
  const V = handle.model.config.vocabSize;
  // 1. scores (tokens labelled as pieces of characters: 猫 1/3, not <e7>)
  const s = scoreSentence(handle, sentence);
  const rows = s.rows;
  const w = textWindow(handle, sentence);
  const targets = Array.from(w.y);
  // 2. bytes of the scored tokens
  const bytes = targets.reduce((n, id) => n + (id === t.eotId ? 0 : bytesOfToken(t, id).length), 0);
  // 3. the conversion
  const perByte = (nats: number) => (bytes > 0 ? nats / (bytes * Math.LN2) : 0);
  const facts: BitsPerByteFacts = {
    sentence: w.text,
    rows,
    tokens: targets.length,
    bytes,
    sum: s.sum,
    lossPerToken: s.loss,
    bitsPerByte: perByte(s.sum),
    guessBitsPerByte: perByte(targets.length * Math.log(V)),
    vocabSize: V,
    dropped: s.dropped,
    // the texts in the explanation's language first
    heldOut: heldOutFiguresOf(handle)?.sort((a, b) => Number(b.lang === lang) - Number(a.lang === lang)) ?? null,
  };
  return {
    facts,
    async render(words) {
      const png = await renderTokenLoss({
        title: words.title,
        subtitle: words.subtitle,
        rows: rows.map((r) => ({ token: r.token, prob: r.prob, loss: r.loss, guess: r.guess })),
        labels: { token: words.token, prob: words.prob, loss: words.loss, guess: words.guess, mean: words.mean, more: words.more },
        mean: s.loss,
        // the piece legend when a label holds part of a character (猫 1/3)
        notes: withPieceLegend(
          words.notes,
          rows.flatMap((r) => [r.token, r.guess]),
          lang,
        ),
      });
      return [{ name: "bits-per-byte.png", png }];
    },
  };
};
