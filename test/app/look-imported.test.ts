/**
 * Each "look inside" command works on an imported model too: a random GPT-2 in the Hugging Face
 * layout (test/app/model-files.ts: 1 layer, 2 heads, 8 channels, biases, GPT-2's own 50,257
 * tokens and byte-level BPE), loaded by the project's importer as the console's --model loads
 * it. /lens, /why, /ablate, /attention view:rollout|next, /neurons and /sources each answer with
 * the imported model's own numbers and pictures; /neurons says no training text is known.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ablateNext } from "../../src/app/ablate.ts";
import { rolloutOf } from "../../src/app/attention-views.ts";
import { attributeNext } from "../../src/app/attribute.ts";
import { explainText } from "../../src/app/explain/index.ts";
import { lensOf } from "../../src/app/lens.ts";
import { loadModelFile } from "../../src/app/load-model.ts";
import type { ModelHandle } from "../../src/app/model-handle.ts";
import { importedModel } from "../../src/app/model-identity.ts";
import { NeuronIndexer } from "../../src/app/neuron-indexer.ts";
import { neuronsOf } from "../../src/app/neurons.ts";
import { predictNext } from "../../src/app/predict.ts";
import { attentionReply } from "../../src/app/replies/attention.ts";
import { ablateReply, lensReply, whyReply } from "../../src/app/replies/look.ts";
import { neuronsReply } from "../../src/app/replies/neurons.ts";
import { sourcesReply } from "../../src/app/replies/sources.ts";
import { allParts, type ReplyContext, runNow } from "../../src/app/reply.ts";
import { corpusScope } from "../../src/app/sources.ts";
import { asyncSqliteStore } from "../../src/store/async-store.ts";
import { openStore } from "../../src/store/index.ts";
import { decodePng } from "../render/fixtures.ts";
import { GPT2_SHAPE, writeGpt2Folder } from "./model-files.ts";

const TEXT = "The cat sat on";
let dir: string;
let handle: ModelHandle;
let rc: ReplyContext;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "look-imported-"));
  const folder = writeGpt2Folder(path.join(dir, "gpt2-tiny"), 7);
  handle = { ...(await loadModelFile(folder, "tiny gpt2")), identity: importedModel(folder, "tiny gpt2") };
  const indexer = new NeuronIndexer(asyncSqliteStore(openStore(":memory:")), { inWorker: false });
  rc = {
    handle,
    lang: "en",
    heavy: runNow,
    redactor: null,
    neuronIndex: (h) => indexer.status("local", h),
    sources: corpusScope(["Once the cat sat on the mat.", "A dog ran."]),
  };
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A reply's picture decodes as a PNG within Discord's sizes. */
async function pictureOf(reply: Awaited<ReturnType<ReturnType<typeof lensReply>>>) {
  expect(reply.pictures.length).toBe(1);
  const png = await decodePng(reply.pictures[0].png);
  expect(png.width).toBeGreaterThan(100);
  expect(reply.pictures[0].png.length).toBeLessThan(8 * 1024 * 1024);
  return png;
}

describe("the look commands on an imported GPT-2", () => {
  it("is the imported model: GPT-2's vocabulary and shape", () => {
    expect(handle.model.config.vocabSize).toBe(GPT2_SHAPE.V);
    expect(handle.model.config.nLayer).toBe(GPT2_SHAPE.L);
    expect(handle.model.config.nHead).toBe(GPT2_SHAPE.NH);
  });

  it("/lens: its last depth is /predict's", async () => {
    const lens = lensOf(handle, TEXT, { k: 3 });
    const T = lens.inputIds.length;
    const last = lens.layers[lens.layers.length - 1].positions[T - 1].top;
    const predicted = predictNext(handle, TEXT, { k: 3, temperature: 1 }).candidates;
    expect(last.map((c) => c.id)).toEqual(predicted.map((c) => c.id));
    expect(lens.layers.length).toBe(GPT2_SHAPE.L + 1);
    await pictureOf(await lensReply(rc, { text: TEXT })());
  });

  it("/why: one finite score per input token for each method", async () => {
    const why = attributeNext(handle, TEXT);
    expect(why.gradient.length).toBe(why.inputIds.length);
    expect(why.occlusion.length).toBe(why.inputIds.length);
    expect([...why.gradient, ...why.occlusion].every(Number.isFinite)).toBe(true);
    expect(why.gradient.some((g) => g !== 0)).toBe(true);
    await pictureOf(await whyReply(rc, { text: TEXT })());
  });

  it("/ablate: switching both heads off changes the prediction; the grid is 1 × 2", async () => {
    const result = ablateNext(handle, TEXT, { heads: "0" });
    expect(result.grid.length).toBe(1);
    expect(result.grid[0].length).toBe(2);
    expect(result.beforeTokensAfter[0].prob).not.toBe(result.before[0].prob);
    await pictureOf(await ablateReply(rc, { text: TEXT, heads: "0.1" })());
  });

  it("/attention view:rollout and view:next: rows of the rollout sum to 1", async () => {
    const r = rolloutOf(handle, TEXT);
    const T = r.tokens.length;
    for (let q = 0; q < T; q++) {
      let sum = 0;
      for (let k = 0; k < T; k++) sum += r.rollout[q * T + k];
      expect(sum).toBeCloseTo(1, 5);
    }
    await pictureOf(await attentionReply(rc, { text: TEXT, view: "rollout" })());
    await pictureOf(await attentionReply(rc, { text: TEXT, view: "next" })());
  });

  it("GPT-2's byte pieces are labelled by their character (東 1–2/3), never U+FFFD, in /lens, /why and /attention", async () => {
    const text = "東京";
    // after the prompt's <|endoftext|>, GPT-2 writes each of 東 and 京 (3 UTF-8 bytes) as two
    // tokens: bytes 1–2, then byte 3
    const expected = ["<|endoftext|>", "東\u00a01–2/3", "東\u00a03/3", "京\u00a01–2/3", "京\u00a03/3"];
    expect(lensOf(handle, text, { k: 3 }).inputTokens).toEqual(expected);
    expect(attributeNext(handle, text).inputTokens).toEqual(expected);
    expect(rolloutOf(handle, text).tokens).toEqual(expected);
    const guesses = lensOf(handle, text, { k: 3 }).layers.flatMap((d) => d.positions.flatMap((p) => p.top.map((c) => c.token)));
    expect(guesses.filter((g) => g.includes("\uFFFD"))).toEqual([]);
    // the replies' words: /why's table lists every input token
    for (const reply of [await lensReply(rc, { text })(), await attentionReply(rc, { text, view: "next" })()]) {
      expect(JSON.stringify(reply.body)).not.toContain("\uFFFD");
    }
    const why = JSON.stringify((await whyReply(rc, { text })()).body);
    expect(why).not.toContain("\uFFFD");
    expect(why).toContain("東\u00a01–2/3");
  });

  it("/neurons: 4C = 32 neurons per layer, no training text known", async () => {
    const n = neuronsOf(handle, TEXT, { k: 3, neuron: "0.5" });
    expect(n.width).toBe(4 * GPT2_SHAPE.C);
    expect(n.along!.values.length).toBe(n.inputIds.length);
    const status = await rc.neuronIndex!(handle);
    expect(status.state).toBe("none");
    const reply = await neuronsReply(rc, { text: TEXT })();
    await pictureOf(reply);
    const words = explainText(handle, "neurons", { lang: "en", text: TEXT, neuronIndex: () => status });
    expect(words.paragraphs.join("\n")).toContain("No training text is known");
  });

  it("/sources: the searched texts' shared stretch", async () => {
    const reply = await sourcesReply(rc, { text: "the cat sat on the mat" })();
    const words = allParts(reply)
      .map((p) => ("text" in p ? p.text : ""))
      .join("");
    expect(words).toContain("cat sat on the mat");
  });
});
