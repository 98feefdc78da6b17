/**
 * Byte-level BPE tokenizer (as in GPT-2): every string becomes bytes, so there
 * is no unknown token; learned merges join frequent neighbouring tokens.
 *
 * Layout of ids: see bpe-ids.ts (bytes 0–255, eot 256, merges from 257).
 * Text → bytes uses WTF-8 (wtf8.ts) so lone surrogates round-trip exactly.
 * Merges never cross the chunk boundaries of the pre-splitter (chunks.ts).
 * decode(eot) is "" — the end-of-text token carries no characters.
 */
import { BPE_EOT_ID, BYTE_TOKEN_COUNT, FIRST_MERGE_ID, MAX_BPE_VOCAB_SIZE, pairKey } from "./bpe-ids.ts";
import { applyMerges, decodeTokenBytes } from "./bpe-apply.ts";
import { learnMerges, type BpeTrainOptions } from "./bpe-train.ts";
import { SPLITTER_NAME, splitIntoChunks } from "./chunks.ts";
import { describeValue, isRecord, requireArray, requireInteger, requireVersion } from "./json-checks.ts";
import { END_OF_TEXT, encodeSeparatedByEndOfText } from "./special.ts";
import type { BpeTokenizerJSON, EncodeResult, Tokenizer } from "./tokenizer.ts";
import { describeBytes, encodeWtf8 } from "./wtf8.ts";

/** Chunk encodings kept for reuse (chat text repeats); the cache is emptied when full. */
const CHUNK_CACHE_LIMIT = 50_000;
/** UTF-8 of U+FFFD, written in place of an id that does not exist. */

export type { BpeTrainOptions } from "./bpe-train.ts";

export class BpeTokenizer implements Tokenizer {
  readonly kind = "bpe" as const;
  readonly eotId = BPE_EOT_ID;
  readonly vocabSize: number;
  private readonly merges: readonly (readonly [number, number])[];
  /** rank (merge index) of each mergeable pair, keyed by pairKey */
  private readonly rankOfPair = new Map<number, number>();
  /** the bytes each id stands for (eot: none) */
  private readonly bytesOfToken: Uint8Array[] = [];
  private readonly chunkCache = new Map<string, number[]>();

  /** Build from merges; throws if a merge refers to an id that does not exist yet. */
  constructor(merges: readonly (readonly [number, number])[]) {
    checkMerges(merges);
    this.merges = merges.map(([left, right]) => [left, right] as const);
    this.vocabSize = FIRST_MERGE_ID + merges.length;
    for (let b = 0; b < BYTE_TOKEN_COUNT; b++) this.bytesOfToken.push(Uint8Array.of(b));
    this.bytesOfToken.push(new Uint8Array(0)); // eot
    merges.forEach(([left, right], rank) => {
      this.rankOfPair.set(pairKey(left, right), rank);
      const a = this.bytesOfToken[left]!;
      const b = this.bytesOfToken[right]!;
      const joined = new Uint8Array(a.length + b.length);
      joined.set(a, 0);
      joined.set(b, a.length);
      this.bytesOfToken.push(joined);
    });
  }

  /** The learned merges in order: merge i makes id FIRST_MERGE_ID + i. */
  getMerges(): [number, number][] {
    return this.merges.map(([left, right]) => [left, right]);
  }

  encode(text: string): EncodeResult {
    const ids: number[] = [];
    for (const chunk of splitIntoChunks(text)) {
      for (const id of this.encodeChunk(chunk)) ids.push(id);
    }
    return { ids, unknown: 0 };
  }

  encodeWithSpecial(text: string): EncodeResult {
    return encodeSeparatedByEndOfText(text, this.eotId, (piece) => this.encode(piece));
  }

  /**
   * Ids of one chunk:
   *   1. start from its WTF-8 bytes, one token per byte;
   *   2. find the adjacent pair with the lowest merge rank;
   *   3. merge all its occurrences left to right, and repeat from 2 until no pair is mergeable.
   * A merge only creates pairs of higher rank than itself, so this equals applying
   * the merges in training order.
   */
  private encodeChunk(chunk: string): number[] {
    const cached = this.chunkCache.get(chunk);
    if (cached !== undefined) return cached;
    const tokens = applyMerges(Array.from(encodeWtf8(chunk)), this.rankOfPair, this.merges, FIRST_MERGE_ID);
    if (this.chunkCache.size >= CHUNK_CACHE_LIMIT) this.chunkCache.clear();
    this.chunkCache.set(chunk, tokens);
    return tokens;
  }

  decode(ids: ArrayLike<number>): string {
    return decodeTokenBytes(this.bytesOfToken, ids);
  }

  tokenText(id: number): string {
    if (id === this.eotId) return END_OF_TEXT;
    const tokenBytes = Number.isInteger(id) ? this.bytesOfToken[id] : undefined;
    if (tokenBytes === undefined) {
      throw new RangeError(`token id ${id} is outside the BPE vocabulary 0…${this.vocabSize - 1}`);
    }
    return describeBytes(tokenBytes);
  }

  /** The raw bytes of a token (copy), e.g. for showing how a character was split. */
  tokenBytes(id: number): Uint8Array {
    const tokenBytes = Number.isInteger(id) ? this.bytesOfToken[id] : undefined;
    if (tokenBytes === undefined) {
      throw new RangeError(`token id ${id} is outside the BPE vocabulary 0…${this.vocabSize - 1}`);
    }
    return tokenBytes.slice();
  }

  toJSON(): BpeTokenizerJSON {
    return { kind: "bpe", version: 1, vocabSize: this.vocabSize, splitter: SPLITTER_NAME, merges: this.getMerges() };
  }
}

/**
 * Each merge i must join two ids that exist before it (bytes, or tokens of
 * earlier merges), never the eot token, and no pair may be merged twice.
 */
function checkMerges(merges: readonly (readonly unknown[])[]): void {
  if (FIRST_MERGE_ID + merges.length > MAX_BPE_VOCAB_SIZE) {
    throw new Error(`${merges.length} merges exceed the largest BPE vocabulary, ${MAX_BPE_VOCAB_SIZE}`);
  }
  const firstMergeOfPair = new Map<number, number>();
  merges.forEach((merge, i) => {
    if (!Array.isArray(merge) || merge.length !== 2) {
      throw new Error(`BPE merges[${i}] must be a pair [left, right], got ${describeValue(merge)}`);
    }
    const createdId = FIRST_MERGE_ID + i;
    for (const id of merge) {
      if (typeof id !== "number" || !Number.isInteger(id) || id < 0 || id >= createdId) {
        throw new Error(
          `BPE merges[${i}] = ${JSON.stringify(merge)} refers to id ${describeValue(id)}, ` +
            `which does not exist before this merge creates id ${createdId}`,
        );
      }
      if (id === BPE_EOT_ID) {
        throw new Error(`BPE merges[${i}] = ${JSON.stringify(merge)} uses the end-of-text id ${BPE_EOT_ID}, which is never merged`);
      }
    }
    const key = pairKey(merge[0] as number, merge[1] as number);
    const earlier = firstMergeOfPair.get(key);
    if (earlier !== undefined) {
      throw new Error(`BPE merges[${i}] repeats the pair ${JSON.stringify(merge)} of merges[${earlier}]`);
    }
    firstMergeOfPair.set(key, i);
  });
}

/**
 * Train a byte-level BPE tokenizer with at most `vocabSize` tokens
 * (256 bytes + eot + merges). "<|endoftext|>" in the corpus separates documents.
 * Fewer merges are learned when no pair occurs `minPairCount` times any more.
 */
export function trainBpeTokenizer(corpus: string, vocabSize: number, options: BpeTrainOptions = {}): BpeTokenizer {
  if (!Number.isInteger(vocabSize) || vocabSize < FIRST_MERGE_ID || vocabSize > MAX_BPE_VOCAB_SIZE) {
    throw new Error(`BPE vocabSize must be an integer from ${FIRST_MERGE_ID} (256 bytes + eot) to ${MAX_BPE_VOCAB_SIZE}, got ${vocabSize}`);
  }
  return new BpeTokenizer(learnMerges(corpus, vocabSize - FIRST_MERGE_ID, options));
}

/** Rebuild from toJSON()'s output; throws naming the first thing that is wrong. */
export function bpeTokenizerFromJSON(json: unknown): BpeTokenizer {
  const where = "BPE tokenizer JSON";
  if (!isRecord(json)) throw new Error(`${where} must be an object, got ${describeValue(json)}`);
  requireVersion(json, 1, where);
  if (json.splitter !== SPLITTER_NAME) {
    throw new Error(`${where}: splitter is ${describeValue(json.splitter)}, this build only has "${SPLITTER_NAME}"`);
  }
  const merges = requireArray(json, "merges", where);
  const vocabSize = requireInteger(json, "vocabSize", where);
  if (vocabSize !== FIRST_MERGE_ID + merges.length) {
    throw new Error(`${where}: vocabSize is ${vocabSize} but ${merges.length} merges give ${FIRST_MERGE_ID + merges.length}`);
  }
  return new BpeTokenizer(merges as [number, number][]); // the constructor checks each merge
}
