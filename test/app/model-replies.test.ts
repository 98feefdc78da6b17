/**
 * The /model list|use|rename|delete use cases as every surface gets them (a Reply in the
 * reader's language), the suggestions for `ref`, and a training's sentences said once for the
 * bot and the playground: whether its model answers now or waits (worse, not comparable), with
 * only Discord's mark and timestamps added by its adapter.
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { strings } from "../../src/adapters/discord/i18n.ts";
import { texts } from "../../src/adapters/web/texts.ts";
import { terminalText } from "../../src/adapters/cli/reply-format.ts";
import { decideInstall } from "../../src/app/install-decision.ts";
import { ModelRegistry } from "../../src/app/model-registry.ts";
import {
  type ModelsContext,
  modelDeleteReply,
  modelListReply,
  modelRenameReply,
  modelSuggestions,
  modelUseReply,
} from "../../src/app/replies/models.ts";
import { InputError } from "../../src/app/prompt.ts";
import { TRAINING_SENTENCES } from "../../src/app/training-sentences.ts";
import type { TrainingOutcome } from "../../src/app/training-service.ts";
import { asyncSqliteStore } from "../../src/store/async-store.ts";
import type { ModelInfo } from "../../src/store/index.ts";
import { openStore, type Store } from "../../src/store/index.ts";
import { writeTinyModel } from "../discord/tiny-model.ts";
import { trainedBytes, writeGpt2Folder } from "./model-files.ts";

let dir: string;
let store: Store;
let registry: ModelRegistry;
const ctx = (lang: "en" | "ja", space: string | null = "g1", admin = true): ModelsContext => ({
  lang,
  registry,
  store: asyncSqliteStore(store),
  space,
  admin,
});
const say = async (reply: Promise<{ body: unknown[] }> | { body: unknown[] }) =>
  terminalText((await reply) as Parameters<typeof terminalText>[0]).out.trimEnd();

beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "model-replies-"));
  mkdirSync(path.join(dir, "models"));
  writeGpt2Folder(path.join(dir, "models", "tiny-gpt2"));
  store = openStore(path.join(dir, "bot.db"));
  registry = new ModelRegistry({
    models: asyncSqliteStore(store).models,
    defaultModelPath: writeTinyModel(path.join(dir, "default.safetensors"), 1),
    modelsDir: path.join(dir, "models"),
  });
  await registry.install("g1", trainedBytes(1, 3.25));
  await registry.install("g1", trainedBytes(2, 3.5));
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("/model list", () => {
  it("one line per model: ▶ on the one answering, kind, size, val loss, date; and who may choose", async () => {
    const lines = (await say(modelListReply(ctx("en")))).split("\n");
    expect(lines[0]).toBe("Models of this server (▶ answers now):");
    expect(lines[1]).toMatch(/^　 default — shipped · [\d.]+ k parameters · val loss /);
    expect(lines[2]).toMatch(/^▶ #2 — trained here · [\d.]+ k parameters · val loss 3\.500 · \d{4}-\d\d-\d\d \d\d:\d\d UTC$/);
    expect(lines[3]).toMatch(/^　 #1 — trained here · .* val loss 3\.250/);
    expect(lines[4]).toMatch(/^　 tiny-gpt2 — imported \(host\) · [\d.]+ k parameters · val loss – · \d{4}-\d\d-\d\d/);
    expect(lines.at(-1)).toBe(
      "Choose one with /model use and its ref (default, #2, a name…); a val loss compares only models trained on the same text.",
    );
    const member = await say(modelListReply(ctx("en", "g1", false)));
    expect(member.split("\n").at(-1)).toMatch(/^Someone with Manage Server can choose one/);
  });

  it("in Japanese, and for the playground and direct messages", async () => {
    const ja = (await say(modelListReply(ctx("ja")))).split("\n");
    expect(ja[0]).toBe("このサーバーで使えるモデル（▶ がいま答えているモデル）:");
    expect(ja[2]).toMatch(/^▶ #2 — ここで学習 · パラメータ [\d.]+ k · 検証損失 3\.500/);
    expect((await say(modelListReply(ctx("en", "local")))).split("\n")[0]).toBe("Models of this playground (▶ answers now):");
    const dm = (await say(modelListReply(ctx("en", null)))).split("\n");
    expect(dm[0]).toBe("Models here (▶ answers now):");
    expect(dm[1]).toMatch(/^▶ default/);
  });
});

describe("/model use, rename, delete", () => {
  it("use says what answered before; again, that it already answers", async () => {
    expect(await say(modelUseReply(ctx("en"), { ref: "#1" }))).toBe("#1 answers here from now on (instead of #2).");
    expect(await say(modelUseReply(ctx("ja"), { ref: "1" }))).toBe("#1 はすでにここで答えています。");
    expect(store.models.chosen("g1")).toEqual({ kind: "stored", modelId: 1 });
  });

  it("rename and delete, and what answers after the one in use is deleted", async () => {
    expect(await say(modelRenameReply(ctx("en"), { ref: "#2", name: "  evening chat " }))).toBe("Renamed: #2 “evening chat”.");
    expect(await say(modelDeleteReply(ctx("ja"), { ref: "evening chat" }))).toBe(
      "#2 “evening chat” を削除しました。ここで答えていたので、いまは #1 が答えます。",
    );
    expect(store.models.list("g1").map((m: ModelInfo) => m.id)).toEqual([1]);
  });

  it("refuses, naming the values, and changes nothing", async () => {
    const refused = async (reply: Promise<unknown>) => {
      const err = await reply.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(InputError);
      return (err as InputError).message;
    };
    expect(await refused(modelUseReply(ctx("en"), {}))).toBe("/model use needs ref.");
    expect(await refused(modelRenameReply(ctx("en"), { ref: "#1", name: "@everyone" }))).toBe(
      'the name "@everyone" cannot be used: it must not contain @, < or > (a mention would ping people on Discord)',
    );
    expect(await refused(modelRenameReply(ctx("en"), { ref: "#1", name: "x".repeat(41) }))).toBe(
      "The text is too long: 41 characters, the limit is 40.",
    );
    expect(await refused(modelRenameReply(ctx("en"), { ref: "#1", name: "#2" }))).toBe(
      'the name "#2" cannot be used: it would read as another model\'s ref (a number, default or shipped)',
    );
    expect(await refused(modelDeleteReply(ctx("en"), { ref: "#9" }))).toBe(
      'there is no model "#9" here; the models are: default, #2, #1, tiny-gpt2',
    );
    expect(store.models.list("g1").map((m: ModelInfo) => [m.id, m.name])).toEqual([
      [2, null],
      [1, null],
    ]);
    expect(store.models.chosen("g1")).toBeUndefined();
  });
});

describe("suggestions for ref", () => {
  it("the models that fit the subcommand and the typed text, with their kind and val loss", async () => {
    const use = await modelSuggestions(ctx("en"), "use", "");
    expect(use.map((s) => s.value)).toEqual(["default", "#2", "#1", "tiny-gpt2"]);
    expect(use[1].name).toBe("▶ #2 · trained here · 3.500");
    expect((await modelSuggestions(ctx("ja"), "delete", "")).map((s) => s.value)).toEqual(["#2", "#1"]);
    expect((await modelSuggestions(ctx("en"), "use", "GPT")).map((s) => s.value)).toEqual(["tiny-gpt2"]);
  });
});

describe("a training's sentences, once for the bot and the playground", () => {
  const info = (id: number, valLoss: number): ModelInfo => ({
    id,
    guildId: "g1",
    config: { blockSize: 8, vocabSize: 10, nLayer: 1, nHead: 1, nEmbd: 4, bias: false } as ModelInfo["config"],
    step: 30,
    valLoss,
    trainLoss: 3,
    runId: 1,
    createdAt: 0,
    size: 1,
    name: null,
  });
  const done = (installation: TrainingOutcome["installation"]): TrainingOutcome => ({
    status: "done",
    model: info(3, 4.2),
    installation,
    step: 30,
    totalSteps: 30,
    valLoss: 4.2,
    trainLoss: 4,
    seconds: 12,
    tokensPerSecond: 1500,
    summary: null,
    error: null,
  });

  it("a better model answers now; a worse one is kept and the one in use named with its val loss", () => {
    const better = done(decideInstall(4.2, { kind: "stored", info: info(2, 4.5) }));
    expect(TRAINING_SENTENCES.en.outcome(better, "server")).toBe(
      "Training finished: 30 steps in 12 s (1,500 tokens/s), val loss 4.200. This server now uses its new model (server model #3): mention me to chat with it!",
    );
    const worse = done(decideInstall(4.2, { kind: "stored", info: { ...info(2, 3.9), name: "evening" } }));
    expect(worse.installation?.switched).toBe(false);
    expect(TRAINING_SENTENCES.en.outcome(worse, "playground")).toBe(
      "Training finished: 30 steps in 12 s (1,500 tokens/s), val loss 4.200. The new model #3 is kept, but #2 “evening” (val loss 3.900) still answers: its val loss is higher. To switch, press **Use it** or run `/model use ref:#3`.",
    );
    expect(TRAINING_SENTENCES.ja.outcome(worse, "server")).toBe(
      "学習が終わりました: 30 ステップ、12秒（毎秒 1,500 トークン）、検証損失 4.200。新しいモデル #3 は保存しましたが、答えるのはまだ #2 “evening”（検証損失 3.900）です。検証損失のほうが大きいためです。使うときは「これを使う」を押すか、`/model use ref:#3` で。",
    );
  });

  it("Discord adds only its mark and timestamps; the playground says the same sentence", () => {
    const waiting = done(decideInstall(4.2, { kind: "shipped" }));
    const switched = done(decideInstall(4.2, { kind: "stored", info: info(2, 4.5) }));
    for (const lang of ["en", "ja"] as const)
      for (const o of [waiting, switched]) {
        expect(texts(lang).trainOutcome(o)).toBe(TRAINING_SENTENCES[lang].outcome(o, "playground"));
        expect(strings(lang).trainOutcome(o)).toBe(`✅ ${TRAINING_SENTENCES[lang].outcome(o, "server")}`);
      }
    expect(texts("en").trainOutcome(switched)).toMatch(/The playground now uses your new model \(#3\): say something to it!$/);
    const last = { status: "stopped", at: 1_700_000_000_000, steps: 120 };
    expect(strings("en").trainNotRunning(last)).toBe(
      "No training is running. The last one ended (stopped) <t:1700000000:R> after 120 steps.",
    );
    expect(TRAINING_SENTENCES.en.notRunning("playground", last, () => "2023-11-14 22:13 UTC")).toBe(
      "No training is running. The last one ended (stopped) 2023-11-14 22:13 UTC after 120 steps.",
    );
    expect(texts("ja").trainNotRunning).toBe("学習は行われていません。`/train` で始められます。");
  });
});
