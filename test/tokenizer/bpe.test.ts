import { describe, expect, it } from "vitest";
import { BPE_EOT_ID, FIRST_MERGE_ID } from "../../src/tokenizer/bpe-ids.ts";
import { mergePairInto } from "../../src/tokenizer/bpe-train.ts";
import { BpeTokenizer, trainBpeTokenizer } from "../../src/tokenizer/bpe.ts";
import { splitIntoChunks } from "../../src/tokenizer/chunks.ts";
import { encodeWtf8 } from "../../src/tokenizer/wtf8.ts";
import { ROUND_TRIP_SAMPLES, mixedCorpus, randomUnicodeString, seededRandom } from "./samples.ts";

const [A, B, C, D] = [97, 98, 99, 100];

/** Reference encoder: apply every merge in training order to every chunk (slow, obviously right). */
function encodeByApplyingMergesInOrder(tokenizer: BpeTokenizer, text: string): number[] {
  const merges = tokenizer.getMerges();
  return splitIntoChunks(text).flatMap((chunk) => {
    let tokens = Array.from(encodeWtf8(chunk));
    merges.forEach(([left, right], rank) => (tokens = mergePairInto(tokens, left, right, FIRST_MERGE_ID + rank)));
    return tokens;
  });
}

/** Reference trainer: recount every pair before each merge (slow, obviously right). */
function learnMergesByRecounting(corpus: string, mergeCount: number): [number, number][] {
  const wordCounts = new Map<string, number>();
  for (const chunk of splitIntoChunks(corpus)) wordCounts.set(chunk, (wordCounts.get(chunk) ?? 0) + 1);
  let words = [...wordCounts].map(([chunk, count]) => ({ tokens: Array.from(encodeWtf8(chunk)), count }));
  const merges: [number, number][] = [];
  while (merges.length < mergeCount) {
    const counts = new Map<string, number>();
    for (const { tokens, count } of words) {
      for (let i = 0; i + 1 < tokens.length; i++) {
        const key = `${tokens[i]},${tokens[i + 1]}`;
        counts.set(key, (counts.get(key) ?? 0) + count);
      }
    }
    let best: [number, number] | undefined;
    let bestCount = 1; // minPairCount 2
    for (const [key, count] of counts) {
      const pair = key.split(",").map(Number) as [number, number];
      const smaller = best === undefined || pair[0] < best[0] || (pair[0] === best[0] && pair[1] < best[1]);
      if (count > bestCount || (count === bestCount && best !== undefined && smaller)) {
        best = pair;
        bestCount = count;
      }
    }
    if (best === undefined) break;
    const [left, right] = best;
    const newId = FIRST_MERGE_ID + merges.length;
    merges.push(best);
    words = words.map(({ tokens, count }) => ({ tokens: mergePairInto(tokens, left, right, newId), count }));
  }
  return merges;
}

describe("BPE training on the classic example 'aaabdaaabac'", () => {
  // Worked by hand (one chunk; overlapping pairs count: "aaa" holds (a,a) twice):
  //   counts: aa 4, ab 2, bd 1, da 1, ba 1, ac 1        → merge aa = 257
  //   Z a b d Z a b a c: Za 2, ab 2, …                  → tie at 2: (97,98) < (257,97), merge ab = 258
  //   Z Y d Z Y a c: ZY 2, others 1                     → merge ZY = 259 ("aaab")
  //   X d X a c: Xd, dX, Xa, ac all 1                   → with minPairCount 2 training stops here;
  //   with minPairCount 1 the smallest pair wins: (97,99) "ac" = 260, then (100,259) "daaab" = 261,
  //   then (259,261) = 262, then (262,260) = 263, the whole string.
  it("learns the hand-checked merges, breaking ties by the smaller pair", () => {
    const tokenizer = trainBpeTokenizer("aaabdaaabac", 1000);
    expect(tokenizer.getMerges()).toEqual([
      [A, A],
      [A, B],
      [257, 258],
    ]);
    expect(tokenizer.vocabSize).toBe(260);
    expect(tokenizer.encode("aaabdaaabac").ids).toEqual([259, D, 259, A, C]);
    expect(tokenizer.tokenText(259)).toBe("aaab");
  });

  it("continues down to single occurrences with minPairCount 1", () => {
    const tokenizer = trainBpeTokenizer("aaabdaaabac", 1000, { minPairCount: 1 });
    expect(tokenizer.getMerges()).toEqual([
      [A, A],
      [A, B],
      [257, 258],
      [A, C],
      [D, 259],
      [259, 261],
      [262, 260],
    ]);
    expect(tokenizer.encode("aaabdaaabac").ids).toEqual([263]);
    expect(tokenizer.encode("aab").ids).toEqual([257, B]); // "ab" (258) ranks after "aa" (257)
  });

  it("never merges across chunks", () => {
    // chunks: "ab", " ab", " ab", ",", " ab": the comma is its own chunk, so no token holds it with a letter
    const tokenizer = trainBpeTokenizer("ab ab ab, ab", 1000);
    for (let id = FIRST_MERGE_ID; id < tokenizer.vocabSize; id++) {
      expect(tokenizer.tokenText(id)).not.toContain(",");
    }
    expect(tokenizer.encode(" ab").ids).toHaveLength(1);
  });
});

describe("BPE training on mixed text", () => {
  const corpus = mixedCorpus();

  it("is deterministic: training twice gives identical merges", () => {
    expect(trainBpeTokenizer(corpus, 400).getMerges()).toEqual(trainBpeTokenizer(corpus, 400).getMerges());
  });

  it("learns the same merges as recounting every pair before each merge", () => {
    const text = `${corpus} aaaa aaaaa ああああ ${ROUND_TRIP_SAMPLES.longRun}`; // overlapping runs stress the updates
    expect(trainBpeTokenizer(text, FIRST_MERGE_ID + 150).getMerges()).toEqual(learnMergesByRecounting(text, 150));
  });

  it("respects vocabSize exactly when there is enough to merge", () => {
    for (const size of [257, 258, 300, 420]) expect(trainBpeTokenizer(corpus, size).vocabSize).toBe(size);
    expect(() => trainBpeTokenizer(corpus, 256)).toThrow(/vocabSize must be an integer from 257.*got 256/);
    expect(() => trainBpeTokenizer(corpus, 300.5)).toThrow(/got 300.5/);
  });

  it("learns whole Japanese and English pieces", () => {
    const tokenizer = trainBpeTokenizer(corpus, 600);
    const texts = Array.from({ length: tokenizer.vocabSize - FIRST_MERGE_ID }, (_, i) => tokenizer.tokenText(FIRST_MERGE_ID + i));
    expect(texts).toContain("トークン");
    expect(texts).toContain(" the");
    expect(tokenizer.encode("今日は晴れ").ids.length).toBeLessThan(encodeWtf8("今日は晴れ").length / 2);
  });

  it("encodes by rank exactly as applying the merges in training order", () => {
    const tokenizer = trainBpeTokenizer(corpus, 500);
    const random = seededRandom(11);
    const inputs = [corpus.slice(0, 600), ...Object.values(ROUND_TRIP_SAMPLES)];
    for (let i = 0; i < 50; i++) inputs.push(randomUnicodeString(random, 20));
    for (const text of inputs) expect(tokenizer.encode(text).ids).toEqual(encodeByApplyingMergesInOrder(tokenizer, text));
  });
});

describe("BPE round trip", () => {
  const tokenizer = trainBpeTokenizer(mixedCorpus(), 500);

  it.each(Object.entries(ROUND_TRIP_SAMPLES))("round-trips %s", (_name, text) => {
    const encoded = tokenizer.encode(text);
    expect(encoded.unknown).toBe(0);
    expect(tokenizer.decode(encoded.ids)).toBe(text);
  });

  it("round-trips through an untrained tokenizer (bytes only)", () => {
    const bytesOnly = new BpeTokenizer([]);
    expect(bytesOnly.vocabSize).toBe(257);
    for (const text of Object.values(ROUND_TRIP_SAMPLES)) expect(bytesOnly.decode(bytesOnly.encode(text).ids)).toBe(text);
  });

  it("round-trips 400 random strings from many Unicode planes (seeded)", () => {
    const random = seededRandom(42);
    for (let i = 0; i < 400; i++) {
      const text = randomUnicodeString(random, 24);
      const ids = tokenizer.encode(text).ids;
      expect(tokenizer.decode(ids), JSON.stringify(text)).toBe(text);
      // the chunk cache must give the same answer the second time
      expect(tokenizer.encode(text).ids).toEqual(ids);
    }
  });

  it("decodes any id sequence without throwing; invalid ids and bytes become U+FFFD", () => {
    expect(tokenizer.decode([0xe3, 0x81])).toBe("\uFFFD"); // half a character
    expect(tokenizer.decode([A, 99_999, -3, 1.5, Number.NaN, B])).toBe("a\uFFFD\uFFFD\uFFFD\uFFFDb");
    expect(tokenizer.decode(Int32Array.of(A, BPE_EOT_ID, B))).toBe("ab");
    const random = seededRandom(5);
    for (let i = 0; i < 200; i++) {
      const ids = Array.from({ length: 10 }, () => Math.floor(random() * (tokenizer.vocabSize + 20)) - 10);
      expect(typeof tokenizer.decode(ids)).toBe("string");
    }
  });

  it("shows partial UTF-8 tokens as hex", () => {
    expect(tokenizer.tokenText(0xe3)).toBe("<e3>");
    expect(tokenizer.tokenText(A)).toBe("a");
    expect(() => tokenizer.tokenText(tokenizer.vocabSize)).toThrow(
      `token id ${tokenizer.vocabSize} is outside the BPE vocabulary 0…${tokenizer.vocabSize - 1}`,
    );
  });
});
