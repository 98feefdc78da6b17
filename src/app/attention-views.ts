/**
 * `/attention view:rollout` and `view:next`: attention read across the layers instead of one
 * head at a time.
 *
 * Rollout (after Abnar & Zuidema's "attention rollout"): a block adds its attention's output to
 * the residual stream, so what flows from token k into token q at layer l is part attention and
 * part the stream passing by. With A_l the attention of layer l averaged over its heads [T, T],
 *
 *   1. Â_l = rownorm(½·A_l + ½·I)              (each row rescaled to sum to 1)
 *   2. R_0 = Â_0,  R_l = Â_l · R_{l−1}          (matrix product [T, T] · [T, T])
 *   3. R = R_{L−1}: row q says how much of each input token reached position q at the output.
 *
 * Rows of A_l and I each sum to 1, so the rescaling of step 1 only removes rounding; it is kept
 * so that R's rows sum to 1 exactly as the formula states.
 *
 * Next: the row of the last position (the query that chooses the next token) in each layer's
 * head average, and the last row of R, beside the token the model predicts.
 */
import { attentionMaps } from "./attention.ts";
import type { ModelHandle } from "./model-handle.ts";
import { predictNext } from "./predict.ts";

/** The mix of step 1: the attention's share; the identity gets 1 − ROLLOUT_ATTENTION_SHARE. */
export const ROLLOUT_ATTENTION_SHARE = 0.5;

/** [T, T] row-major, rows summing to 1 */
export type Matrix = Float64Array;

/** The heads' mean of one layer: weights[h] [T, T] → [T, T]. */
export function headMean(heads: readonly ArrayLike<number>[], T: number): Matrix {
  const mean = new Float64Array(T * T);
  for (const w of heads) for (let i = 0; i < T * T; i++) mean[i] += w[i] / heads.length;
  return mean;
}

/**
 * Steps 1–3 over every layer: `weights[l][h]` [T, T] → the rollout after each layer
 * (`after[l]` = R_l; the last is R).
 */
export function attentionRollout(weights: readonly (readonly ArrayLike<number>[])[], T: number): { after: Matrix[] } {
  const a = ROLLOUT_ATTENTION_SHARE;
  const after: Matrix[] = [];
  let R: Matrix | null = null;
  for (const heads of weights) {
    // 1. Â = rownorm(a·A + (1−a)·I)
    const mixed = headMean(heads, T);
    for (let q = 0; q < T; q++) {
      let sum = 0;
      for (let k = 0; k < T; k++) {
        mixed[q * T + k] = a * mixed[q * T + k] + (q === k ? 1 - a : 0);
        sum += mixed[q * T + k];
      }
      for (let k = 0; k < T; k++) mixed[q * T + k] /= sum;
    }
    // 2. R_l = Â_l · R_{l−1} (causal: Â[q, j] = 0 for j > q, and R[j, k] = 0 for k > j)
    if (R === null) R = mixed;
    else {
      const next = new Float64Array(T * T);
      for (let q = 0; q < T; q++) {
        for (let j = 0; j <= q; j++) {
          const m = mixed[q * T + j];
          if (m === 0) continue;
          for (let k = 0; k <= j; k++) next[q * T + k] += m * R[j * T + k];
        }
      }
      R = next;
    }
    after.push(R);
  }
  return { after };
}

export interface RolloutResult {
  tokens: string[];
  unknown: number;
  dropped: number;
  layers: number;
  /** R [T, T]: row q = the share of each input token in position q at the output */
  rollout: Matrix;
}

/** One forward pass, then steps 1–3. */
export function rolloutOf(handle: ModelHandle, text: string): RolloutResult {
  const maps = attentionMaps(handle, text);
  const T = maps.tokens.length;
  const { after } = attentionRollout(maps.weights, T);
  return {
    tokens: maps.tokens,
    unknown: maps.unknown,
    dropped: maps.dropped,
    layers: maps.weights.length,
    rollout: after[after.length - 1],
  };
}

export interface NextTokenAttention {
  tokens: string[];
  unknown: number;
  dropped: number;
  /** the model's top next token after the text, from the same forward pass */
  predicted: { id: number; token: string; prob: number };
  /** [layer] → [T]: the last position's attention over the tokens, averaged over the heads */
  layers: number[][];
  /** [T]: the last row of the rollout R */
  rollout: number[];
}

/** The last query's attention in every layer and through the rollout, and the token it chose. */
export function nextTokenAttention(handle: ModelHandle, text: string): NextTokenAttention {
  const maps = attentionMaps(handle, text);
  const T = maps.tokens.length;
  // 1. the token /predict puts first (temperature 1)
  const top = predictNext(handle, text, { k: 1, temperature: 1 }).candidates[0];
  // 2. the last row of each layer's head mean, and of the rollout
  const lastRow = (m: Matrix) => Array.from(m.subarray((T - 1) * T, T * T));
  const layers = maps.weights.map((heads) => lastRow(headMean(heads, T)));
  const { after } = attentionRollout(maps.weights, T);
  return {
    tokens: maps.tokens,
    unknown: maps.unknown,
    dropped: maps.dropped,
    predicted: { id: top.id, token: top.token, prob: top.prob },
    layers,
    rollout: lastRow(after[after.length - 1]),
  };
}
