import { describe, expect, it } from "vitest";
import {
  argmax,
  DEFAULT_SAMPLING,
  filteredProbabilities,
  penaliseRepeats,
  pickByCumulative,
  sampleNext,
  topCandidates,
  validateSampling,
} from "../../src/sample/sampling.ts";
import { generate, type GenerateOptions, type LogitSource, modelLogitSource } from "../../src/sample/generate.ts";
import { seededRandom } from "../../src/tensor/random.ts";
import { GPT } from "../../src/model/gpt.ts";
import { presetConfig } from "../../src/model/config.ts";

const logits = Float32Array.from([1.0, 3.0, 0.5, 2.5, -1.0, 2.9]);
const off = { ...DEFAULT_SAMPLING, temperature: 1, topK: 0, topP: 1, repetitionPenalty: 1 };

describe("sampling controls", () => {
  it("temperature 0 is greedy: always the argmax, whatever u is", () => {
    for (const u of [0, 0.3, 0.999]) expect(sampleNext(logits, [], { ...off, temperature: 0 }, u)).toBe(argmax(logits));
  });

  it("top-k never samples outside the k most likely tokens", () => {
    const rng = seededRandom(1);
    const allowed = new Set([1, 5, 3]);
    for (let i = 0; i < 2000; i++) expect(allowed.has(sampleNext(logits, [], { ...off, topK: 3 }, rng.next()))).toBe(true);
  });

  it("top-p keeps the smallest set whose mass reaches p", () => {
    const all = filteredProbabilities(logits, off);
    const order = [1, 5, 3, 0, 2, 4];
    const p = all[1] + all[5] + 0.01; // needs a third token to reach p
    const kept = filteredProbabilities(logits, { ...off, topP: p });
    expect(order.filter((i) => kept[i] > 0)).toEqual([1, 5, 3]);
    const exact = filteredProbabilities(logits, { ...off, topP: all[1] });
    expect(order.filter((i) => exact[i] > 0)).toEqual([1]);
    const sum = kept.reduce((a, b) => a + b, 0);
    expect(sum).toBeCloseTo(1, 12);
  });

  it("temperature flattens or sharpens the distribution", () => {
    const cold = filteredProbabilities(logits, { ...off, temperature: 0.5 });
    const hot = filteredProbabilities(logits, { ...off, temperature: 2 });
    expect(cold[1]).toBeGreaterThan(hot[1]);
    expect(cold[4]).toBeLessThan(hot[4]);
  });

  it("the repetition penalty lowers recent tokens only", () => {
    const p = penaliseRepeats(logits, [1, 4], 2);
    expect(p[1]).toBeCloseTo(1.5, 6);
    expect(p[4]).toBeCloseTo(-2, 6);
    expect(p[3]).toBeCloseTo(2.5, 6);
  });

  it("picks by the cumulative distribution", () => {
    const probs = [0, 0.25, 0, 0.75];
    expect(pickByCumulative(probs, 0)).toBe(1);
    expect(pickByCumulative(probs, 0.2499)).toBe(1);
    expect(pickByCumulative(probs, 0.25)).toBe(3);
    expect(pickByCumulative(probs, 0.99999999)).toBe(3);
  });

  it("top candidates come sorted with probabilities and raw logits", () => {
    const c = topCandidates(logits, 3);
    expect(c.map((x) => x.id)).toEqual([1, 5, 3]);
    expect(c[0].logit).toBeCloseTo(3, 6);
    expect(c[0].prob).toBeGreaterThan(c[1].prob);
  });

  it("refuses settings out of range with one clear message each", () => {
    expect(() => validateSampling({ ...off, temperature: -1 })).toThrow("temperature must be between 0 and 10, got -1");
    expect(() => validateSampling({ ...off, topP: 0 })).toThrow("top-p");
    expect(() => validateSampling({ ...off, topK: 2.5 })).toThrow("top-k");
    expect(() => validateSampling({ ...off, temperature: 1e9, repetitionPenalty: 0.5 })).toThrow(/temperature.*; repetition/);
  });
});

describe("generation", () => {
  const options: GenerateOptions = { ...DEFAULT_SAMPLING, maxTokens: 30, seed: 5, repetitionWindow: 16, candidatesPerStep: 3 };

  /** A fake model that records the contexts it is given and prefers (last token + 1) mod V. */
  function countingSource(blockSize: number, V: number) {
    const seen: number[][] = [];
    const source: LogitSource = {
      blockSize,
      vocabSize: V,
      nextLogits(context) {
        seen.push(Array.from(context));
        const out = new Float32Array(V);
        out[(context[context.length - 1] + 1) % V] = 5;
        return out;
      },
    };
    return { source, seen };
  }

  it("slides the context by half a block once it passes the block size", () => {
    const { source, seen } = countingSource(4, 10);
    const g = generate(source, [0, 1, 2], { ...options, temperature: 0, maxTokens: 6 });
    expect(g.ids).toEqual([3, 4, 5, 6, 7, 8]);
    expect(seen).toEqual([
      [0, 1, 2],
      [0, 1, 2, 3],
      [3, 4],
      [3, 4, 5],
      [3, 4, 5, 6],
      [6, 7],
    ]);
    expect(g.steps[2].context).toEqual([3, 4]);
    // a prompt longer than the block starts with its last blockSize tokens
    const long = countingSource(4, 10);
    generate(long.source, [0, 1, 2, 3, 4, 5], { ...options, temperature: 0, maxTokens: 1 });
    expect(long.seen).toEqual([[2, 3, 4, 5]]);
  });

  it("stops at the stop token, without including it", () => {
    const { source } = countingSource(8, 10);
    const g = generate(source, [5], { ...options, temperature: 0, stopToken: 8 });
    expect(g.ids).toEqual([6, 7]);
    expect(g.stoppedBy).toBe("stopToken");
  });

  it("the same seed repeats the same text on a real model; another seed differs", () => {
    const model = new GPT(presetConfig("tiny", 30)).init(seededRandom(1));
    const source = modelLogitSource(model);
    const a = generate(source, [1, 2, 3], { ...options, temperature: 1.5, topK: 0, topP: 1 });
    const b = generate(source, [1, 2, 3], { ...options, temperature: 1.5, topK: 0, topP: 1 });
    const c = generate(source, [1, 2, 3], { ...options, temperature: 1.5, topK: 0, topP: 1, seed: 6 });
    expect(a.ids).toHaveLength(30);
    expect(b.ids).toEqual(a.ids);
    expect(c.ids).not.toEqual(a.ids);
  });

  it("refuses an empty prompt", () => {
    const { source } = countingSource(4, 10);
    expect(() => generate(source, [], options)).toThrow("prompt has no tokens");
  });
});
