/**
 * Character-level tokenizer (as in nanoGPT's shakespeare_char): one token per
 * Unicode code point seen in the training corpus.
 *
 * Id layout:
 *   0        end-of-text <|endoftext|> (decodes to "")
 *   1        unknown: any character not in the vocabulary (decodes to "\uFFFD", shown as "<unk>")
 *   2 + i    chars[i], sorted by code point so the vocabulary does not depend on corpus order
 *
 * Text is walked by code point, so 😀 (outside the BMP) is one character, and a
 * lone surrogate is a character of its own. An emoji ZWJ sequence like 👩🏽‍💻 is
 * several code points, hence several tokens. Unseen characters are never dropped:
 * each becomes the unknown id and is counted in EncodeResult.unknown.
 */
import { describeValue, isRecord, requireArray, requireInteger, requireVersion } from "./json-checks.ts";
import { END_OF_TEXT, encodeSeparatedByEndOfText, splitDocuments } from "./special.ts";
import type { CharTokenizerJSON, EncodeResult, Tokenizer } from "./tokenizer.ts";

export const CHAR_EOT_ID = 0;
export const CHAR_UNKNOWN_ID = 1;
export const FIRST_CHAR_ID = 2;
/** What the unknown token decodes to, and how pictures show it. */
export const UNKNOWN_DECODED = "\uFFFD";
export const UNKNOWN_TOKEN_TEXT = "<unk>";

export interface CharTrainOptions {
  /** Keep at most this many tokens (incl. eot and unknown): the rarest characters become unknown. */
  maxVocabSize?: number;
}

/** Whether `text` is exactly one code point (a lone surrogate counts as one). */
function isOneCodePoint(text: string): boolean {
  if (text.length === 1) return true;
  return text.length === 2 && text.codePointAt(0)! > 0xffff;
}

function byCodePoint(a: string, b: string): number {
  return a.codePointAt(0)! - b.codePointAt(0)!;
}

export class CharTokenizer implements Tokenizer {
  readonly kind = "char" as const;
  readonly eotId = CHAR_EOT_ID;
  readonly unknownId = CHAR_UNKNOWN_ID;
  readonly vocabSize: number;
  private readonly chars: readonly string[];
  private readonly idOfChar = new Map<string, number>();

  /** Build from the character list (ids FIRST_CHAR_ID…); throws on duplicates or multi-character entries. */
  constructor(chars: readonly string[]) {
    chars.forEach((ch, i) => {
      if (typeof ch !== "string" || !isOneCodePoint(ch)) {
        throw new Error(`char tokenizer chars[${i}] is ${describeValue(ch)}: each entry must be exactly one character`);
      }
      const earlier = this.idOfChar.get(ch);
      if (earlier !== undefined) {
        throw new Error(`char tokenizer chars[${i}] repeats ${JSON.stringify(ch)} of chars[${earlier - FIRST_CHAR_ID}]`);
      }
      this.idOfChar.set(ch, FIRST_CHAR_ID + i);
    });
    this.chars = [...chars];
    this.vocabSize = FIRST_CHAR_ID + chars.length;
  }

  /** The characters of the vocabulary in id order (id = FIRST_CHAR_ID + index). */
  getChars(): string[] {
    return [...this.chars];
  }

  encode(text: string): EncodeResult {
    const ids: number[] = [];
    let unknown = 0;
    for (const ch of text) {
      const id = this.idOfChar.get(ch);
      if (id === undefined) {
        ids.push(CHAR_UNKNOWN_ID);
        unknown++;
      } else {
        ids.push(id);
      }
    }
    return { ids, unknown };
  }

  encodeWithSpecial(text: string): EncodeResult {
    return encodeSeparatedByEndOfText(text, this.eotId, (piece) => this.encode(piece));
  }

  decode(ids: ArrayLike<number>): string {
    let text = "";
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      if (id === CHAR_EOT_ID) continue;
      text += this.chars[id - FIRST_CHAR_ID] ?? UNKNOWN_DECODED; // unknown and invalid ids alike
    }
    return text;
  }

  tokenText(id: number): string {
    if (id === CHAR_EOT_ID) return END_OF_TEXT;
    if (id === CHAR_UNKNOWN_ID) return UNKNOWN_TOKEN_TEXT;
    const ch = Number.isInteger(id) ? this.chars[id - FIRST_CHAR_ID] : undefined;
    if (ch === undefined) {
      throw new RangeError(`token id ${id} is outside the char vocabulary 0…${this.vocabSize - 1}`);
    }
    return ch;
  }

  toJSON(): CharTokenizerJSON {
    return { kind: "char", version: 1, vocabSize: this.vocabSize, chars: [...this.chars] };
  }
}

/**
 * Build the vocabulary from a corpus:
 *   1. count each code point, skipping the literal "<|endoftext|>" separators;
 *   2. with maxVocabSize, keep the most frequent (ties: lower code point first);
 *   3. sort the kept characters by code point.
 */
export function trainCharTokenizer(corpus: string, options: CharTrainOptions = {}): CharTokenizer {
  const counts = new Map<string, number>();
  for (const document of splitDocuments(corpus)) {
    for (const ch of document) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  }
  let kept = [...counts.keys()];
  if (options.maxVocabSize !== undefined) {
    const limit = options.maxVocabSize - FIRST_CHAR_ID;
    if (!Number.isInteger(options.maxVocabSize) || limit < 0) {
      throw new Error(`maxVocabSize must be an integer ≥ ${FIRST_CHAR_ID} (eot + unknown), got ${options.maxVocabSize}`);
    }
    kept.sort((a, b) => counts.get(b)! - counts.get(a)! || byCodePoint(a, b));
    kept = kept.slice(0, limit);
  }
  return new CharTokenizer(kept.sort(byCodePoint));
}

/** Rebuild from toJSON()'s output; throws naming the first thing that is wrong. */
export function charTokenizerFromJSON(json: unknown): CharTokenizer {
  const where = "char tokenizer JSON";
  if (!isRecord(json)) throw new Error(`${where} must be an object, got ${describeValue(json)}`);
  requireVersion(json, 1, where);
  const chars = requireArray(json, "chars", where);
  const vocabSize = requireInteger(json, "vocabSize", where);
  if (vocabSize !== FIRST_CHAR_ID + chars.length) {
    throw new Error(`${where}: vocabSize is ${vocabSize} but ${chars.length} chars give ${FIRST_CHAR_ID + chars.length}`);
  }
  return new CharTokenizer(chars as string[]); // the constructor checks each entry
}
