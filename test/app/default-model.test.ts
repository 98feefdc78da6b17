import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { DEFAULT_MODEL_PATH, loadDefaultModel } from "../../src/app/load-model.ts";
import { readCorpus, splitDocuments } from "../../src/app/corpus.ts";
import { recomputeHeldOutLoss } from "../../src/app/train-model.ts";
import { modelInfo } from "../../src/app/model-info.ts";
import { generateText } from "../../src/app/generate-text.ts";
import { statSync } from "node:fs";

const root = path.resolve(import.meta.dirname, "../..");

describe("the shipped default model", () => {
  it("is small, loads, and records how it was trained", async () => {
    expect(statSync(DEFAULT_MODEL_PATH).size).toBeLessThan(8 * 1024 * 1024);
    const info = modelInfo(await loadDefaultModel());
    expect(info.preset).toBe("baby");
    expect(info.step).toBeGreaterThan(0);
    expect(info.curve.length).toBeGreaterThan(10);
    expect(info.valLoss).not.toBeNull();
  });

  it("its recorded val loss is what evaluating it on the held-out part of the corpus gives", async () => {
    const handle = await loadDefaultModel();
    const extra = handle.meta.extra as { options: { seed: number }; batchSize: number };
    const documents = splitDocuments(readCorpus(path.join(root, "data/corpus")));
    const recomputed = recomputeHeldOutLoss(handle.model, handle.tokenizer, documents, extra.options.seed, extra.batchSize);
    console.log(`default model: recorded val loss ${handle.meta.valLoss}, recomputed ${recomputed}`);
    expect(recomputed).toBeCloseTo(handle.meta.valLoss!, 5);
  });

  it("writes words of both languages, not noise", async () => {
    const handle = await loadDefaultModel();
    const en = generateText(handle, "The model", { maxTokens: 60, seed: 1, temperature: 0.7, stopAtEnd: false }).text;
    const ja = generateText(handle, "昨日は", { maxTokens: 60, seed: 1, temperature: 0.7, stopAtEnd: false }).text;
    console.log(`default model samples:\n  The model${en}\n  昨日は${ja}`);
    // common English words appear, and Japanese text is mostly kana/kanji, not replacement characters
    const words = en.toLowerCase().match(/\b(the|a|is|of|to|and|model|token|loss|it|in)\b/g) ?? [];
    expect(words.length).toBeGreaterThanOrEqual(3);
    const japanese = ja.match(/[\u3040-\u30ff\u4e00-\u9fff]/g) ?? [];
    expect(japanese.length).toBeGreaterThan(ja.length * 0.4);
    expect(ja).not.toMatch(/\uFFFD/);
  });

  it("npm run cli -- generate --seed 1 prints text", async () => {
    const run = promisify(execFile);
    const { stdout } = await run(path.join(root, "node_modules/.bin/tsx"), ["src/adapters/cli/main.ts", "generate", "--prompt", "Attention", "--seed", "1"], { cwd: root });
    expect(stdout.startsWith("Attention")).toBe(true);
    expect(stdout.trim().length).toBeGreaterThan("Attention".length + 10);
  });
});
