/**
 * `attention`: Query, Key and Value for real. One forward pass over the text; for the last
 * token (the query) in the head that focuses most sharply on one token of the text, the
 * engine's own numbers: scores q·k/√HS, softmax weights, the keys' Values and the head's
 * output Σ weight × Value.
 */
import { renderAttentionHead } from "../../render/attention.ts";
import type { AttentionFacts, AttentionRow } from "../../explain/facts.ts";
import type { ModelHandle } from "../model-handle.ts";
import { attentionMaps } from "../attention.ts";
import { firstNumbers, textOr, type TopicComputer, pictureModelName } from "./common.ts";

/** Keys listed in the table (the largest weights). */
export const TABLE_KEYS = 6;
/** Channels of Value and output shown. */
export const SHOWN_CHANNELS = 3;

export interface AttentionNumbers {
  tokens: string[];
  dropped: number;
  layer: number;
  head: number;
  /** for the last position: per key j, the engine's score, weight and Value (all HS channels) */
  scores: number[];
  weights: number[];
  values: number[][];
  /** the query and keys of this head (HS channels each), to recompute the scores */
  query: number[];
  keys: number[][];
  /** the head's output for the last position (HS channels), from the engine */
  output: number[];
  /** the weights of the chosen head [T, T] for the picture */
  map: Float32Array;
}

/**
 * The head where the last token looks hardest at one EARLIER token of the text: the largest
 * weight in the last row, not counting the token itself nor the start-of-text token (where
 * heads with nothing to do tend to park their attention). With too few tokens, layer 0 head 0.
 */
function sharpestHead(maps: Float32Array[][], T: number, firstIsStart: boolean): { layer: number; head: number } {
  let best = { layer: 0, head: 0, weight: -1 };
  maps.forEach((heads, layer) =>
    heads.forEach((map, head) => {
      for (let k = firstIsStart ? 1 : 0; k < T - 1; k++) {
        const weight = map[(T - 1) * T + k];
        if (weight > best.weight + 1e-9) best = { layer, head, weight };
      }
    }),
  );
  return { layer: best.layer, head: best.head };
}

export function attentionNumbers(handle: ModelHandle, text: string): AttentionNumbers {
  const maps = attentionMaps(handle, text); // one forward pass; its activations are read below
  const { nEmbd: C, nHead: NH } = handle.model.config;
  const HS = C / NH;
  const T = maps.tokens.length;
  const { layer, head } = sharpestHead(maps.weights, T, maps.dropped === 0);
  const a = handle.model.activations!.layers[layer];
  const q = T - 1;
  const scores: number[] = [];
  const weights: number[] = [];
  const values: number[][] = [];
  const keys: number[][] = [];
  for (let k = 0; k < T; k++) {
    const cell = head * T * T + q * T + k; // [B=1, NH, T, T]
    scores.push(a.preatt[cell]);
    weights.push(a.att[cell]);
    keys.push(firstNumbers(a.qkv, k * 3 * C + C + head * HS, HS));
    values.push(firstNumbers(a.qkv, k * 3 * C + 2 * C + head * HS, HS));
  }
  return {
    tokens: maps.tokens,
    dropped: maps.dropped,
    layer,
    head,
    scores,
    weights,
    values,
    query: firstNumbers(a.qkv, q * 3 * C + head * HS, HS),
    keys,
    output: firstNumbers(a.attY, q * C + head * HS, HS),
    map: maps.weights[layer][head],
  };
}

export const explainAttention: TopicComputer<"attention"> = ({ handle, lang, texts, text }) => {
  const sentence = textOr(text, texts.defaults.sentence);
  const n = attentionNumbers(handle, sentence);
  const { nLayer, nHead, nEmbd } = handle.model.config;
  const T = n.tokens.length;
  const top = Array.from({ length: T }, (_, k) => k)
    .sort((x, y) => n.weights[y] - n.weights[x] || x - y)
    .slice(0, TABLE_KEYS)
    .sort((x, y) => x - y);
  const rows: AttentionRow[] = top.map((k) => ({
    position: k,
    token: n.tokens[k],
    score: n.scores[k],
    weight: n.weights[k],
    value: n.values[k].slice(0, SHOWN_CHANNELS),
  }));
  const shownWeight = top.reduce((s, k) => s + n.weights[k], 0);
  const facts: AttentionFacts = {
    text: sentence,
    tokens: T,
    dropped: n.dropped,
    layer: n.layer,
    head: n.head,
    nLayer,
    nHead,
    headSize: nEmbd / nHead,
    query: n.tokens[T - 1],
    rows,
    others: { count: T - top.length, weight: Math.max(0, 1 - shownWeight) },
    output: n.output.slice(0, SHOWN_CHANNELS),
  };
  return {
    facts,
    async render() {
      const png = await renderAttentionHead({
        tokens: n.tokens,
        weights: n.map,
        layer: n.layer,
        head: n.head,
        modelName: pictureModelName(handle, lang),
        lang,
      });
      return [{ name: "attention.png", png }];
    },
  };
};
