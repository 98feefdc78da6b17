/**
 * /train start base:… against the fake Discord: fine-tuning a small random GPT-2-layout model
 * from the host's MODELS_DIR (GPT-2's real 50,257-token vocabulary, 8 channels wide) on a
 * channel's history. The loss falls from the base's, the base's tokenizer and shape are kept,
 * the best-validation checkpoint is installed, a stopped fine-tuning resumes with its base, and
 * a base too big for the memory given is refused before any history is read, with the figures.
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadModelFile } from "../../src/app/load-model.ts";
import { FINE_TUNE, recomputeHeldOutLoss } from "../../src/app/train-model.ts";
import { countParams } from "../../src/model/params.ts";
import { MEMBER_PERMISSIONS, Permission, type FakeInteraction, type RecordedRequest } from "../fake-discord/index.ts";
import { writeTinyGpt2 } from "../helpers/tiny-gpt2.ts";
import { type Harness, startHarness } from "./harness.ts";

const ADMIN = MEMBER_PERMISSIONS | Permission.ManageGuild;
const STEPS = 30;
const SEED = 1337;
/** the memory the trainings may use; a test lowers it */
let memoryLimit = 64 * 2 ** 30;

let h: Harness;
let guild: string;
let modelsDir: string;
let baseLoss: number;

const TOPICS = ["cats", "the weather", "lunch", "trains", "music", "the garden", "tea", "books"];
const human = (i: number) => `message ${i}: I think ${TOPICS[i % TOPICS.length]} ${i % 3 === 0 ? "are great" : "is nice"} today!`;

beforeAll(async () => {
  const { mkdtempSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const dir = mkdtempSync(path.join(tmpdir(), "bot-fine-tune-"));
  modelsDir = path.join(dir, "models");
  mkdirSync(modelsDir);
  writeTinyGpt2(path.join(modelsDir, "gpt2-tiny"));
  h = await startHarness({
    dir,
    registry: { modelsDir },
    training: { steps: STEPS, evalInterval: 10, evalBatches: 2, schedule: { maxLr: 1e-2 } },
    availableMemory: () => memoryLimit,
  });
  guild = h.fake.guilds[0].id;
  h.fake.seedHistory(
    h.fake.channelId,
    Array.from({ length: 200 }, (_, i) => ({ content: human(i), author: i % 2 ? h.fake.alice : h.fake.bob })),
  );
});

afterAll(async () => {
  await h?.stop();
});

function train(options: Record<string, string | number | boolean> = {}, extra: { locale?: string } = {}): FakeInteraction {
  return h.fake.interact({ command: "train", subcommand: "start", options, memberPermissions: ADMIN, ...extra });
}

function editMatching(it1: FakeInteraction, pattern: RegExp, what: string): Promise<RecordedRequest> {
  return h.fake.waitForRequest(
    (r) =>
      r.method === "PATCH" &&
      r.path.includes(`/${it1.token}/messages/@original`) &&
      pattern.test((r.body as { content?: string })?.content ?? ""),
    what,
    60_000,
  );
}

const edits = (it1: FakeInteraction) =>
  h.fake.requests
    .filter((r) => r.method === "PATCH" && r.path.includes(`/${it1.token}/messages/@original`))
    .map((r) => (r.body as { content?: string }).content ?? "");

describe("/train start base:", () => {
  it("fine-tunes the host's model on the channel: lower loss, the base's tokenizer and shape, the best-val checkpoint installed", async () => {
    const it1 = train({ base: "gpt2-tiny", preset: "baby" });
    const final = await editMatching(it1, /^✅ Training finished/, "the final /train edit");
    const content = (final.body as { content: string }).content;
    expect(content).toContain("\nFine-tuned from **gpt2-tiny**.");
    expect(final.files.map((f) => f.filename)).toEqual(["loss.png"]);
    // the progress said what is trained, and that the preset given is not used
    const progress = edits(it1).find((c) => /^Fine-tuning \*\*gpt2-tiny\*\* \(its size and tokenizer kept\)\./.test(c));
    expect(progress).toBeDefined();
    expect(progress).toContain("The preset **baby** is not used: fine-tuning keeps **gpt2-tiny**'s size and tokenizer.");

    // 1. the installed model has the base's shape and GPT-2's vocabulary
    const base = await loadModelFile(path.join(modelsDir, "gpt2-tiny"), "gpt2-tiny");
    const model = await h.registry.forGuild(guild);
    expect(model.name).toBe("server model #1");
    expect(model.model.config).toEqual(base.model.config);
    expect(model.tokenizer.vocabSize).toBe(50257);
    const text = "It rained yesterday. 昨日は雨";
    expect(model.tokenizer.encode(text).ids).toEqual(base.tokenizer.encode(text).ids);

    // 2. the loss over the held-out 10 % fell from the base's own
    const docs = await h.bot.store.messages.texts(guild);
    baseLoss = recomputeHeldOutLoss(base.model, base.tokenizer, docs, SEED, FINE_TUNE.batchSize);
    const tunedLoss = recomputeHeldOutLoss(model.model, model.tokenizer, docs, SEED, FINE_TUNE.batchSize);
    expect(baseLoss).toBeGreaterThan(10);
    expect(tunedLoss).toBeLessThan(baseLoss - 0.3);
    // 3. the installed weights are the kept (best-validation) ones, whose loss the model records
    expect(model.meta.valLoss).toBeCloseTo(tunedLoss, 4);
    const run = (await h.bot.store.runs.latest(guild))!;
    expect(run.status).toBe("done");
    expect((run.options as { base?: unknown }).base).toEqual({ ref: "gpt2-tiny", name: "gpt2-tiny" });
    const points = await h.bot.store.runs.points(guild, run.id);
    const evaluated = points.filter((p) => p.valLoss !== null);
    expect(evaluated.length).toBeGreaterThanOrEqual(3);
    expect(model.meta.step).toBeLessThanOrEqual(STEPS);
    expect((model.meta.extra as { base?: { name?: string } }).base?.name).toBe("gpt2-tiny");
    // 4. /model says what it was fine-tuned from
    const card = await h.fake.interact({ command: "model", subcommand: "show" }).reply();
    expect(card.content.split("\n")[1]).toBe("Fine-tuned from **gpt2-tiny**.");
    const ja = await h.fake.interact({ command: "model", subcommand: "show", locale: "ja" }).reply();
    expect(ja.content.split("\n")[1]).toBe("**gpt2-tiny** から微調整したモデルです。");
  });

  it("resumes a stopped fine-tuning from its checkpoint, with its base's tokenizer", async () => {
    h.training.overrides = { ...h.training.overrides, steps: 100_000 };
    const it1 = train({ base: "gpt2-tiny" });
    await h.fake.waitForRequest(() => (h.training.current(guild)?.lastCheckpoint?.step ?? 0) >= 10, "a first checkpoint", 60_000);
    const stopped = h.training.stop(guild)!;
    const outcome = await stopped.done;
    expect(outcome.status).toBe("stopped");
    await editMatching(it1, /Fine-tuned from \*\*gpt2-tiny\*\*/, "the stopped run's reply");
    const first = (await h.bot.store.runs.latest(guild))!;
    const stoppedAt = (await h.bot.store.runs.points(guild, first.id)).at(-1)!.step;

    h.training.overrides = { ...h.training.overrides, steps: 10 };
    const it2 = train({ resume: true });
    const final = await editMatching(it2, /^✅ Training finished/, "the resumed run's final edit");
    expect((final.body as { content: string }).content).toContain("Fine-tuned from **gpt2-tiny**.");
    const run = (await h.bot.store.runs.latest(guild))!;
    expect(run.id).not.toBe(first.id);
    expect((run.options as { resumedRun?: number }).resumedRun).toBe(first.id);
    expect((run.options as { base?: unknown }).base).toEqual({ ref: "gpt2-tiny", name: "gpt2-tiny" });
    const points = await h.bot.store.runs.points(guild, run.id);
    expect(points[0].step).toBeGreaterThan(0);
    expect(points.at(-1)!.step).toBeGreaterThan(Math.min(stoppedAt, 10));
    const model = await h.registry.forGuild(guild);
    expect(model.tokenizer.vocabSize).toBe(50257);
    expect(model.model.config.nEmbd).toBe(8);
    h.training.overrides = { ...h.training.overrides, steps: STEPS };
  });

  it("continues the server's own model: base:#1 keeps its tokenizer", async () => {
    const own = (await h.bot.store.models.list(guild)).at(-1)!;
    const it1 = train({ base: `#${own.id}` });
    const final = await editMatching(it1, /^✅ Training finished/, "the final edit");
    expect((final.body as { content: string }).content).toContain(`Fine-tuned from **server model #${own.id}**.`);
    expect((await h.registry.forGuild(guild)).tokenizer.vocabSize).toBe(50257);
  });

  it("suggests the models this server may fine-tune as base: is typed (its own first, then the host's, then the shipped one)", async () => {
    const registered = h.fake.commands.get("global")!.find((c) => c.name === "train") as {
      options: { name: string; options?: { name: string; autocomplete?: boolean; name_localizations?: Record<string, string> }[] }[];
    };
    const option = registered.options.find((o) => o.name === "start")!.options!.find((o) => o.name === "base")!;
    expect(option.autocomplete).toBe(true);
    expect(option.name_localizations).toEqual({ ja: "元のモデル" });
    const suggest = async (typed: string, locale = "en-US") => {
      const it1 = h.fake.autocomplete({ command: "train", subcommand: "start", options: { base: typed }, focused: "base", locale });
      const callback = (await it1.acknowledged()).body as { type: number; data: { choices: { name: string; value: string }[] } };
      expect(callback.type).toBe(8);
      return callback.data.choices;
    };
    const own = await h.bot.store.models.list(guild);
    const all = await suggest("");
    expect(all.map((c) => c.value)).toEqual([...own.map((m) => `#${m.id}`), "gpt2-tiny", "default"]);
    expect(all[0].name).toMatch(new RegExp(`^#${own[0].id} · trained here · \\d+\\.\\d{3}$`));
    expect(all.at(-2)).toEqual({ name: "gpt2-tiny · imported (host)", value: "gpt2-tiny" });
    expect(await suggest("GPT")).toEqual([{ name: "gpt2-tiny · imported (host)", value: "gpt2-tiny" }]);
    const ja = await suggest("gpt", "ja");
    expect(ja).toEqual([{ name: "gpt2-tiny · 取り込み（ホスト）", value: "gpt2-tiny" }]);
  });

  it("refuses a base too big for the memory, before reading anything, with the figures (en and ja)", async () => {
    memoryLimit = 2 ** 20;
    const fetchesBefore = h.fake.requests.filter((r) => r.method === "GET" && r.path.includes("/messages")).length;
    const runsBefore = (await h.bot.store.runs.list(guild)).length;
    const parameters = countParams((await loadModelFile(path.join(modelsDir, "gpt2-tiny"), "gpt2-tiny")).model.config);
    expect(parameters).toBe(403_008);
    const en = await train({ base: "gpt2-tiny" }).reply();
    expect(en.ephemeral).toBe(true);
    expect(en.content).toMatch(
      /^Fine-tuning \*\*gpt2-tiny\*\* \(403,008 parameters, a batch of 4 × 8 tokens\) needs 0\.\d\d GiB of memory; this machine has 0\.00 GiB\. Nothing was read or trained: choose a smaller base\.$/,
    );
    const ja = await train({ base: "gpt2-tiny" }, { locale: "ja" }).reply();
    expect(ja.content).toMatch(
      /^\*\*gpt2-tiny\*\* の微調整（パラメータ 403,008 個、バッチ 4 × 8 トークン）には 0\.\d\d GiB のメモリが必要ですが、このマシンで使えるのは 0\.00 GiB です。/,
    );
    expect(h.fake.requests.filter((r) => r.method === "GET" && r.path.includes("/messages")).length).toBe(fetchesBefore);
    expect((await h.bot.store.runs.list(guild)).length).toBe(runsBefore);
    expect(h.training.current(guild)).toBeUndefined();
    memoryLimit = 64 * 2 ** 30;
  });

  it("names the choices when the base names no model here", async () => {
    const reply = await train({ base: "nope" }).reply();
    expect(reply.ephemeral).toBe(true);
    expect(reply.content).toMatch(/^There is no model `nope` to fine-tune here; the choices are: default, #\d+, .*gpt2-tiny\.$/);
  });
});
