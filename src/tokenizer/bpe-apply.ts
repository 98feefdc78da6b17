/**
 * The two steps every byte-based BPE here shares once its base ids are known (bpe.ts starts
 * from a chunk's bytes, char-bpe.ts from its kept characters and the bytes of the others).
 */
import { pairKey } from "./bpe-ids.ts";
import { mergePairInto } from "./bpe-train.ts";
import { decodeWtf8 } from "./wtf8.ts";

/** U+FFFD in UTF-8: what an id with no bytes (out of range) decodes to. */
const REPLACEMENT_BYTES = [0xef, 0xbf, 0xbd];

/**
 * Merges applied to a chunk's base ids:
 *   1. find the adjacent pair with the lowest merge rank;
 *   2. merge all its occurrences left to right (merge r makes id firstMergeId + r);
 *   3. repeat from 1 until no pair is mergeable.
 * A merge only creates pairs of higher rank than itself, so this equals applying the merges in
 * training order.
 */
export function applyMerges(
  base: number[],
  rankOfPair: ReadonlyMap<number, number>,
  merges: readonly (readonly [number, number])[],
  firstMergeId: number,
): number[] {
  let tokens = base;
  while (tokens.length > 1) {
    let bestRank = Infinity;
    for (let i = 0; i + 1 < tokens.length; i++) {
      const rank = rankOfPair.get(pairKey(tokens[i]!, tokens[i + 1]!));
      if (rank !== undefined && rank < bestRank) bestRank = rank;
    }
    if (bestRank === Infinity) break;
    const [left, right] = merges[bestRank]!;
    tokens = mergePairInto(tokens, left, right, firstMergeId + bestRank);
  }
  return tokens;
}

/**
 * Text of ids whose tokens are byte strings:
 *   1. the bytes of every id together (a token may hold part of a character, so decoding waits
 *      until all bytes are there); an id with no bytes gives U+FFFD's;
 *   2. WTF-8 → string; an invalid or incomplete sequence becomes U+FFFD.
 */
export function decodeTokenBytes(bytesOfToken: readonly Uint8Array[], ids: ArrayLike<number>): string {
  const bytes: number[] = [];
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    const tokenBytes = Number.isInteger(id) ? bytesOfToken[id] : undefined;
    if (tokenBytes === undefined) bytes.push(...REPLACEMENT_BYTES);
    else for (const b of tokenBytes) bytes.push(b);
  }
  return decodeWtf8(bytes);
}
