import { describe, expect, it } from "vitest";
import { MAX_CHUNK_CODE_POINTS, splitIntoChunks } from "../../src/tokenizer/chunks.ts";
import { ROUND_TRIP_SAMPLES, randomUnicodeString, seededRandom } from "./samples.ts";

describe("splitIntoChunks (BPE pre-splitter)", () => {
  it("splits English words with their leading space, numbers and punctuation apart", () => {
    expect(splitIntoChunks("Hello world, it's 2024!")).toEqual(["Hello", " world", ",", " it", "'", "s", " 2024", "!"]);
  });

  it("keeps only the last space of a run for the next word", () => {
    expect(splitIntoChunks("a   b\n\n c")).toEqual(["a", "  ", " b", "\n\n", " c"]);
  });

  it("gives each Japanese script its own runs", () => {
    expect(splitIntoChunks("「昨日は雨だったけど、今日は晴れだった。」")).toEqual([
      "「",
      "昨日",
      "は",
      "雨",
      "だったけど",
      "、",
      "今日",
      "は",
      "晴",
      "れだった",
      "。」",
    ]);
    expect(splitIntoChunks("コーヒーを飲みたい")).toEqual(["コーヒー", "を", "飲", "みたい"]);
  });

  it("keeps combining marks and emoji sequences with what they modify", () => {
    expect(splitIntoChunks("cafe\u0301 ❤\uFE0F")).toEqual(["cafe\u0301", " ❤\uFE0F"]);
    expect(splitIntoChunks("👩🏽‍💻👨‍👩‍👧‍👦 🇯🇵")).toEqual(["👩🏽‍💻👨‍👩‍👧‍👦", " 🇯🇵"]);
  });

  it("puts a lone surrogate in a chunk of its own class without crashing", () => {
    expect(splitIntoChunks("a\uDC00b")).toEqual(["a", "\uDC00", "b"]);
  });

  it("cuts very long runs", () => {
    const chunks = splitIntoChunks("x".repeat(MAX_CHUNK_CODE_POINTS * 2 + 5));
    expect(chunks.map((c) => c.length)).toEqual([MAX_CHUNK_CODE_POINTS, MAX_CHUNK_CODE_POINTS, 5]);
  });

  it("loses nothing: the chunks concatenate to the input", () => {
    const random = seededRandom(7);
    const inputs = [...Object.values(ROUND_TRIP_SAMPLES)];
    for (let i = 0; i < 200; i++) inputs.push(randomUnicodeString(random, 40));
    for (const text of inputs) {
      const chunks = splitIntoChunks(text);
      expect(chunks.join("")).toBe(text);
      expect(chunks.every((c) => c.length > 0)).toBe(true);
    }
  });
});
