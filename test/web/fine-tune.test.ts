/**
 * The playground's training panel with a base: fine-tuning a small random GPT-2-layout model
 * from MODELS_DIR (GPT-2's real 50,257-token vocabulary, 8 channels wide) on a pasted text, over
 * real HTTP. The choices the panel offers, the loss falling from the base's, the base's tokenizer
 * kept, the end saying what it was fine-tuned from; a base too big for the memory given refused
 * up front with the figures (en and ja), and an unknown base refused with the choices.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadModelFile } from "../../src/app/load-model.ts";
import { FINE_TUNE, recomputeHeldOutLoss } from "../../src/app/train-model.ts";
import { documentsOfText } from "../../src/app/corpus.ts";
import { MIN_MESSAGES } from "../../src/app/training-limits.ts";
import { writeTinyGpt2 } from "../helpers/tiny-gpt2.ts";
import { postJson, startTestPlayground, type TestPlayground, TRAINING_TEXT_FILE, readEvents } from "./harness.ts";

let pg: TestPlayground;
let modelsDir: string;
let memoryLimit = 64 * 2 ** 30;
const api = (p: string) => new URL(p, pg.url).href;

beforeAll(async () => {
  modelsDir = mkdtempSync(path.join(tmpdir(), "web-fine-tune-"));
  mkdirSync(path.join(modelsDir, "gpt2-tiny"));
  writeTinyGpt2(path.join(modelsDir, "gpt2-tiny"));
  pg = await startTestPlayground(
    { steps: 30, evalInterval: 10, evalBatches: 2, schedule: { maxLr: 1e-2 } },
    { modelsDir },
    { availableMemory: () => memoryLimit },
  );
});
afterAll(async () => {
  await pg.close();
  rmSync(modelsDir, { recursive: true, force: true });
});

describe("the playground's fine-tuning", () => {
  it("offers the models it may fine-tune", async () => {
    const body = (await (await fetch(api("/api/train/bases?lang=ja"))).json()) as { bases: { ref: string; label: string }[] };
    expect(body.bases.map((b) => b.ref)).toEqual(["gpt2-tiny", "default"]);
    expect(body.bases[0].label).toMatch(/^gpt2-tiny · \S/);
    expect(body.bases[1].label).toMatch(/^default · \S+ · \d+\.\d{3}$/);
  });

  it("fine-tunes the base on a pasted text: lower loss, its tokenizer kept, the end names the base", async () => {
    const text = readFileSync(TRAINING_TEXT_FILE, "utf8");
    const started = await postJson(api("/api/train"), { source: "text", text, base: "gpt2-tiny", preset: "baby", minutes: 1, lang: "en" });
    expect(started.status).toBe(200);
    const lines = String(started.body.text).split("\n");
    expect(lines[0]).toMatch(/^Fine-tuning \*\*gpt2-tiny\*\* \(its size and tokenizer kept\) for up to 1 min on \d+ passages/);
    expect(lines[1]).toBe("The preset **baby** is not used: fine-tuning keeps **gpt2-tiny**'s size and tokenizer.");

    const events = await readEvents(api("/api/train/events?lang=en"));
    const progress = events.filter(([e]) => e === "progress").map(([, d]) => String(d.text));
    expect(progress.every((t) => t.startsWith("Fine-tuning **gpt2-tiny** (its size and tokenizer kept).\n"))).toBe(true);
    const [lastEvent, end] = events[events.length - 1];
    expect(lastEvent).toBe("end");
    expect(end.status).toBe("done");
    expect(String(end.text)).toMatch(/^Training finished: 30 steps[\s\S]*\nFine-tuned from \*\*gpt2-tiny\*\*\.$/);

    const base = await loadModelFile(path.join(modelsDir, "gpt2-tiny"), "gpt2-tiny");
    const model = await pg.registry.forGuild("local");
    expect(model.model.config).toEqual(base.model.config);
    expect(model.tokenizer.vocabSize).toBe(50257);
    const docs = documentsOfText(text, MIN_MESSAGES);
    const before = recomputeHeldOutLoss(base.model, base.tokenizer, docs, 1337, FINE_TUNE.batchSize);
    const after = recomputeHeldOutLoss(model.model, model.tokenizer, docs, 1337, FINE_TUNE.batchSize);
    expect(after).toBeLessThan(before - 0.3);
    expect(model.meta.valLoss).toBeCloseTo(after, 4);
    const run = (await pg.store.runs.latest("local"))!;
    expect((run.options as { base?: unknown }).base).toEqual({ ref: "gpt2-tiny", name: "gpt2-tiny" });
    expect(pg.errors).toEqual([]);
  });

  it("refuses a base too big for the memory before anything starts, with the figures (en and ja)", async () => {
    memoryLimit = 2 ** 20;
    const runs = (await pg.store.runs.list("local")).length;
    const text = readFileSync(TRAINING_TEXT_FILE, "utf8");
    const en = await postJson(api("/api/train"), { source: "text", text, base: "gpt2-tiny", minutes: 1, lang: "en" });
    expect(en.status).toBe(400);
    expect(en.body.error).toMatch(
      /^Fine-tuning \*\*gpt2-tiny\*\* \(403,008 parameters, a batch of 4 × 8 tokens\) needs 0\.\d\d GiB of memory; this machine has 0\.00 GiB\./,
    );
    const ja = await postJson(api("/api/command"), { line: "/train start source:corpus base:gpt2-tiny", lang: "ja" });
    expect(ja.status).toBe(400);
    expect(ja.body.error).toMatch(
      /^\*\*gpt2-tiny\*\* の微調整（パラメータ 403,008 個、バッチ 4 × 8 トークン）には 0\.\d\d GiB のメモリが必要/,
    );
    expect((await pg.store.runs.list("local")).length).toBe(runs);
    expect(pg.training.current("local")).toBeUndefined();
    memoryLimit = 64 * 2 ** 30;
  });

  it("needs a full window of the base's in the held-out 10 %, not the preset's", async () => {
    // gpt2-tiny's window is 8 tokens: ⌈9 / 0.1⌉ + 1 = 91 tokens, 182 characters (baby would need 1,302)
    const lines = Array.from({ length: 12 }, (_, i) => `line ${i} of the text`).join("\n");
    const short = await postJson(api("/api/train"), {
      source: "text",
      text: lines.slice(0, 150),
      base: "gpt2-tiny",
      minutes: 1,
      lang: "en",
    });
    expect(short.status).toBe(400);
    expect(short.body.error).toMatch(
      /^Not enough text to fine-tune \*\*gpt2-tiny\*\*: \d+ messages, \d+ characters; its window needs at least 10 messages and 182 characters\./,
    );
    const ja = await postJson(api("/api/train"), { source: "text", text: lines.slice(0, 150), base: "gpt2-tiny", minutes: 1, lang: "ja" });
    expect(ja.body.error).toMatch(
      /^\*\*gpt2-tiny\*\* を微調整するには文章が足りません: \d+ 件、\d+ 文字。このモデルの窓には少なくとも 10 件、182 文字が必要です。/,
    );
    // some 600 characters are enough for it (the baby preset's 1,302 would refuse them)
    const text = Array.from({ length: 12 }, (_, i) => `line ${i}: the cat sat on the mat and looked at me`).join("\n");
    expect(text.length).toBeLessThan(1302);
    const enough = await postJson(api("/api/train"), { source: "text", text, base: "gpt2-tiny", preset: "baby", minutes: 1, lang: "en" });
    expect(enough.status).toBe(200);
    const events = await readEvents(api("/api/train/events?lang=en"));
    expect(events.at(-1)).toEqual(["end", expect.objectContaining({ status: "done" })]);
  });

  it("refuses a base that names no model, with the choices", async () => {
    const reply = await postJson(api("/api/train"), { source: "text", text: "x", base: "nope", lang: "en" });
    expect(reply.status).toBe(400);
    expect(reply.body.error).toMatch(/^There is no model `nope` to fine-tune here; the choices are: default(, #\d+)+, gpt2-tiny\.$/);
  });
});
