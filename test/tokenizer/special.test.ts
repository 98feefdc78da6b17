import { describe, expect, it } from "vitest";
import { trainBpeTokenizer } from "../../src/tokenizer/bpe.ts";
import { FIRST_MERGE_ID } from "../../src/tokenizer/bpe-ids.ts";
import { trainCharTokenizer } from "../../src/tokenizer/char.ts";
import { END_OF_TEXT } from "../../src/tokenizer/special.ts";
import type { Tokenizer } from "../../src/tokenizer/tokenizer.ts";
import { mixedCorpus } from "./samples.ts";

const corpus = [mixedCorpus(), "<|endoftext|> is how documents end", "I typed <|endoftext|> on purpose"].join(END_OF_TEXT);
const tokenizers: [string, Tokenizer][] = [
  ["char", trainCharTokenizer(`${corpus}<|endoftext|>`)], // "<", "|" … are only seen inside separators here
  ["bpe", trainBpeTokenizer(corpus, 500)],
];

describe.each(tokenizers)("end-of-text token (%s)", (kind, tokenizer) => {
  it("is never produced by encode, even for the literal string", () => {
    const text = "before <|endoftext|> after";
    const encoded = tokenizer.encode(text);
    expect(encoded.ids).not.toContain(tokenizer.eotId);
    if (kind === "bpe") expect(tokenizer.decode(encoded.ids)).toBe(text);
  });

  it("is inserted by encodeWithSpecial between documents", () => {
    const a = tokenizer.encode("The weather").ids;
    const b = tokenizer.encode("今日は").ids;
    const joined = tokenizer.encodeWithSpecial(`The weather${END_OF_TEXT}今日は${END_OF_TEXT}`);
    expect(joined.ids).toEqual([...a, tokenizer.eotId, ...b, tokenizer.eotId]);
    expect(tokenizer.encodeWithSpecial("no separator").ids).toEqual(tokenizer.encode("no separator").ids);
  });

  it("decodes to nothing and shows as <|endoftext|>", () => {
    const ids = tokenizer.encodeWithSpecial(`The${END_OF_TEXT}today`).ids;
    expect(tokenizer.decode(ids)).toBe("Thetoday");
    expect(tokenizer.tokenText(tokenizer.eotId)).toBe("<|endoftext|>");
  });
});

describe("training treats the literal separator as a document boundary", () => {
  it("char: the separator's characters are not learned from separators", () => {
    const tokenizer = trainCharTokenizer(`ab${END_OF_TEXT}cd${END_OF_TEXT}`);
    expect(tokenizer.vocabSize).toBe(2 + 4);
  });

  it("bpe: no merge spans or spells the separator", () => {
    const tokenizer = trainBpeTokenizer(Array(30).fill("hi").join(END_OF_TEXT), 400);
    expect(tokenizer.getMerges()).toEqual([[104, 105]]);
    expect(tokenizer.vocabSize).toBe(FIRST_MERGE_ID + 1);
  });
});
