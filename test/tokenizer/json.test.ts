import { describe, expect, it } from "vitest";
import { trainBpeTokenizer } from "../../src/tokenizer/bpe.ts";
import { trainCharTokenizer } from "../../src/tokenizer/char.ts";
import type { Tokenizer } from "../../src/tokenizer/tokenizer.ts";
import { tokenizerFromJSON } from "../../src/tokenizer/from-json.ts";
import { ROUND_TRIP_SAMPLES, mixedCorpus } from "./samples.ts";

/** Save as a checkpoint would (JSON text), load, and compare encodings of every sample. */
function expectSameAfterReload(original: Tokenizer): void {
  const saved = JSON.stringify(original.toJSON());
  for (const reloaded of [tokenizerFromJSON(JSON.parse(saved)), tokenizerFromJSON(saved)]) {
    expect(reloaded.kind).toBe(original.kind);
    expect(reloaded.vocabSize).toBe(original.vocabSize);
    expect(reloaded.toJSON()).toEqual(original.toJSON());
    for (const text of [...Object.values(ROUND_TRIP_SAMPLES), mixedCorpus().slice(0, 300)]) {
      expect(reloaded.encode(text)).toEqual(original.encode(text));
    }
  }
}

describe("tokenizer JSON round trip", () => {
  it("rebuilds a BPE tokenizer exactly", () => {
    expectSameAfterReload(trainBpeTokenizer(mixedCorpus(), 400));
  });

  it("rebuilds a char tokenizer exactly, lone surrogates included", () => {
    const tokenizer = trainCharTokenizer(Object.values(ROUND_TRIP_SAMPLES).join(""));
    expect(tokenizer.getChars()).toContain("\uD800");
    expectSameAfterReload(tokenizer);
  });
});

describe("corrupt tokenizer JSON is refused with a clear message", () => {
  const bpe = () => trainBpeTokenizer("aaabdaaabac", 1000).toJSON() as unknown as Record<string, unknown>;
  const char = () => trainCharTokenizer("abc").toJSON() as unknown as Record<string, unknown>;

  it.each<[string, () => unknown, RegExp]>([
    ["not JSON text", () => "{kind:", /tokenizer JSON is not valid JSON/],
    ["not an object", () => 42, /tokenizer JSON must be an object, got 42/],
    ["an array", () => [], /tokenizer JSON must be an object, got an array of 0/],
    [
      "wrong kind",
      () => ({ ...bpe(), kind: "wordpiece" }),
      /unknown tokenizer kind "wordpiece" \(expected "char", "bpe", "charbpe", "gpt2" or "nanogpt-char"\)/,
    ],
    ["missing kind", () => ({ ...bpe(), kind: undefined }), /unknown tokenizer kind nothing \(missing\)/],
    ["future version", () => ({ ...bpe(), version: 2 }), /BPE tokenizer JSON: unsupported version 2 \(this build reads version 1\)/],
    ["missing merges", () => ({ ...bpe(), merges: undefined }), /BPE tokenizer JSON: "merges" must be an array, got nothing \(missing\)/],
    ["missing vocabSize", () => ({ ...bpe(), vocabSize: undefined }), /"vocabSize" must be an integer, got nothing/],
    ["vocabSize mismatch", () => ({ ...bpe(), vocabSize: 300 }), /vocabSize is 300 but 3 merges give 260/],
    ["unknown splitter", () => ({ ...bpe(), splitter: "gpt2-regex" }), /splitter is "gpt2-regex", this build only has "chunks-v1"/],
    [
      "merge referring to an unknown id",
      () => ({
        ...bpe(),
        merges: [
          [97, 97],
          [97, 300],
        ],
        vocabSize: 259,
      }),
      /merges\[1\] = \[97,300\] refers to id 300, which does not exist before this merge creates id 258/,
    ],
    ["merge referring to itself", () => ({ ...bpe(), merges: [[97, 257]], vocabSize: 258 }), /merges\[0\] = \[97,257\] refers to id 257/],
    ["merge using eot", () => ({ ...bpe(), merges: [[256, 97]], vocabSize: 258 }), /merges\[0\] = \[256,97\] uses the end-of-text id 256/],
    [
      "merge that is not a pair",
      () => ({ ...bpe(), merges: [[97, 98, 99]], vocabSize: 258 }),
      /merges\[0\] must be a pair \[left, right\], got an array of 3/,
    ],
    ["non-integer id", () => ({ ...bpe(), merges: [[97, "b"]], vocabSize: 258 }), /refers to id "b"/],
    [
      "repeated merge",
      () => ({
        ...bpe(),
        merges: [
          [97, 98],
          [97, 98],
        ],
        vocabSize: 259,
      }),
      /merges\[1\] repeats the pair \[97,98\] of merges\[0\]/,
    ],
    ["char: missing chars", () => ({ ...char(), chars: undefined }), /char tokenizer JSON: "chars" must be an array, got nothing/],
    [
      "char: two characters in one entry",
      () => ({ ...char(), chars: ["a", "bc", "d"] }),
      /chars\[1\] is "bc": each entry must be exactly one character/,
    ],
    ["char: duplicate", () => ({ ...char(), chars: ["a", "b", "a"] }), /chars\[2\] repeats "a" of chars\[0\]/],
    ["char: vocabSize mismatch", () => ({ ...char(), vocabSize: 9 }), /vocabSize is 9 but 3 chars give 5/],
    ["char: not a string", () => ({ ...char(), chars: ["a", 7, "c"] }), /chars\[1\] is 7/],
  ])("refuses %s", (_name, makeJson, message) => {
    expect(() => tokenizerFromJSON(makeJson())).toThrow(message);
  });
});
