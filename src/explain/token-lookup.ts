/**
 * What a look-up of a word's vector used, said in one or two sentences (en, ja): which token,
 * whether the text was several tokens and only one is shown, whether that token is a byte piece
 * of a character, and whether the word with a leading space (" the") is a token of its own.
 * The facts come from src/app/embedding-lookup.ts; `visible` makes a token label's whitespace
 * visible for the surface (and markdown-safe in /explain); the sentence adds the quotes.
 */
import type { Lang } from "../lang.ts";

export interface TokenLookupFacts {
  /** the text asked for */
  text: string;
  /** the token whose vector is shown: its id and its label ("the", " cat", "猫 1/3") */
  id: number;
  label: string;
  /** the labels of the text's own tokens, in order */
  pieces: string[];
  /** only: the text is that one token; first: the first of its tokens; space: the word with a leading space */
  used: "only" | "first" | "space";
  /** the token used holds part of a character's bytes (byte fallback) */
  bytePiece: boolean;
  /** the leading-space form when it is one token and was not used (the text is one token too); `text` is
   * how to ask for it (a leading ␣ for the space) */
  alsoSpaced: { text: string; id: number; label: string } | null;
}

const LISTED = 6;

type Show = (label: string) => string;

function list(pieces: readonly string[], show: Show, more: (n: number) => string): string {
  const shown = pieces.slice(0, LISTED).map(show).join(" · ");
  return pieces.length > LISTED ? `${shown} ${more(pieces.length - LISTED)}` : shown;
}

const en = (f: TokenLookupFacts, show: Show): string => {
  const used = `${show(f.label)} (id ${f.id})`;
  const pieces = list(f.pieces, show, (n) => `… ${n} more`);
  const bytes = f.bytePiece
    ? " It is a byte piece, not a whole character: this model has no token for that character, so its vector is that of a byte, shared by every character written with the same byte."
    : "";
  if (f.used === "space") {
    return `${show(f.text)} is ${f.pieces.length} tokens (${pieces}); the whole word with a leading space, as it stands inside a sentence, is one token: ${used}. That one is shown.`;
  }
  if (f.used === "first") {
    return `${show(f.text)} is ${f.pieces.length} tokens (${pieces}); only the first, ${used}, is shown.${bytes}`;
  }
  const spaced = f.alsoSpaced
    ? ` Inside a sentence the word comes with its leading space, ${show(f.alsoSpaced.label)} (id ${f.alsoSpaced.id}), another token with a vector of its own: ask for ${show(f.alsoSpaced.text)} (␣ for the space) to see it.`
    : "";
  return `${show(f.text)} is one token, ${used}: its vector is shown.${bytes}${spaced}`;
};

const ja = (f: TokenLookupFacts, show: Show): string => {
  const used = `${show(f.label)}（ID ${f.id}）`;
  const pieces = list(f.pieces, show, (n) => `…ほか${n}個`);
  const bytes = f.bytePiece
    ? "これは文字全体ではなくバイトの一片です。このモデルにはその文字のトークンがないため、同じバイトで書かれるすべての文字が共有する、1バイトのベクトルになります。"
    : "";
  if (f.used === "space") {
    return `${show(f.text)}は${f.pieces.length}トークン（${pieces}）ですが、文の途中に出てくるときの前に空白が付いた形は1トークン${used}なので、そちらを表示しています。`;
  }
  if (f.used === "first") {
    return `${show(f.text)}は${f.pieces.length}トークン（${pieces}）です。表示しているのは最初の${used}だけです。${bytes}`;
  }
  const spaced = f.alsoSpaced
    ? `文の途中では前に空白が付いた${show(f.alsoSpaced.label)}（ID ${f.alsoSpaced.id}）という別のトークンになり、ベクトルも別です。見るには${show(f.alsoSpaced.text)}（␣が空白の代わり）を指定してください。`
    : "";
  return `${show(f.text)}は1トークン${used}で、そのベクトルを表示しています。${bytes}${spaced}`;
};

export function tokenLookupSentence(f: TokenLookupFacts, lang: Lang, visible: Show): string {
  return lang === "ja" ? ja(f, (label) => `「${visible(label)}」`) : en(f, (label) => `“${visible(label)}”`);
}
