import { describe, expect, it } from "vitest";
import { BPE_EOT_ID } from "../../src/tokenizer/bpe-ids.ts";
import { mergePairInto } from "../../src/tokenizer/bpe-train.ts";
import {
  CharBpeTokenizer,
  FIRST_CHARACTER_ID,
  charBpeTokenizerFromJSON,
  chooseCharacters,
  trainCharBpeTokenizer,
} from "../../src/tokenizer/char-bpe.ts";
import { splitIntoChunks } from "../../src/tokenizer/chunks.ts";
import { tokenizerFromJSON } from "../../src/tokenizer/from-json.ts";
import { encodeWtf8 } from "../../src/tokenizer/wtf8.ts";
import { ROUND_TRIP_SAMPLES, mixedCorpus, randomUnicodeString, seededRandom } from "./samples.ts";

/** Reference encoder: base ids, then every merge applied in training order (slow, obviously right). */
function encodeByApplyingMergesInOrder(tokenizer: CharBpeTokenizer, text: string): number[] {
  const merges = tokenizer.getMerges();
  return splitIntoChunks(text).flatMap((chunk) => {
    let tokens = tokenizer.baseIds(chunk);
    merges.forEach(([left, right], rank) => (tokens = mergePairInto(tokens, left, right, tokenizer.firstMergeId + rank)));
    return tokens;
  });
}

/** Random text drawn mostly from the corpus's characters, with rare foreign ones. */
function randomCorpusLikeText(random: () => number, corpusChars: string[], length: number): string {
  let text = "";
  for (let i = 0; i < length; i++) {
    text += random() < 0.9 ? corpusChars[Math.floor(random() * corpusChars.length)] : randomUnicodeString(random, 1);
  }
  return text;
}

describe("character BPE: the base characters", () => {
  it("keeps the most frequent characters up to the coverage, sorted by code point", () => {
    // counts: a 6, b 3, c 1 (10 in all)
    const text = "aaaaaabbbc";
    expect(chooseCharacters(text, 0.6, 1, 100)).toEqual(["a"]);
    expect(chooseCharacters(text, 0.9, 1, 100)).toEqual(["a", "b"]);
    expect(chooseCharacters(text, 1, 1, 100)).toEqual(["a", "b", "c"]);
    expect(chooseCharacters(text, 1, 2, 100)).toEqual(["a", "b"]); // c seen once
    expect(chooseCharacters(text, 1, 1, 1)).toEqual(["a"]); // the vocabulary's limit
    expect(chooseCharacters("ba<|endoftext|>b", 1, 1, 100)).toEqual(["a", "b"]); // separators are not text
  });

  it("makes frequent kanji, kana and emoji whole tokens", () => {
    const tokenizer = trainCharBpeTokenizer(mixedCorpus(), 600);
    for (const ch of ["雨", "晴", "今", "は", "コ", "👋"]) {
      const ids = tokenizer.encode(ch).ids;
      expect(ids, ch).toHaveLength(1);
      expect(tokenizer.isByteToken(ids[0]!)).toBe(false);
      expect(tokenizer.tokenText(ids[0]!)).toBe(ch);
    }
  });

  it("learns merges on top of the characters and stops at vocabSize", () => {
    const tokenizer = trainCharBpeTokenizer(mixedCorpus(), 300);
    expect(tokenizer.vocabSize).toBe(300);
    const chars = tokenizer.getChars();
    expect(tokenizer.firstMergeId).toBe(FIRST_CHARACTER_ID + chars.length);
    expect(tokenizer.getMerges().length).toBe(300 - tokenizer.firstMergeId);
    const bigger = trainCharBpeTokenizer(mixedCorpus(), 600);
    expect(bigger.encode("今日は").ids.length).toBeLessThan(3);
    expect(bigger.tokenText(bigger.encode(" today").ids[0]!)).toBe(" today");
  });

  it("is deterministic and encodes by rank exactly as applying the merges in order", () => {
    const a = trainCharBpeTokenizer(mixedCorpus(), 500);
    const b = trainCharBpeTokenizer(mixedCorpus(), 500);
    expect(a.toJSON()).toEqual(b.toJSON());
    const random = seededRandom(7);
    const chars = a.getChars();
    for (let i = 0; i < 100; i++) {
      const text = randomCorpusLikeText(random, chars, 30);
      expect(a.encode(text).ids, JSON.stringify(text)).toEqual(encodeByApplyingMergesInOrder(a, text));
    }
    for (const line of mixedCorpus().split("\n")) expect(a.encode(line).ids).toEqual(encodeByApplyingMergesInOrder(a, line));
  });
});

describe("character BPE: byte fallback and round trip", () => {
  const tokenizer = trainCharBpeTokenizer(mixedCorpus(), 500);

  it.each(Object.entries(ROUND_TRIP_SAMPLES))("round-trips %s with no unknown token", (_name, text) => {
    const encoded = tokenizer.encode(text);
    expect(encoded.unknown).toBe(0);
    expect(tokenizer.decode(encoded.ids)).toBe(text);
  });

  it("writes a character it never saw as its UTF-8 bytes, never merged", () => {
    const ids = tokenizer.encode("猫").ids; // not in the corpus
    expect(ids).toEqual([0xe7, 0x8c, 0xab]);
    expect(ids.every((id) => tokenizer.isByteToken(id))).toBe(true);
    // a lone surrogate falls back to its 3-byte WTF-8 form
    expect(tokenizer.encode("\uD800").ids).toEqual(Array.from(encodeWtf8("\uD800")));
    // no merge ever holds a byte or eot, even when a low coverage leaves many characters to bytes
    const lowCoverage = trainCharBpeTokenizer(mixedCorpus(), 500, { characterCoverage: 0.8 });
    expect(lowCoverage.encode(mixedCorpus()).ids.filter((id) => lowCoverage.isByteToken(id)).length).toBeGreaterThan(100);
    for (const [left, right] of lowCoverage.getMerges()) {
      expect(left).toBeGreaterThanOrEqual(FIRST_CHARACTER_ID);
      expect(right).toBeGreaterThanOrEqual(FIRST_CHARACTER_ID);
    }
  });

  it("round-trips 400 random strings from many Unicode planes (seeded), twice through the cache", () => {
    const random = seededRandom(42);
    for (let i = 0; i < 400; i++) {
      const text = randomUnicodeString(random, 24);
      const ids = tokenizer.encode(text).ids;
      expect(tokenizer.decode(ids), JSON.stringify(text)).toBe(text);
      expect(tokenizer.encode(text).ids).toEqual(ids);
      expect(ids.every((id) => Number.isInteger(id) && id >= 0 && id < tokenizer.vocabSize && id !== BPE_EOT_ID)).toBe(true);
    }
  });

  it("round-trips random text of the corpus's own characters mixed with foreign ones, token by token", () => {
    const random = seededRandom(3);
    const chars = tokenizer.getChars();
    for (let i = 0; i < 200; i++) {
      const text = randomCorpusLikeText(random, chars, 40);
      const ids = tokenizer.encode(text).ids;
      expect(tokenizer.decode(ids)).toBe(text);
      // the bytes of the tokens, concatenated, are the text's WTF-8 bytes
      const bytes = ids.flatMap((id) => Array.from(tokenizer.tokenBytes(id)));
      expect(bytes).toEqual(Array.from(encodeWtf8(text)));
    }
  });

  it("separates documents with eot only in encodeWithSpecial", () => {
    expect(tokenizer.encode("a<|endoftext|>b").ids).not.toContain(BPE_EOT_ID);
    const ids = tokenizer.encodeWithSpecial("雨<|endoftext|>雨").ids;
    expect(ids).toEqual([...tokenizer.encode("雨").ids, BPE_EOT_ID, ...tokenizer.encode("雨").ids]);
    expect(tokenizer.decode(ids)).toBe("雨雨");
    expect(tokenizer.tokenText(BPE_EOT_ID)).toBe("<|endoftext|>");
  });

  it("decodes any id sequence without throwing", () => {
    expect(tokenizer.decode([0xe3, 0x81])).toBe("\uFFFD");
    expect(tokenizer.decode([97, 99_999, -1, 98])).toBe("a\uFFFD\uFFFDb");
    expect(tokenizer.tokenText(0xe7)).toBe("<e7>");
    expect(() => tokenizer.tokenText(tokenizer.vocabSize)).toThrow(
      `token id ${tokenizer.vocabSize} is outside the character BPE vocabulary`,
    );
  });
});

describe("character BPE: saved form", () => {
  const tokenizer = trainCharBpeTokenizer(mixedCorpus(), 450);

  it("rebuilds exactly from its JSON, also through the JSON string a checkpoint stores", () => {
    const json = tokenizer.toJSON();
    expect(json.kind).toBe("charbpe");
    const back = tokenizerFromJSON(JSON.stringify(json));
    expect(back).toBeInstanceOf(CharBpeTokenizer);
    expect(back.vocabSize).toBe(tokenizer.vocabSize);
    for (const text of Object.values(ROUND_TRIP_SAMPLES)) expect(back.encode(text).ids).toEqual(tokenizer.encode(text).ids);
  });

  it("refuses a broken saved form, naming what is wrong", () => {
    const json = tokenizer.toJSON();
    expect(() => charBpeTokenizerFromJSON({ ...json, vocabSize: json.vocabSize + 1 })).toThrow(
      `vocabSize is ${json.vocabSize + 1} but ${json.chars.length} characters and ${json.merges.length} merges give ${json.vocabSize}`,
    );
    expect(() => charBpeTokenizerFromJSON({ ...json, version: 2 })).toThrow("unsupported version 2");
    expect(() => new CharBpeTokenizer(["a", "a"], [])).toThrow('chars[1] repeats "a" of chars[0]');
    expect(() => new CharBpeTokenizer(["ab"], [])).toThrow('chars[0] is "ab": each entry must be exactly one character');
    expect(() => new CharBpeTokenizer(["a"], [[97, 257]])).toThrow("refers to id 97");
    expect(() => new CharBpeTokenizer(["a"], [[257, 258]])).toThrow("refers to id 258");
    expect(
      () =>
        new CharBpeTokenizer(
          ["a"],
          [
            [257, 257],
            [257, 257],
          ],
        ),
    ).toThrow("merges[1] repeats the pair [257,257]");
    expect(() => trainCharBpeTokenizer("abc", 100)).toThrow("from 257 (256 bytes + eot)");
    expect(() => trainCharBpeTokenizer("abc", 300, { characterCoverage: 0 })).toThrow("characterCoverage must be in (0, 1], got 0");
  });
});
