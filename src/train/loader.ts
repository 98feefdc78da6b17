/**
 * Batches of random windows over one long token array, split 90/10 into train and val
 * (like nanoGPT's shakespeare_char: the first 90 % trains, the last 10 % is held out).
 */
import type { IdArray } from "../tensor/types.ts";
import type { Random } from "../tensor/random.ts";

export interface Batch {
  /** inputs [B, T] */
  x: IdArray;
  /** targets [B, T]: the same windows shifted by one token */
  y: IdArray;
  B: number;
  T: number;
}

export interface Split {
  train: IdArray;
  val: IdArray;
}

/** The first `fraction` of the tokens for training, the rest for validation. */
export function splitTrainVal(tokens: IdArray, fraction = 0.9): Split {
  const n = Math.floor(tokens.length * fraction);
  return { train: tokens.subarray(0, n), val: tokens.subarray(n) };
}

/** The smallest split size that can give a window of T inputs plus one target. */
export function minimumTokens(T: number): number {
  return T + 1;
}

/** B random windows of T+1 tokens from `data`, drawn with `rng`. */
export function randomBatch(data: IdArray, B: number, T: number, rng: Random): Batch {
  if (data.length < T + 1) {
    throw new Error(`a split has ${data.length} tokens, a window needs ${T + 1} (block ${T} + 1)`);
  }
  const x = new Int32Array(B * T);
  const y = new Int32Array(B * T);
  const starts = data.length - T; // a window starting at s uses tokens s … s+T
  for (let b = 0; b < B; b++) {
    const s = rng.int(starts);
    x.set(data.subarray(s, s + T), b * T);
    y.set(data.subarray(s + 1, s + 1 + T), b * T);
  }
  return { x, y, B, T };
}
