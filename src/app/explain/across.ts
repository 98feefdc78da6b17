/**
 * `rollout` and `sources`: attention read across all layers (src/app/attention-views.ts) and the
 * stored training messages sharing the longest stretches with what the model writes
 * (src/app/sources.ts), on the live model and the space's own stored messages.
 */
import type { RolloutFacts, SourcesFacts } from "../../explain/facts.ts";
import { nextTokenAttention } from "../attention-views.ts";
import { generateText } from "../generate-text.ts";
import { nextAttentionPicture } from "../look-pictures.ts";
import { tracePicture } from "../pictures.ts";
import { redactGeneration } from "../redaction.ts";
import { EXCERPT_CHARS, findSources, MIN_SHARED_CHARS } from "../sources.ts";
import { MIN_RUN } from "../verbatim.ts";
import { textOr, type TopicComputer, pictureModelName } from "./common.ts";

/** Tokens the model writes for `sources` (a sentence or two), and its seed. */
export const SOURCES_TOKENS = 48;
export const SOURCES_SEED = 1;

/** The `n` strongest tokens of a row of weights, strongest first (the earlier on ties). */
function strongest(tokens: readonly string[], weights: readonly number[], n: number): { token: string; weight: number }[] {
  return weights
    .map((weight, i) => ({ weight, i }))
    .sort((a, b) => b.weight - a.weight || a.i - b.i)
    .slice(0, n)
    .map(({ weight, i }) => ({ token: tokens[i], weight }));
}

export const explainRollout: TopicComputer<"rollout"> = ({ handle, lang, texts, text }) => {
  // the prompt, not the finished sentence: after a full stop the next token is mostly the end of the text
  const sentence = textOr(text, texts.defaults.prompt);
  const result = nextTokenAttention(handle, sentence);
  const T = result.tokens.length;
  const layers = result.layers.map((w, layer) => ({ layer, top: strongest(result.tokens, w, 2) }));
  const rollout = strongest(result.tokens, result.rollout, 3);
  const facts: RolloutFacts = {
    text: sentence,
    tokens: T,
    nLayer: handle.model.config.nLayer,
    nHead: handle.model.config.nHead,
    predicted: { token: result.predicted.token, prob: result.predicted.prob },
    layers,
    rollout,
    selfShare: result.rollout[T - 1],
    agree: layers[layers.length - 1].top[0].token === rollout[0].token,
  };
  return {
    facts,
    async render() {
      return [{ name: "rollout.png", png: await nextAttentionPicture(result, lang, pictureModelName(handle, lang)) }];
    },
  };
};

export const explainSources: TopicComputer<"sources"> = ({ handle, lang, texts, text, redactor, sources }) => {
  // 1. the model writes after the prompt; what it shows is redacted, as every generated text
  const prompt = textOr(text, texts.defaults.prompt);
  const written = generateText(handle, prompt, { maxTokens: SOURCES_TOKENS, seed: SOURCES_SEED });
  const shown = redactGeneration(handle, written, redactor);
  // 2. searched with what it really wrote: a copy the reply cut is still found (and shown under the verbatim rule)
  const result = sources ? findSources(sources, written.text, 1) : null;
  const best = result?.matches[0];
  const facts: SourcesFacts = {
    text: shown.text,
    prompt,
    cut: shown.cut,
    where: sources?.kind ?? null,
    messages: result?.searched ?? 0,
    found: result?.found ?? 0,
    best: best ? { length: best.length, ...best.excerpt, mine: best.mine } : null,
    minShared: MIN_SHARED_CHARS,
    excerptChars: EXCERPT_CHARS,
    minRun: MIN_RUN,
  };
  return {
    facts,
    async render() {
      return [{ name: "sources.png", png: await tracePicture(handle, shown, lang) }];
    },
  };
};
