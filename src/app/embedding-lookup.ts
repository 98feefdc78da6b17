/**
 * Which token a look-up of a word's vector uses (`embeddings --text`, `/explain embeddings`).
 * A vector belongs to one token, but a word may be several tokens, a character may be byte
 * pieces (byte fallback), and an English word inside a sentence is usually the token with its
 * leading space (" the", " cat"), a different token from the word alone.
 *   1. encode the text as typed, label its tokens (pieces.ts: "猫 1/3");
 *   2. if it does not begin with a space, encode " " + text: when that is one token it exists
 *      as a whole word;
 *   3. one token: use it (and name the spaced word when it is a token too);
 *      several tokens and the spaced word is one: use the spaced word;
 *      otherwise: use the first token.
 * Options are trimmed on every surface, so a leading space cannot be typed: a leading ␣ (the
 * mark the pictures draw for a space) stands for it, "␣the" asks for " the".
 */
import type { TokenLookupFacts } from "../explain/token-lookup.ts";
import { tokenPieces } from "../tokenizer/pieces.ts";
import type { Tokenizer } from "../tokenizer/tokenizer.ts";

export type { TokenLookupFacts } from "../explain/token-lookup.ts";

/** Typed at the start of a look-up, stands for a leading space. */
export const SPACE_MARK = "\u2423";

/** The token to look up for `text` (see the header); throws on text without any token. */
export function lookUpToken(tokenizer: Tokenizer, typed: string): TokenLookupFacts {
  const text = typed.startsWith(SPACE_MARK) ? ` ${typed.slice(SPACE_MARK.length)}` : typed;
  // 1. the text's own tokens
  const ids = tokenizer.encode(text).ids;
  if (ids.length === 0) throw new Error(`the text ${JSON.stringify(text)} has no tokens to look up`);
  const pieces = tokenPieces(tokenizer, ids);
  // 2. the word with a leading space, when it is one token
  let spaced: TokenLookupFacts["alsoSpaced"] = null;
  if (!/^\s/u.test(text)) {
    const spacedIds = tokenizer.encode(` ${text}`).ids;
    if (spacedIds.length === 1)
      spaced = { text: `${SPACE_MARK}${text}`, id: spacedIds[0], label: tokenPieces(tokenizer, spacedIds)[0].label };
  }
  // 3. the choice
  const labels = pieces.map((p) => p.label);
  if (ids.length > 1 && spaced !== null) {
    return { text, id: spaced.id, label: spaced.label, pieces: labels, used: "space", bytePiece: false, alsoSpaced: null };
  }
  return {
    text,
    id: ids[0],
    label: pieces[0].label,
    pieces: labels,
    used: ids.length === 1 ? "only" : "first",
    bytePiece: pieces[0].partial,
    alsoSpaced: ids.length === 1 ? spaced : null,
  };
}
