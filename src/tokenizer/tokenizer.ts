/**
 * The common shape of every tokenizer: text in, token ids out, and back.
 *
 * The project trains three kinds (char.ts, bpe.ts, char-bpe.ts) and imports two (gpt2.ts, GPT-2's
 * byte-level BPE; nanogpt-char.ts, nanoGPT's meta.pkl vocabulary). All reserve one special token,
 * end-of-text `<|endoftext|>`, that separates documents / chat messages in the
 * training stream and lets generation stop. The literal string "<|endoftext|>"
 * typed by a user is ordinary text for `encode`; only `encodeWithSpecial`
 * (for trusted corpora) and the `eotId` constant produce the special token.
 */

export interface EncodeResult {
  ids: number[];
  /** how many characters mapped to the unknown token (always 0 for byte-level BPE) */
  unknown: number;
}

export type TokenizerKind = "char" | "bpe" | "charbpe";

export interface Tokenizer {
  readonly kind: TokenizerKind;
  /** V: ids are 0 … vocabSize-1 */
  readonly vocabSize: number;
  /** id of the end-of-text token; decodes to "" and shows as "<|endoftext|>" */
  readonly eotId: number;
  /** Encode user text. "<|endoftext|>" inside it is plain text, never the special token. */
  encode(text: string): EncodeResult;
  /** Encode trusted text where each literal "<|endoftext|>" becomes `eotId`. */
  encodeWithSpecial(text: string): EncodeResult;
  /** Text of an id sequence. Never throws: ids out of range become U+FFFD, eot becomes "". */
  decode(ids: ArrayLike<number>): string;
  /**
   * The text of one token, for pictures: its decoded characters; for a BPE token
   * holding part of a UTF-8 sequence, a readable form like "<e3><81>".
   */
  tokenText(id: number): string;
  /** A JSON-safe description, enough to rebuild the tokenizer exactly. */
  toJSON(): TokenizerJSON;
}

/** Saved form of a character tokenizer (layout documented in char.ts). */
export interface CharTokenizerJSON {
  kind: "char";
  version: 1;
  vocabSize: number;
  /** one code point (or lone surrogate) per entry, in id order starting at the first character id */
  chars: string[];
}

/** Saved form of a byte-level BPE tokenizer (layout documented in bpe.ts). */
export interface BpeTokenizerJSON {
  kind: "bpe";
  version: 1;
  vocabSize: number;
  /** name of the pre-splitter the merges were learned with */
  splitter: string;
  /** merge i joins ids [left, right] into the new id FIRST_MERGE_ID + i */
  merges: [number, number][];
}

/** Saved form of GPT-2's own tokenizer (gpt2.ts): its symbols in id order and its merges. */
export interface Gpt2TokenizerJSON {
  kind: "gpt2";
  version: 1;
  vocabSize: number;
  /** vocab.json's symbols by id */
  symbols: string[];
  /** merges.txt's lines ("left right") in rank order */
  merges: string[];
}

/** Saved form of nanoGPT's character vocabulary (nanogpt-char.ts): meta.pkl's itos. */
export interface NanoGptCharTokenizerJSON {
  kind: "nanogpt-char";
  version: 1;
  vocabSize: number;
  itos: string[];
}

/** Saved form of a character BPE with byte fallback (layout documented in char-bpe.ts). */
export interface CharBpeTokenizerJSON {
  kind: "charbpe";
  version: 1;
  vocabSize: number;
  splitter: string;
  /** the base characters, ids 257… in this order */
  chars: string[];
  /** merge j joins ids [left, right] (both ≥ 257) into id 257 + chars.length + j */
  merges: [number, number][];
}

export type TokenizerJSON = CharTokenizerJSON | BpeTokenizerJSON | CharBpeTokenizerJSON | Gpt2TokenizerJSON | NanoGptCharTokenizerJSON;
