/**
 * `lens`, `attribution`, `ablation`: looking inside the live model on the user's sentence, with
 * the numbers of /lens, /why and /ablate (src/app/lens.ts, attribute.ts, ablate.ts) and their
 * pictures.
 */
import type { AblationFacts, AttributionFacts, LensFacts } from "../../explain/facts.ts";
import { ablateNext } from "../ablate.ts";
import { attributeNext } from "../attribute.ts";
import { lensOf } from "../lens.ts";
import { ablationPicture, attributionPicture, lensPicture } from "../look-pictures.ts";
import { textOr, type TopicComputer, pictureModelName } from "./common.ts";
import { logitLens } from "../../model/lens.ts";
import { logProbOf } from "../top-tokens.ts";

/** Input tokens listed in the attribution table. */
export const ATTRIBUTION_ROWS = 6;

export const explainLens: TopicComputer<"lens"> = ({ handle, lang, texts, text }) => {
  const sentence = textOr(text, texts.defaults.sentence);
  const result = lensOf(handle, sentence, { k: 1 });
  const T = result.inputIds.length;
  const depths = result.layers.map((d) => ({
    layer: d.layer,
    token: d.positions[T - 1].top[0].token,
    prob: d.positions[T - 1].top[0].prob,
  }));
  const output = result.layers[result.layers.length - 1].positions[T - 1].top[0];
  // 1. the first depth from which the top guess is the output's to the end
  let settledAt = depths.length - 1;
  while (settledAt > 0 && result.layers[settledAt - 1].positions[T - 1].top[0].id === output.id) settledAt--;
  // 2. the output token's probability at the embeddings: depth 0's last row [V], in full
  const V = handle.model.config.vocabSize;
  const depth0 = logitLens(handle.model, Int32Array.from(result.inputIds))[0];
  const atStart = Math.exp(logProbOf(depth0.subarray((T - 1) * V, T * V), output.id));
  const facts: LensFacts = {
    text: sentence,
    tokens: T,
    nLayer: handle.model.config.nLayer,
    depths,
    settledAt,
    outputTokenAtStart: atStart,
  };
  return {
    facts,
    async render() {
      return [{ name: "lens.png", png: await lensPicture(result, lang, pictureModelName(handle, lang)) }];
    },
  };
};

export const explainAttribution: TopicComputer<"attribution"> = ({ handle, lang, texts, text }) => {
  const sentence = textOr(text, texts.defaults.sentence);
  const result = attributeNext(handle, sentence);
  const T = result.inputIds.length;
  const positions = Array.from({ length: T }, (_, t) => t);
  const strength = (t: number) => Math.max(Math.abs(result.gradient[t]), Math.abs(result.occlusion[t]));
  const shown = [...positions]
    .sort((a, b) => strength(b) - strength(a) || a - b)
    .slice(0, ATTRIBUTION_ROWS)
    .sort((a, b) => a - b);
  const topBy = (scores: number[]) => {
    const t = positions.reduce((best, i) => (scores[i] > scores[best] ? i : best), 0);
    return { position: t, token: result.inputTokens[t] };
  };
  const facts: AttributionFacts = {
    text: sentence,
    target: { token: result.target.token, prob: result.target.prob },
    rows: shown.map((t) => ({ position: t, token: result.inputTokens[t], gradient: result.gradient[t], occlusion: result.occlusion[t] })),
    gradientTop: topBy(result.gradient),
    occlusionTop: topBy(result.occlusion),
    disagree: positions.filter(
      (t) =>
        Math.abs(result.gradient[t]) >= 0.01 &&
        Math.abs(result.occlusion[t]) >= 0.01 &&
        Math.sign(result.gradient[t]) !== Math.sign(result.occlusion[t]),
    ).length,
    tokens: T,
  };
  return {
    facts,
    async render() {
      return [{ name: "attribution.png", png: await attributionPicture(result, lang, pictureModelName(handle, lang)) }];
    },
  };
};

export const explainAblation: TopicComputer<"ablation"> = ({ handle, lang, texts, text }) => {
  const sentence = textOr(text, texts.defaults.sentence);
  // without heads: the grid, and the most decisive head switched off for the bars
  const result = ablateNext(handle, sentence, { k: 5 });
  const { nLayer, nHead } = handle.model.config;
  const cells = result.grid.flatMap((row, layer) => row.map((delta, head) => ({ layer, head, delta })));
  const decisive = result.heads[0];
  const helpful = cells.reduce((best, c) => (c.delta > best.delta ? c : best), cells[0]);
  const facts: AblationFacts = {
    text: sentence,
    top: { token: result.top.token, prob: result.before[0].prob },
    nLayer,
    nHead,
    decisive: { ...decisive, delta: result.grid[decisive.layer][decisive.head] },
    probWithout: result.beforeTokensAfter[0].prob,
    newTop: { token: result.after[0].token, prob: result.after[0].prob },
    topChanged: result.after[0].id !== result.top.id,
    helpful,
    quiet: cells.filter((c) => Math.abs(c.delta) < 0.05).length,
  };
  return {
    facts,
    async render() {
      return [{ name: "ablation.png", png: await ablationPicture(result, lang, pictureModelName(handle, lang)) }];
    },
  };
};
