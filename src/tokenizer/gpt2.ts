/**
 * GPT-2's own tokenizer, rebuilt from its files (vocab.json + merges.txt, or tokenizer.json), so
 * ids are exactly GPT-2's:
 *
 *   1. pre-tokenisation: GPT-2's pattern splits text into chunks (contractions, a space plus a
 *      run of letters, a space plus digits, a space plus other symbols, whitespace), with
 *      Python's Unicode notion of whitespace (\s of the `regex` module: White_Space, so U+0085
 *      is space and U+FEFF is not, unlike JavaScript's \s);
 *   2. each chunk's UTF-8 bytes are written as GPT-2's printable stand-in characters
 *      (bytes_to_unicode: printable Latin-1 bytes as themselves, the other 68 bytes as U+0100…);
 *   3. BPE: repeatedly merge the adjacent pair with the lowest rank in merges.txt, every
 *      occurrence left to right, until no adjacent pair has a rank;
 *   4. each resulting symbol's id from vocab.json.
 * Id 50256 is <|endoftext|>. A model with a padded vocabulary (nanoGPT's 50304) gets ids past
 * the files' last one that decode to U+FFFD.
 */
import { isRecord } from "./json-checks.ts";
import { END_OF_TEXT, encodeSeparatedByEndOfText } from "./special.ts";
import type { EncodeResult, Gpt2TokenizerJSON, Tokenizer } from "./tokenizer.ts";
import { describeBytes } from "./wtf8.ts";

/** Python's White_Space characters (the `regex` module's \s) */
const WS = "\\t\\n\\v\\f\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
/** GPT-2's pre-tokenisation pattern (encoder.py), with \s spelled out as WS */
const GPT2_PATTERN = new RegExp(`'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^${WS}\\p{L}\\p{N}]+|[${WS}]+(?![^${WS}])|[${WS}]+`, "gu");
const CHUNK_CACHE_LIMIT = 50_000;
const REPLACEMENT = "\uFFFD";

/** bytes_to_unicode: byte b ↔ the character GPT-2's files write for it. */
function byteCharacters(): string[] {
  const printable: number[] = [];
  for (let b = 0x21; b <= 0x7e; b++) printable.push(b);
  for (let b = 0xa1; b <= 0xac; b++) printable.push(b);
  for (let b = 0xae; b <= 0xff; b++) printable.push(b);
  const chars = new Array<string>(256);
  for (const b of printable) chars[b] = String.fromCodePoint(b);
  let next = 0;
  for (let b = 0; b < 256; b++) if (chars[b] === undefined) chars[b] = String.fromCodePoint(256 + next++);
  return chars;
}
const BYTE_CHAR = byteCharacters();
const CHAR_BYTE = new Map(BYTE_CHAR.map((c, b) => [c, b]));

/** GPT-2's pre-tokenisation: the chunks BPE runs on. */
export function gpt2Chunks(text: string): string[] {
  return text.match(GPT2_PATTERN) ?? [];
}

export class Gpt2Tokenizer implements Tokenizer {
  readonly kind = "bpe" as const;
  readonly vocabSize: number;
  readonly eotId: number;
  /** id → symbol as written in vocab.json (byte stand-in characters) */
  private readonly symbols: string[];
  private readonly idOf = new Map<string, number>();
  /** "left right" → rank */
  private readonly rank = new Map<string, number>();
  private readonly merges: string[];
  private readonly cache = new Map<string, number[]>();
  private readonly utf8 = new TextEncoder();

  /**
   * @param vocab symbol → id (vocab.json), ids 0 … n-1 each used once
   * @param merges "left right" in rank order (merges.txt without its #version line)
   * @param vocabSize the model's V when it pads past the files' ids (≥ their count)
   */
  constructor(vocab: Record<string, number>, merges: string[], vocabSize?: number) {
    // 1. the vocabulary: dense ids
    const entries = Object.entries(vocab);
    this.symbols = new Array<string>(entries.length);
    for (const [symbol, id] of entries) {
      if (!Number.isInteger(id) || id < 0 || id >= entries.length || this.symbols[id] !== undefined) {
        throw new Error(`GPT-2 vocabulary: id ${id} of ${JSON.stringify(symbol)} is repeated or outside 0–${entries.length - 1}`);
      }
      this.symbols[id] = symbol;
      this.idOf.set(symbol, id);
    }
    for (const c of BYTE_CHAR) if (!this.idOf.has(c)) throw new Error(`GPT-2 vocabulary: the byte symbol ${JSON.stringify(c)} is missing`);
    // 2. merges: both halves and their join must be symbols of the vocabulary
    this.merges = merges;
    merges.forEach((m, r) => {
      const parts = m.split(" ");
      if (parts.length !== 2 || !this.idOf.has(parts[0]) || !this.idOf.has(parts[1]) || !this.idOf.has(parts[0] + parts[1])) {
        throw new Error(`GPT-2 merges: line ${r + 1} ${JSON.stringify(m)} does not join two vocabulary symbols into a third`);
      }
      if (!this.rank.has(m)) this.rank.set(m, r);
    });
    // 3. end of text, and a padded vocabulary size
    const eot = this.idOf.get(END_OF_TEXT);
    if (eot === undefined) throw new Error(`GPT-2 vocabulary has no ${END_OF_TEXT}`);
    this.eotId = eot;
    this.vocabSize = vocabSize ?? entries.length;
    if (this.vocabSize < entries.length)
      throw new Error(`model vocabulary ${this.vocabSize} is smaller than the tokenizer's ${entries.length} tokens`);
  }

  encode(text: string): EncodeResult {
    const ids: number[] = [];
    for (const chunk of gpt2Chunks(text)) for (const id of this.encodeChunk(chunk)) ids.push(id);
    return { ids, unknown: 0 };
  }

  encodeWithSpecial(text: string): EncodeResult {
    return encodeSeparatedByEndOfText(text, this.eotId, (piece) => this.encode(piece));
  }

  decode(ids: ArrayLike<number>): string {
    const bytes: number[] = [];
    const parts: string[] = [];
    const flush = () => {
      if (bytes.length > 0) parts.push(new TextDecoder().decode(Uint8Array.from(bytes)));
      bytes.length = 0;
    };
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i];
      if (id === this.eotId) continue;
      const symbol = Number.isInteger(id) && id >= 0 ? this.symbols[id] : undefined;
      if (symbol === undefined) {
        flush();
        parts.push(REPLACEMENT);
        continue;
      }
      for (const ch of symbol) bytes.push(CHAR_BYTE.get(ch) ?? 0x3f);
    }
    flush();
    return parts.join("");
  }

  tokenText(id: number): string {
    if (id === this.eotId) return END_OF_TEXT;
    const symbol = Number.isInteger(id) && id >= 0 ? this.symbols[id] : undefined;
    if (symbol === undefined) return REPLACEMENT;
    const bytes = Uint8Array.from([...symbol].map((ch) => CHAR_BYTE.get(ch) ?? 0x3f));
    try {
      return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch {
      return describeBytes(bytes);
    }
  }

  /**
   * The raw bytes of a token (what its symbol's stand-in characters write), so a token holding
   * part of a character is labelled `東 1/3` (./pieces.ts); an id past the files' last (a padded
   * vocabulary) is U+FFFD's bytes, as decode() writes it.
   */
  tokenBytes(id: number): Uint8Array {
    if (!Number.isInteger(id) || id < 0 || id >= this.vocabSize) {
      throw new RangeError(`token id ${id} is outside the GPT-2 vocabulary 0…${this.vocabSize - 1}`);
    }
    if (id === this.eotId) return this.utf8.encode(END_OF_TEXT);
    const symbol = this.symbols[id];
    if (symbol === undefined) return this.utf8.encode(REPLACEMENT);
    return Uint8Array.from([...symbol].map((ch) => CHAR_BYTE.get(ch) ?? 0x3f));
  }

  toJSON(): Gpt2TokenizerJSON {
    return { kind: "gpt2", version: 1, vocabSize: this.vocabSize, symbols: [...this.symbols], merges: [...this.merges] };
  }

  /** Steps 2–4 of the header for one chunk. */
  private encodeChunk(chunk: string): number[] {
    const cached = this.cache.get(chunk);
    if (cached) return cached;
    // 2. bytes as stand-in characters, one symbol each
    let word = Array.from(this.utf8.encode(chunk), (b) => BYTE_CHAR[b]);
    // 3. merge the lowest-ranked adjacent pair everywhere, until none has a rank
    while (word.length > 1) {
      let best = -1;
      let bestRank = Number.POSITIVE_INFINITY;
      for (let i = 0; i + 1 < word.length; i++) {
        const r = this.rank.get(`${word[i]} ${word[i + 1]}`);
        if (r !== undefined && r < bestRank) {
          bestRank = r;
          best = i;
        }
      }
      if (best < 0) break;
      const left = word[best];
      const right = word[best + 1];
      const merged: string[] = [];
      for (let i = 0; i < word.length; i++) {
        if (i + 1 < word.length && word[i] === left && word[i + 1] === right) {
          merged.push(left + right);
          i++;
        } else merged.push(word[i]);
      }
      word = merged;
    }
    // 4. ids
    const ids = word.map((s) => this.idOf.get(s)!);
    if (this.cache.size >= CHUNK_CACHE_LIMIT) this.cache.clear();
    this.cache.set(chunk, ids);
    return ids;
  }
}

/** From vocab.json's text and merges.txt's text (its "#version" line and blank lines skipped). */
export function gpt2TokenizerFromFiles(vocabJson: string, mergesTxt: string, vocabSize?: number): Gpt2Tokenizer {
  let vocab: unknown;
  try {
    vocab = JSON.parse(vocabJson);
  } catch (err) {
    throw new Error(`vocab.json is not JSON: ${(err as Error).message}`);
  }
  if (!isRecord(vocab)) throw new Error("vocab.json is not a JSON object of symbol → id");
  const merges = mergesTxt.split("\n").filter((line, i) => !(i === 0 && line.startsWith("#version")) && line.trim() !== "");
  return new Gpt2Tokenizer(
    vocab as Record<string, number>,
    merges.map((m) => m.replace(/\r$/, "")),
    vocabSize,
  );
}

/** From a Hugging Face tokenizer.json (model.type "BPE"; merges as "a b" strings or [a, b] pairs). */
export function gpt2TokenizerFromTokenizerJson(text: string, vocabSize?: number): Gpt2Tokenizer {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new Error(`tokenizer.json is not JSON: ${(err as Error).message}`);
  }
  const model = isRecord(raw) ? raw.model : undefined;
  if (!isRecord(model) || model.type !== "BPE" || !isRecord(model.vocab) || !Array.isArray(model.merges)) {
    throw new Error('tokenizer.json has no BPE model (model.type "BPE" with vocab and merges)');
  }
  const merges = (model.merges as unknown[]).map((m) => (Array.isArray(m) ? m.join(" ") : String(m)));
  const vocab: Record<string, number> = Object.assign(Object.create(null), model.vocab);
  // <|endoftext|> is an added token in tokenizer.json, not always in model.vocab
  const added = isRecord(raw) && Array.isArray(raw.added_tokens) ? raw.added_tokens : [];
  for (const t of added) if (isRecord(t) && typeof t.content === "string" && typeof t.id === "number") vocab[t.content] = t.id;
  return new Gpt2Tokenizer(vocab, merges, vocabSize);
}

/** Rebuilds from toJSON(). */
export function gpt2TokenizerFromJSON(json: Record<string, unknown>): Gpt2Tokenizer {
  if (json.version !== 1 || !Array.isArray(json.symbols) || !Array.isArray(json.merges) || typeof json.vocabSize !== "number") {
    throw new Error("gpt2 tokenizer JSON needs version 1, symbols, merges and vocabSize");
  }
  const vocab: Record<string, number> = Object.create(null);
  (json.symbols as unknown[]).forEach((s, id) => {
    vocab[String(s)] = id;
  });
  return new Gpt2Tokenizer(vocab, (json.merges as unknown[]).map(String), json.vocabSize);
}
