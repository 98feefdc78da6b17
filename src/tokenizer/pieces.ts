/**
 * Tokens shown as what they are. A token of a byte-level vocabulary may hold part of a
 * character (a byte-fallback piece of 猫, or a byte BPE token ending inside a character);
 * shown alone its bytes mean nothing ("<e7>"), so in a sequence it is labelled with the
 * character it belongs to and which of that character's bytes it holds: `猫 1/3`.
 *
 *   1. the bytes of all tokens, one after another, with each token's byte range;
 *   2. the characters of those bytes (WTF-8 sequences; invalid bytes are their own "characters");
 *   3. each token: the characters fully inside its range as text, and for a character it
 *      only partly holds, "char k/n" (or "char k–m/n" for several of its bytes);
 *      a character whose bytes never complete (the text ends, or bytes are invalid) is shown
 *      as hex followed by "…" and flagged incomplete.
 */
import type { Tokenizer } from "./tokenizer.ts";
import { decodeWtf8, describeBytes, encodeWtf8, readSequence } from "./wtf8.ts";

/** Between a character and its byte count in a label (`猫 1/3`): a no-break space, which pictures do
 * not mark as a space token (␣) the way they mark a real one. */
export const PIECE_GAP = "\u00a0";

export interface TokenPiece {
  id: number;
  /** what to print: "猫", " the", "猫 1/3", "<e7>…" */
  label: string;
  /** the token starts or ends inside a character */
  partial: boolean;
  /** the token holds bytes of a character that the sequence never completes */
  incomplete: boolean;
}

/** The bytes a token stands for (tokenizers without a byte view: its decoded text). */
export function bytesOfToken(tokenizer: Tokenizer, id: number): Uint8Array {
  const withBytes = tokenizer as Tokenizer & { tokenBytes?: (id: number) => Uint8Array };
  if (typeof withBytes.tokenBytes === "function") return withBytes.tokenBytes(id);
  return encodeWtf8(tokenizer.decode([id]));
}

interface CharSpan {
  start: number;
  end: number;
  /** the character's text, or null for bytes that are not a whole valid character */
  text: string | null;
}

/** Step 2: the characters of a byte string as [start, end) spans. */
function characterSpans(bytes: Uint8Array): CharSpan[] {
  const spans: CharSpan[] = [];
  let i = 0;
  while (i < bytes.length) {
    const packed = readSequence(bytes, i, bytes.length);
    const length = packed < 0 ? -packed : packed % 8;
    const text = packed < 0 ? null : String.fromCodePoint(Math.floor(packed / 8));
    spans.push({ start: i, end: i + length, text });
    i += length;
  }
  return spans;
}

/** Labels for a sequence of token ids (see the header). The eot token is its usual text. */
export function tokenPieces(tokenizer: Tokenizer, ids: readonly number[]): TokenPiece[] {
  // 1. bytes and ranges
  const perToken = ids.map((id) => (id === tokenizer.eotId ? new Uint8Array(0) : bytesOfToken(tokenizer, id)));
  const total = perToken.reduce((n, b) => n + b.length, 0);
  const bytes = new Uint8Array(total);
  const starts: number[] = [];
  let offset = 0;
  for (const b of perToken) {
    starts.push(offset);
    bytes.set(b, offset);
    offset += b.length;
  }
  // 2. characters
  const spans = characterSpans(bytes);
  let first = 0; // first span that may overlap the current token
  // 3. one label per token
  return ids.map((id, t) => {
    if (id === tokenizer.eotId) return { id, label: tokenizer.tokenText(id), partial: false, incomplete: false };
    const a = starts[t]!;
    const b = a + perToken[t]!.length;
    while (first < spans.length && spans[first]!.end <= a) first++;
    const parts: string[] = [];
    let partial = false;
    let incomplete = false;
    for (let s = first; s < spans.length && spans[s]!.start < b; s++) {
      const span = spans[s]!;
      const inside = span.start >= a && span.end <= b;
      if (span.text === null) {
        // bytes that never form a character
        parts.push(`${describeBytes(bytes.subarray(Math.max(a, span.start), Math.min(b, span.end)))}…`);
        incomplete = true;
        partial = true;
      } else if (inside) {
        parts.push(span.text);
      } else {
        const n = span.end - span.start;
        const k = Math.max(a, span.start) - span.start + 1;
        const m = Math.min(b, span.end) - span.start;
        parts.push(`${span.text}${PIECE_GAP}${k === m ? k : `${k}–${m}`}/${n}`);
        partial = true;
      }
    }
    return { id, label: parts.join(""), partial, incomplete };
  });
}

/** Share of tokens (eot excluded) that start or end inside a character. */
export function partialCharacterShare(tokenizer: Tokenizer, ids: readonly number[]): number {
  const pieces = tokenPieces(tokenizer, ids).filter((p) => p.id !== tokenizer.eotId);
  if (pieces.length === 0) return 0;
  return pieces.filter((p) => p.partial).length / pieces.length;
}

/** How many tokens before a candidate can share a character with it (a character has at most 4 bytes). */
const CONTEXT_FOR_LABEL = 3;

/**
 * The label of token `id` written after `context` (a prediction, a sampled token): `猫 3/3`
 * when it completes a character begun in the context, `<e7>…` when it begins one it does not finish.
 */
export function labelAfter(tokenizer: Tokenizer, context: readonly number[], id: number): TokenPiece {
  const tail = context.slice(Math.max(0, context.length - CONTEXT_FOR_LABEL));
  return tokenPieces(tokenizer, [...tail, id]).at(-1)!;
}

/**
 * Text of ids on character boundaries: the bytes of a character that the ids begin but never
 * finish (a reply cut by its token limit inside 猫) are left out instead of showing U+FFFD.
 *   1. all bytes of the ids, one after another;
 *   2. if the last character span is a multi-byte lead cut short by the end, drop it;
 *   3. decode (WTF-8, as the byte tokenizers do; anything else still invalid becomes U+FFFD).
 */
export function decodeWholeCharacters(tokenizer: Tokenizer, ids: readonly number[]): string {
  const parts = ids.map((id) => (id === tokenizer.eotId ? new Uint8Array(0) : bytesOfToken(tokenizer, id)));
  const bytes = new Uint8Array(parts.reduce((n, b) => n + b.length, 0));
  let offset = 0;
  for (const b of parts) {
    bytes.set(b, offset);
    offset += b.length;
  }
  const last = characterSpans(bytes).at(-1);
  const cutShort =
    last !== undefined && last.text === null && last.end === bytes.length && bytes[last.start]! >= 0xc2 && bytes[last.start]! <= 0xf4;
  return decodeWtf8(cutShort ? bytes.subarray(0, last.start) : bytes);
}
