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
import { fastestKernels } from "../../src/app/kernels.ts";

const root = path.resolve(import.meta.dirname, "../..");

/** The corpus the shipped model was trained on, as its checkpoint records it (older models: data/corpus). */
function trainedCorpus(meta: { extra?: Record<string, unknown> }): string {
  const recorded = (meta.extra?.options as { corpus?: unknown } | undefined)?.corpus;
  return readCorpus(path.join(root, typeof recorded === "string" ? recorded : "data/corpus"));
}

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
    const handle = await loadDefaultModel(fastestKernels());
    const extra = handle.meta.extra as { options: { seed: number }; batchSize: number };
    const documents = splitDocuments(trainedCorpus(handle.meta));
    const recomputed = recomputeHeldOutLoss(handle.model, handle.tokenizer, documents, extra.options.seed, extra.batchSize);
    console.log(`default model: recorded val loss ${handle.meta.valLoss}, recomputed ${recomputed}`);
    expect(recomputed).toBeCloseTo(handle.meta.valLoss!, 5);
  });

  it("writes words of both languages, not noise", async () => {
    const handle = await loadDefaultModel(fastestKernels());
    const corpus = trainedCorpus(handle.meta);
    const sample = (prompt: string) =>
      [1, 2, 3, 4, 5].map((seed) => generateText(handle, prompt, { maxTokens: 50, seed, temperature: 0.7 }).text).join(" ");
    // English: most generated words are words of the corpus (noise would make up new strings)
    const known = new Set(corpus.toLowerCase().match(/[a-z]+/g));
    const enWords =
      sample("The model")
        .toLowerCase()
        .match(/[a-z]+/g) ?? [];
    const enKnown = enWords.filter((w) => known.has(w)).length / enWords.length;
    // Japanese: most generated character pairs occur in the corpus
    const jaText = sample("昨日は");
    const jaPairs = [...jaText.matchAll(/(?=([\u3040-\u30ff\u4e00-\u9fff]{2}))/g)].map((m) => m[1]);
    const jaKnown = jaPairs.filter((p) => corpus.includes(p)).length / jaPairs.length;
    console.log(
      `default model: ${enWords.length} English words, ${(enKnown * 100).toFixed(0)}% known; ${jaPairs.length} Japanese pairs, ${(jaKnown * 100).toFixed(0)}% known`,
    );
    expect(enWords.length).toBeGreaterThan(20);
    expect(enKnown).toBeGreaterThan(0.8);
    expect(jaPairs.length).toBeGreaterThan(20);
    expect(jaKnown).toBeGreaterThan(0.88); // an untrained model of the same tokenizer scores about 0.72 (English 0.43)
    expect(jaText).not.toMatch(/\uFFFD/);
  });

  it("npm run cli -- generate --seed 1 prints text", async () => {
    const run = promisify(execFile);
    const { stdout } = await run(
      path.join(root, "node_modules/.bin/tsx"),
      ["src/adapters/cli/main.ts", "generate", "--prompt", "Attention", "--seed", "1"],
      { cwd: root },
    );
    expect(stdout.startsWith("Attention")).toBe(true);
    expect(stdout.trim().length).toBeGreaterThan("Attention".length + 10);
  });
});
