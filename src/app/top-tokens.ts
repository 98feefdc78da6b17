/**
 * The k likeliest tokens of one row of logits without sorting the whole vocabulary: the lens
 * asks this for every position at every depth ((L+1)·T rows of V logits). Probabilities are
 * the softmax at temperature 1 computed as topCandidates (src/sample/sampling.ts) computes
 * them, so the same row gives the same numbers as /predict.
 */

export interface TopToken {
  id: number;
  prob: number;
  logit: number;
}

/** Softmax statistics of a row [V]: its largest logit and Σ exp(logit − max). */
export function softmaxStats(row: ArrayLike<number>): { max: number; sum: number } {
  let max = -Infinity;
  for (let i = 0; i < row.length; i++) max = Math.max(max, row[i]);
  let sum = 0;
  for (let i = 0; i < row.length; i++) sum += Math.exp(row[i] - max);
  return { max, sum };
}

/** log p(id) under the softmax of a row [V]. */
export function logProbOf(row: ArrayLike<number>, id: number): number {
  const { max, sum } = softmaxStats(row);
  return row[id] - max - Math.log(sum);
}

/** The k likeliest ids of a row [V], likeliest first (the lower id first on ties). */
export function topTokens(row: ArrayLike<number>, k: number): TopToken[] {
  const { max, sum } = softmaxStats(row);
  // 1. keep the k best ids in order while scanning once
  const best: number[] = [];
  const n = Math.min(Math.max(0, k), row.length);
  for (let id = 0; id < row.length && n > 0; id++) {
    if (best.length === n && row[id] <= row[best[n - 1]]) continue;
    let at = best.length;
    while (at > 0 && row[best[at - 1]] < row[id]) at--;
    best.splice(at, 0, id);
    if (best.length > n) best.pop();
  }
  // 2. their probabilities, exp(logit − max) / Σ
  return best.map((id) => ({ id, prob: Math.exp(row[id] - max) / sum, logit: row[id] }));
}
