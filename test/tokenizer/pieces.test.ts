import { describe, expect, it } from "vitest";
import { BpeTokenizer } from "../../src/tokenizer/bpe.ts";
import { trainCharBpeTokenizer } from "../../src/tokenizer/char-bpe.ts";
import { trainCharTokenizer } from "../../src/tokenizer/char.ts";
import { visibleToken } from "../../src/render/text.ts";
import { decodeWholeCharacters, labelAfter, partialCharacterShare, tokenPieces } from "../../src/tokenizer/pieces.ts";
import { ROUND_TRIP_SAMPLES, mixedCorpus, randomUnicodeString, seededRandom } from "./samples.ts";

const charBpe = trainCharBpeTokenizer(mixedCorpus(), 500);
const bytesOnly = new BpeTokenizer([]);

describe("token pieces: partial characters shown as part of their character", () => {
  it("labels byte-fallback pieces as 猫 1/3, 猫 2/3, 猫 3/3 and whole tokens as their text", () => {
    const ids = charBpe.encode("雨の猫").ids; // 猫 is not in the corpus: three byte tokens
    const pieces = tokenPieces(charBpe, ids);
    expect(pieces.map((p) => p.label)).toEqual(["雨", "の", "猫\u00a01/3", "猫\u00a02/3", "猫\u00a03/3"]);
    expect(pieces.map((p) => p.partial)).toEqual([false, false, true, true, true]);
    expect(pieces.some((p) => p.incomplete)).toBe(false);
    // pictures pass labels through visibleToken, which marks a real space as ␣: the gap is not one
    expect(pieces.map((p) => visibleToken(p.label))).toEqual(pieces.map((p) => p.label));
  });

  it("labels a byte BPE token spanning several bytes of one character with a range", () => {
    const merged = new BpeTokenizer([[0xe7, 0x8c]]); // the first two bytes of 猫 as one token
    const pieces = tokenPieces(merged, merged.encode("猫").ids);
    expect(pieces.map((p) => p.label)).toEqual(["猫\u00a01–2/3", "猫\u00a03/3"]);
  });

  it("flags bytes that never complete a character, shown as hex", () => {
    const pieces = tokenPieces(charBpe, [0xe7, 0x8c]); // a prediction that stops inside 猫
    expect(pieces.map((p) => p.label)).toEqual(["<e7>…", "<8c>…"]);
    expect(pieces.every((p) => p.incomplete && p.partial)).toBe(true);
  });

  it("labels a predicted token by the context it follows", () => {
    const [b1, b2, b3] = charBpe.encode("猫").ids as [number, number, number];
    const rain = charBpe.encode("雨").ids;
    expect(labelAfter(charBpe, [...rain, b1, b2], b3)).toMatchObject({ label: "猫\u00a03/3", partial: true, incomplete: false });
    expect(labelAfter(charBpe, rain, b1)).toMatchObject({ label: "<e7>…", incomplete: true });
    expect(labelAfter(charBpe, [], rain[0]!)).toMatchObject({ label: "雨", partial: false });
  });

  it("over random text the labels of whole tokens spell the text, and shares count partial tokens", () => {
    const random = seededRandom(11);
    for (let i = 0; i < 200; i++) {
      const text = randomUnicodeString(random, 20);
      const ids = charBpe.encode(text).ids;
      const pieces = tokenPieces(charBpe, ids);
      expect(pieces).toHaveLength(ids.length);
      // a whole token is labelled with its own text
      for (const p of pieces) if (!p.partial) expect(p.label).toBe(charBpe.decode([p.id]));
      const share = partialCharacterShare(charBpe, ids);
      expect(share).toBeCloseTo(ids.length === 0 ? 0 : pieces.filter((p) => p.partial).length / ids.length, 12);
    }
    // a character tokenizer never splits a character
    const chars = trainCharTokenizer(mixedCorpus());
    expect(partialCharacterShare(chars, chars.encode(ROUND_TRIP_SAMPLES.japanese!).ids)).toBe(0);
    // bytes only: every token of Japanese text is partial
    expect(partialCharacterShare(bytesOnly, bytesOnly.encode("今日は").ids)).toBe(1);
    expect(partialCharacterShare(charBpe, charBpe.encode("今日は").ids)).toBe(0);
  });

  it("decodes on character boundaries: a character cut short at the end is left out, not shown as U+FFFD", () => {
    const ids = charBpe.encode("雨の猫").ids;
    expect(decodeWholeCharacters(charBpe, ids)).toBe("雨の猫");
    expect(decodeWholeCharacters(charBpe, ids.slice(0, -1))).toBe("雨の"); // 猫 without its last byte
    expect(decodeWholeCharacters(charBpe, ids.slice(0, -2))).toBe("雨の");
    expect(charBpe.decode(ids.slice(0, -1))).toBe("雨の\uFFFD"); // what plain decoding shows
    // invalid bytes inside the text stay visible; so does a lone surrogate
    expect(decodeWholeCharacters(charBpe, [0x8c, ...charBpe.encode("雨").ids])).toBe("\uFFFD雨");
    expect(decodeWholeCharacters(charBpe, charBpe.encode("a\uD800").ids)).toBe("a\uD800");
    const random = seededRandom(4);
    for (let i = 0; i < 100; i++) {
      const text = randomUnicodeString(random, 16);
      expect(decodeWholeCharacters(charBpe, charBpe.encode(text).ids)).toBe(text);
    }
  });
});
