import { describe, expect, it } from "vitest";
import { CHAR_EOT_ID, CHAR_UNKNOWN_ID, trainCharTokenizer } from "../../src/tokenizer/char.ts";
import { ROUND_TRIP_SAMPLES } from "./samples.ts";

describe("character tokenizer", () => {
  it("round-trips every sample when trained on it", () => {
    const samples = Object.values(ROUND_TRIP_SAMPLES);
    const tokenizer = trainCharTokenizer(samples.join(""));
    for (const [name, text] of Object.entries(ROUND_TRIP_SAMPLES)) {
      const encoded = tokenizer.encode(text);
      expect(encoded.unknown, name).toBe(0);
      expect(tokenizer.decode(encoded.ids), name).toBe(text);
    }
  });

  it("treats a code point outside the BMP as one character and a lone surrogate as another", () => {
    const tokenizer = trainCharTokenizer("😀a\uDC00");
    expect(tokenizer.vocabSize).toBe(2 + 3);
    expect(tokenizer.encode("😀").ids).toHaveLength(1);
    expect(tokenizer.encode("a\uDC00😀").ids).toHaveLength(3);
    expect(tokenizer.tokenText(tokenizer.encode("😀").ids[0]!)).toBe("😀");
  });

  it("encodes unseen characters as the visible unknown token and counts them", () => {
    const tokenizer = trainCharTokenizer("abc");
    const encoded = tokenizer.encode("abcX");
    expect(encoded.ids).toHaveLength(4);
    expect(encoded.unknown).toBe(1);
    expect(encoded.ids[3]).toBe(CHAR_UNKNOWN_ID);
    expect(tokenizer.decode(encoded.ids)).toBe("abc\uFFFD");
    expect(tokenizer.tokenText(CHAR_UNKNOWN_ID)).toBe("<unk>");
    const emoji = tokenizer.encode("a👩🏽‍💻");
    expect(emoji.unknown).toBe(4); // woman, skin tone, ZWJ, laptop
    expect(emoji.ids).toHaveLength(5);
  });

  it("builds the same vocabulary whatever the corpus order, sorted by code point", () => {
    const a = trainCharTokenizer("cab😀あ");
    const b = trainCharTokenizer("あ😀bca");
    expect(a.toJSON()).toEqual(b.toJSON());
    expect(a.getChars()).toEqual(["a", "b", "c", "あ", "😀"]);
  });

  it("keeps the most frequent characters when maxVocabSize is given", () => {
    const tokenizer = trainCharTokenizer("aaaabbbcdz", { maxVocabSize: 4 });
    expect(tokenizer.vocabSize).toBe(4);
    expect(tokenizer.getChars()).toEqual(["a", "b"]);
    expect(tokenizer.encode("abc").unknown).toBe(1);
    expect(() => trainCharTokenizer("a", { maxVocabSize: 1 })).toThrow(/maxVocabSize must be an integer ≥ 2.*got 1/);
  });

  it("never throws when decoding ids that do not exist", () => {
    const tokenizer = trainCharTokenizer("ab");
    expect(tokenizer.decode([2, 99, -1, 1.5, Number.NaN, 3, CHAR_EOT_ID])).toBe("a\uFFFD\uFFFD\uFFFD\uFFFDb");
    expect(() => tokenizer.tokenText(99)).toThrow(/token id 99 is outside the char vocabulary 0…3/);
  });
});
