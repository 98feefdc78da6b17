/**
 * The end-of-text token shared by both tokenizers, and the helper that turns
 * the literal separator in trusted text into that token.
 */
import type { EncodeResult } from "./tokenizer.ts";

/** How the end-of-text token is written in corpora and shown in pictures (GPT-2's spelling). */
export const END_OF_TEXT = "<|endoftext|>";

/**
 * Encode trusted text whose documents are separated by the literal END_OF_TEXT.
 *   1. split the text at every literal separator;
 *   2. encode each piece as ordinary text;
 *   3. join the pieces' ids with one eot id between neighbours.
 * "a<|endoftext|>b" → ids(a), eot, ids(b); a trailing separator gives a trailing eot.
 */
export function encodeSeparatedByEndOfText(text: string, eotId: number, encodePlain: (piece: string) => EncodeResult): EncodeResult {
  const pieces = text.split(END_OF_TEXT);
  const ids: number[] = [];
  let unknown = 0;
  pieces.forEach((piece, index) => {
    if (index > 0) ids.push(eotId);
    const encoded = encodePlain(piece);
    for (const id of encoded.ids) ids.push(id);
    unknown += encoded.unknown;
  });
  return { ids, unknown };
}

/** The documents of a training corpus: the text between literal separators. */
export function splitDocuments(corpus: string): string[] {
  return corpus.split(END_OF_TEXT);
}
