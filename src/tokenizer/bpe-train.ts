/**
 * Learning BPE merges from a corpus (the greedy algorithm of GPT-2's tokenizer),
 * with incremental pair counts so a few hundred KB trains in about a second.
 *
 * Terms: a "word" is one distinct chunk of the pre-splitter (chunks.ts) held as
 * a list of token ids, with the number of times it occurs in the corpus. A
 * "pair" is two adjacent ids inside a word; its count is summed over words,
 * weighted by each word's occurrence count. Overlapping pairs count separately:
 * "aaa" holds the pair (a, a) twice.
 *
 * Tie-breaking: among pairs with the same count, the lexicographically smallest
 * (left id, then right id) wins. Training is therefore fully deterministic.
 */
import { FIRST_MERGE_ID, MAX_BPE_VOCAB_SIZE, pairKey, pairLeft, pairRight } from "./bpe-ids.ts";
import { splitIntoChunks } from "./chunks.ts";
import { PairHeap } from "./pair-heap.ts";
import { splitDocuments } from "./special.ts";
import { encodeWtf8 } from "./wtf8.ts";

export interface BpeTrainOptions {
  /** Stop early when the best pair occurs fewer times than this (default 2: never merge a one-off). */
  minPairCount?: number;
}

export interface Words {
  /** ids of each distinct word (replaced as merges apply) */
  tokens: number[][];
  /** how many times each word occurs in the corpus */
  counts: number[];
}

/** Steps 1–2: count distinct chunks once, then turn each into its byte ids. */
function collectWords(corpus: string): Words {
  const chunkCounts = new Map<string, number>();
  for (const document of splitDocuments(corpus)) {
    for (const chunk of splitIntoChunks(document)) {
      chunkCounts.set(chunk, (chunkCounts.get(chunk) ?? 0) + 1);
    }
  }
  const words: Words = { tokens: [], counts: [] };
  for (const [chunk, count] of chunkCounts) {
    const bytes = encodeWtf8(chunk);
    if (bytes.length < 2) continue; // no pair inside: nothing to learn from it
    words.tokens.push(Array.from(bytes));
    words.counts.push(count);
  }
  return words;
}

/** Replace every non-overlapping (left, right) in `tokens`, scanning left to right. */
export function mergePairInto(tokens: readonly number[], left: number, right: number, newId: number): number[] {
  const merged: number[] = [];
  let i = 0;
  while (i < tokens.length) {
    if (i + 1 < tokens.length && tokens[i] === left && tokens[i + 1] === right) {
      merged.push(newId);
      i += 2;
    } else {
      merged.push(tokens[i]!);
      i++;
    }
  }
  return merged;
}

/**
 * Learn up to `mergeCount` merges. Returns them in order: merge i joins
 * [left, right] into id FIRST_MERGE_ID + i.
 */
export function learnMerges(corpus: string, mergeCount: number, options: BpeTrainOptions = {}): [number, number][] {
  return learnMergesOfWords(collectWords(corpus), mergeCount, { ...options, firstNewId: FIRST_MERGE_ID, lowestMergeableId: 0 });
}

export interface WordMergeOptions extends BpeTrainOptions {
  /** id of the token the first merge creates (merge i creates firstNewId + i) */
  firstNewId: number;
  /** ids below this are never merged (the character BPE's byte-fallback tokens) */
  lowestMergeableId: number;
}

/**
 * The greedy merge loop over words already turned into ids (rewritten in place).
 * A pair is counted only when both ids are ≥ lowestMergeableId.
 */
export function learnMergesOfWords(words: Words, mergeCount: number, options: WordMergeOptions): [number, number][] {
  const minPairCount = options.minPairCount ?? 2;
  const { firstNewId, lowestMergeableId } = options;
  if (!Number.isInteger(minPairCount) || minPairCount < 1) {
    throw new Error(`minPairCount must be a positive integer, got ${minPairCount}`);
  }
  if (firstNewId + mergeCount > MAX_BPE_VOCAB_SIZE) {
    throw new Error(`${mergeCount} merges would exceed the largest BPE vocabulary, ${MAX_BPE_VOCAB_SIZE}`);
  }
  const mergeable = (left: number, right: number) => left >= lowestMergeableId && right >= lowestMergeableId;

  // 3. count every pair once, and remember which words hold it (a word may be
  //    listed under a pair it no longer holds; such stale entries are skipped later)
  const pairCounts = new Map<number, number>();
  const wordsWithPair = new Map<number, number[]>();
  const noteWord = (key: number, word: number) => {
    const list = wordsWithPair.get(key);
    if (list === undefined) wordsWithPair.set(key, [word]);
    else if (list[list.length - 1] !== word) list.push(word);
  };
  words.tokens.forEach((tokens, w) => {
    for (let i = 0; i + 1 < tokens.length; i++) {
      if (!mergeable(tokens[i]!, tokens[i + 1]!)) continue;
      const key = pairKey(tokens[i]!, tokens[i + 1]!);
      pairCounts.set(key, (pairCounts.get(key) ?? 0) + words.counts[w]!);
      noteWord(key, w);
    }
  });
  const heap = new PairHeap();
  for (const [key, count] of pairCounts) heap.push(count, key);

  const merges: [number, number][] = [];
  const visitedAtMerge = new Int32Array(words.tokens.length).fill(-1);
  while (merges.length < mergeCount) {
    // 4. take the best pair; skip heap entries whose count has since changed
    const top = heap.peek();
    if (top === undefined) break;
    heap.pop();
    if (pairCounts.get(top.key) !== top.count) continue;
    if (top.count < minPairCount) break;
    const left = pairLeft(top.key);
    const right = pairRight(top.key);
    const newId = firstNewId + merges.length;
    merges.push([left, right]);

    // 5. rewrite each word holding the pair; its pair counts change by
    //    (pairs after − pairs before) × word count, gathered in `deltas`
    const deltas = new Map<number, number>();
    const addPairs = (tokens: readonly number[], weight: number) => {
      for (let i = 0; i + 1 < tokens.length; i++) {
        if (!mergeable(tokens[i]!, tokens[i + 1]!)) continue;
        const key = pairKey(tokens[i]!, tokens[i + 1]!);
        deltas.set(key, (deltas.get(key) ?? 0) + weight);
      }
    };
    for (const w of wordsWithPair.get(top.key) ?? []) {
      if (visitedAtMerge[w] === merges.length) continue;
      visitedAtMerge[w] = merges.length;
      const before = words.tokens[w]!;
      const after = mergePairInto(before, left, right, newId);
      if (after.length === before.length) continue; // stale listing
      const count = words.counts[w]!;
      addPairs(before, -count);
      addPairs(after, count);
      // 6. index the word under the pairs that contain the new token
      for (let i = 0; i + 1 < after.length; i++) {
        if ((after[i] === newId || after[i + 1] === newId) && mergeable(after[i]!, after[i + 1]!))
          noteWord(pairKey(after[i]!, after[i + 1]!), w);
      }
      words.tokens[w] = after;
    }
    wordsWithPair.delete(top.key);

    // 7. apply the changed counts and offer each changed pair to the heap again
    for (const [key, delta] of deltas) {
      if (delta === 0) continue;
      const count = (pairCounts.get(key) ?? 0) + delta;
      if (count <= 0) {
        pairCounts.delete(key);
        wordsWithPair.delete(key);
      } else {
        pairCounts.set(key, count);
        heap.push(count, key);
      }
    }
  }
  return merges;
}
