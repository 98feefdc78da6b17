/**
 * Character BPE with byte fallback (in the spirit of SentencePiece's BPE with
 * `character_coverage` and `byte_fallback`): the base units are the frequent
 * characters of the training text, so 猫 or 😀 is one token, not three or four
 * bytes; merges build words on top of them. A character outside the kept set
 * is written as its WTF-8 bytes, one byte token each, so every string
 * round-trips exactly (lone surrogates included) and no token is "unknown".
 *
 * Id layout:
 *   0 … 255                 byte-fallback tokens, one per byte value (never merged)
 *   256                     end-of-text <|endoftext|>
 *   257 + i                 chars[i]: one code point (or lone surrogate) each
 *   257 + chars.length + j  the token made by merge j (joins two ids ≥ 257)
 * so vocabSize = 257 + chars.length + merges.length.
 *
 * Encoding a chunk of the pre-splitter (chunks.ts, as for the byte-level BPE):
 *   1. each code point becomes its char id, or its 1–4 byte ids;
 *   2. the adjacent pair of lowest merge rank is merged everywhere, repeated until
 *      no pair is mergeable. A pair holding a byte id never has a rank, so byte
 *      fallback pieces stay single bytes.
 * Decoding concatenates the WTF-8 bytes of every id and decodes them once.
 */
import { BPE_EOT_ID, BYTE_TOKEN_COUNT, MAX_BPE_VOCAB_SIZE, pairKey } from "./bpe-ids.ts";
import { applyMerges, decodeTokenBytes } from "./bpe-apply.ts";
import { learnMergesOfWords, type Words } from "./bpe-train.ts";
import { SPLITTER_NAME, splitIntoChunks } from "./chunks.ts";
import { describeValue, isRecord, requireArray, requireInteger, requireVersion } from "./json-checks.ts";
import { END_OF_TEXT, encodeSeparatedByEndOfText, splitDocuments } from "./special.ts";
import type { CharBpeTokenizerJSON, EncodeResult, Tokenizer } from "./tokenizer.ts";
import { describeBytes, encodeWtf8 } from "./wtf8.ts";

/** The first character id: after the 256 byte tokens and eot. */
export const FIRST_CHARACTER_ID = BPE_EOT_ID + 1;
/** SentencePiece's default coverage for languages with large character sets. */
export const DEFAULT_CHARACTER_COVERAGE = 0.9995;
const CHUNK_CACHE_LIMIT = 50_000;

export interface CharBpeTrainOptions {
  /** share of the training text's characters (by count) that must be base tokens; default 0.9995 */
  characterCoverage?: number;
  /** a character seen fewer times than this is never a base token (default 2) */
  minCharCount?: number;
  /** stop merging when the best pair occurs fewer times than this (default 2) */
  minPairCount?: number;
}

/** Whether `text` is exactly one code point (a lone surrogate counts as one). */
function isOneCodePoint(text: string): boolean {
  if (text.length === 1) return true;
  return text.length === 2 && text.codePointAt(0)! > 0xffff;
}

export class CharBpeTokenizer implements Tokenizer {
  readonly kind = "charbpe" as const;
  readonly eotId = BPE_EOT_ID;
  readonly vocabSize: number;
  /** id of the first merged token (= 257 + number of characters) */
  readonly firstMergeId: number;
  private readonly chars: readonly string[];
  private readonly merges: readonly (readonly [number, number])[];
  private readonly idOfChar = new Map<string, number>();
  private readonly rankOfPair = new Map<number, number>();
  /** the WTF-8 bytes each id stands for (eot: none) */
  private readonly bytesOfToken: Uint8Array[] = [];
  private readonly chunkCache = new Map<string, number[]>();

  /** Build from the kept characters and the merges; throws naming the first bad entry. */
  constructor(chars: readonly string[], merges: readonly (readonly [number, number])[]) {
    // 1. byte tokens and eot
    for (let b = 0; b < BYTE_TOKEN_COUNT; b++) this.bytesOfToken.push(Uint8Array.of(b));
    this.bytesOfToken.push(new Uint8Array(0));
    // 2. one token per kept character
    chars.forEach((ch, i) => {
      if (typeof ch !== "string" || !isOneCodePoint(ch)) {
        throw new Error(`character BPE chars[${i}] is ${describeValue(ch)}: each entry must be exactly one character`);
      }
      const earlier = this.idOfChar.get(ch);
      if (earlier !== undefined) {
        throw new Error(`character BPE chars[${i}] repeats ${JSON.stringify(ch)} of chars[${earlier - FIRST_CHARACTER_ID}]`);
      }
      this.idOfChar.set(ch, FIRST_CHARACTER_ID + i);
      this.bytesOfToken.push(encodeWtf8(ch).slice());
    });
    this.chars = [...chars];
    this.firstMergeId = FIRST_CHARACTER_ID + chars.length;
    if (this.firstMergeId + merges.length > MAX_BPE_VOCAB_SIZE) {
      throw new Error(`${chars.length} characters and ${merges.length} merges exceed the largest vocabulary, ${MAX_BPE_VOCAB_SIZE}`);
    }
    // 3. merges: each joins two existing non-byte, non-eot ids, and no pair twice
    merges.forEach((merge, i) => {
      const createdId = this.firstMergeId + i;
      if (!Array.isArray(merge) || merge.length !== 2) {
        throw new Error(`character BPE merges[${i}] must be a pair [left, right], got ${describeValue(merge)}`);
      }
      for (const id of merge) {
        if (typeof id !== "number" || !Number.isInteger(id) || id < FIRST_CHARACTER_ID || id >= createdId) {
          throw new Error(
            `character BPE merges[${i}] = ${JSON.stringify(merge)} refers to id ${describeValue(id)}; ` +
              `a merge joins ids from ${FIRST_CHARACTER_ID} (the first character) to ${createdId - 1}`,
          );
        }
      }
      const key = pairKey(merge[0], merge[1]);
      const earlier = this.rankOfPair.get(key);
      if (earlier !== undefined)
        throw new Error(`character BPE merges[${i}] repeats the pair ${JSON.stringify(merge)} of merges[${earlier}]`);
      this.rankOfPair.set(key, i);
      const a = this.bytesOfToken[merge[0]]!;
      const b = this.bytesOfToken[merge[1]]!;
      const joined = new Uint8Array(a.length + b.length);
      joined.set(a, 0);
      joined.set(b, a.length);
      this.bytesOfToken.push(joined);
    });
    this.merges = merges.map(([left, right]) => [left, right] as const);
    this.vocabSize = this.firstMergeId + merges.length;
  }

  /** The kept characters in id order (ids 257…). */
  getChars(): string[] {
    return [...this.chars];
  }

  getMerges(): [number, number][] {
    return this.merges.map(([left, right]) => [left, right]);
  }

  /** Whether an id is a byte-fallback token (part of a character not in the vocabulary). */
  isByteToken(id: number): boolean {
    return Number.isInteger(id) && id >= 0 && id < BYTE_TOKEN_COUNT;
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

  /** Step 1 of the header for one chunk: char ids, and bytes for characters not kept. */
  baseIds(chunk: string): number[] {
    const ids: number[] = [];
    for (const ch of chunk) {
      const id = this.idOfChar.get(ch);
      if (id !== undefined) ids.push(id);
      else for (const b of encodeWtf8(ch)) ids.push(b);
    }
    return ids;
  }

  private encodeChunk(chunk: string): number[] {
    const cached = this.chunkCache.get(chunk);
    if (cached !== undefined) return cached;
    // step 2: the merges, lowest rank first (bpe-apply.ts)
    const tokens = applyMerges(this.baseIds(chunk), this.rankOfPair, this.merges, this.firstMergeId);
    if (this.chunkCache.size >= CHUNK_CACHE_LIMIT) this.chunkCache.clear();
    this.chunkCache.set(chunk, tokens);
    return tokens;
  }

  decode(ids: ArrayLike<number>): string {
    // byte-fallback pieces of one character sit in consecutive ids: decoded together
    return decodeTokenBytes(this.bytesOfToken, ids);
  }

  tokenText(id: number): string {
    if (id === this.eotId) return END_OF_TEXT;
    return describeBytes(this.tokenBytes(id));
  }

  /** The WTF-8 bytes of a token (copy). */
  tokenBytes(id: number): Uint8Array {
    const tokenBytes = Number.isInteger(id) ? this.bytesOfToken[id] : undefined;
    if (tokenBytes === undefined) {
      throw new RangeError(`token id ${id} is outside the character BPE vocabulary 0…${this.vocabSize - 1}`);
    }
    return tokenBytes.slice();
  }

  toJSON(): CharBpeTokenizerJSON {
    return {
      kind: "charbpe",
      version: 1,
      vocabSize: this.vocabSize,
      splitter: SPLITTER_NAME,
      chars: this.getChars(),
      merges: this.getMerges(),
    };
  }
}

/**
 * The base characters of a text by coverage:
 *   1. count every code point (lone surrogates too) outside the "<|endoftext|>" separators;
 *   2. sort by count, most frequent first (ties by code point, so training is deterministic);
 *   3. keep characters until they cover `coverage` of all counted characters, skipping any
 *      seen fewer than `minCount` times, and never more than `limit`.
 * Returns them sorted by code point.
 */
export function chooseCharacters(text: string, coverage: number, minCount: number, limit: number): string[] {
  const counts = new Map<string, number>();
  let total = 0;
  for (const document of splitDocuments(text)) {
    for (const ch of document) {
      counts.set(ch, (counts.get(ch) ?? 0) + 1);
      total++;
    }
  }
  const byCount = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].codePointAt(0)! - b[0].codePointAt(0)!);
  const kept: string[] = [];
  let covered = 0;
  for (const [ch, count] of byCount) {
    if (covered >= coverage * total || kept.length >= limit || count < minCount) break;
    kept.push(ch);
    covered += count;
  }
  return kept.sort((a, b) => a.codePointAt(0)! - b.codePointAt(0)!);
}

/**
 * Train a character BPE of at most `vocabSize` tokens: the characters by coverage,
 * then merges over the pre-splitter's distinct chunks until the vocabulary is full
 * or no pair occurs `minPairCount` times.
 */
export function trainCharBpeTokenizer(corpus: string, vocabSize: number, options: CharBpeTrainOptions = {}): CharBpeTokenizer {
  const coverage = options.characterCoverage ?? DEFAULT_CHARACTER_COVERAGE;
  const minCharCount = options.minCharCount ?? 2;
  if (!Number.isInteger(vocabSize) || vocabSize < FIRST_CHARACTER_ID || vocabSize > MAX_BPE_VOCAB_SIZE) {
    throw new Error(
      `character BPE vocabSize must be an integer from ${FIRST_CHARACTER_ID} (256 bytes + eot) to ${MAX_BPE_VOCAB_SIZE}, got ${vocabSize}`,
    );
  }
  if (!(coverage > 0 && coverage <= 1)) throw new Error(`characterCoverage must be in (0, 1], got ${coverage}`);
  if (!Number.isInteger(minCharCount) || minCharCount < 1) throw new Error(`minCharCount must be a positive integer, got ${minCharCount}`);
  // 1. the base characters, within the vocabulary
  const chars = chooseCharacters(corpus, coverage, minCharCount, vocabSize - FIRST_CHARACTER_ID);
  const base = new CharBpeTokenizer(chars, []);
  // 2. distinct chunks as base ids, counted
  const chunkCounts = new Map<string, number>();
  for (const document of splitDocuments(corpus)) {
    for (const chunk of splitIntoChunks(document)) chunkCounts.set(chunk, (chunkCounts.get(chunk) ?? 0) + 1);
  }
  const words: Words = { tokens: [], counts: [] };
  for (const [chunk, count] of chunkCounts) {
    const ids = base.baseIds(chunk);
    if (ids.length < 2) continue;
    words.tokens.push(ids);
    words.counts.push(count);
  }
  // 3. merges on top, never touching byte tokens
  const merges = learnMergesOfWords(words, vocabSize - base.vocabSize, {
    minPairCount: options.minPairCount,
    firstNewId: base.vocabSize,
    lowestMergeableId: FIRST_CHARACTER_ID,
  });
  return new CharBpeTokenizer(chars, merges);
}

/** Rebuild from toJSON()'s output; throws naming the first thing that is wrong. */
export function charBpeTokenizerFromJSON(json: unknown): CharBpeTokenizer {
  const where = "character BPE tokenizer JSON";
  if (!isRecord(json)) throw new Error(`${where} must be an object, got ${describeValue(json)}`);
  requireVersion(json, 1, where);
  if (json.splitter !== SPLITTER_NAME) {
    throw new Error(`${where}: splitter is ${describeValue(json.splitter)}, this build only has "${SPLITTER_NAME}"`);
  }
  const chars = requireArray(json, "chars", where);
  const merges = requireArray(json, "merges", where);
  const vocabSize = requireInteger(json, "vocabSize", where);
  const expected = FIRST_CHARACTER_ID + chars.length + merges.length;
  if (vocabSize !== expected) {
    throw new Error(`${where}: vocabSize is ${vocabSize} but ${chars.length} characters and ${merges.length} merges give ${expected}`);
  }
  return new CharBpeTokenizer(chars as string[], merges as [number, number][]);
}
