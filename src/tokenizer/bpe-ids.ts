/**
 * Id layout of the byte-level BPE vocabulary:
 *   0 … 255        one token per byte value
 *   256            end-of-text <|endoftext|>
 *   257 + i        the token made by merge i (i = 0, 1, …)
 * so vocabSize = 257 + number of merges.
 */
export const BYTE_TOKEN_COUNT = 256;
export const BPE_EOT_ID = 256;
export const FIRST_MERGE_ID = 257;
/** Upper bound on vocabSize, so a pair of ids packs into one exact float64 key. */
export const MAX_BPE_VOCAB_SIZE = 1 << 20;

/** One number for an ordered pair of ids; ordering keys orders pairs lexicographically. */
export function pairKey(left: number, right: number): number {
  return left * MAX_BPE_VOCAB_SIZE + right;
}

export function pairLeft(key: number): number {
  return Math.floor(key / MAX_BPE_VOCAB_SIZE);
}

export function pairRight(key: number): number {
  return key % MAX_BPE_VOCAB_SIZE;
}
