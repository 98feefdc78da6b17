/**
 * `cli models`: the same store as the bot (DATABASE_PATH) and the host's MODELS_DIR: list (text
 * and --json), use, rename, delete, and their refusals (exit 1 with one line, nothing changed).
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type ConsoleSession, findConsoleCommand } from "../../src/adapters/cli/console-commands.ts";
import { openConsoleSpace } from "../../src/adapters/cli/console-space.ts";
import { GENERATE_DEFAULTS } from "../../src/app/generate-text.ts";
import { inputErrorSentence } from "../../src/app/input-messages.ts";
import type { InputError } from "../../src/app/prompt.ts";
import { ModelRegistry } from "../../src/app/model-registry.ts";
import { asyncSqliteStore } from "../../src/store/async-store.ts";
import { openStore } from "../../src/store/index.ts";
import { trainedBytes, writeGpt2Folder } from "../app/model-files.ts";
import { writeTinyModel } from "../discord/tiny-model.ts";
import { cliInProcess as cli } from "../helpers/cli-in-process.ts";

let dir: string;
let saved: Record<string, string | undefined>;
const GUILD = "123456789012345678";

async function withStore<T>(use: (store: ReturnType<typeof openStore>) => T | Promise<T>): Promise<T> {
  const store = openStore(path.join(dir, "bot.db"));
  try {
    return await use(store);
  } finally {
    store.close();
  }
}

beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "cli-models-"));
  saved = {
    DATABASE_PATH: process.env.DATABASE_PATH,
    MODELS_DIR: process.env.MODELS_DIR,
    DEFAULT_MODEL_PATH: process.env.DEFAULT_MODEL_PATH,
  };
  process.env.DATABASE_PATH = path.join(dir, "bot.db");
  process.env.MODELS_DIR = path.join(dir, "models");
  process.env.DEFAULT_MODEL_PATH = writeTinyModel(path.join(dir, "default.safetensors"));
  mkdirSync(process.env.MODELS_DIR);
  writeGpt2Folder(path.join(process.env.MODELS_DIR, "tiny-gpt2"));
  // what the bot stored: two models trained in a server
  await withStore(async (store) => {
    const registry = new ModelRegistry({ models: asyncSqliteStore(store).models, defaultModelPath: process.env.DEFAULT_MODEL_PATH });
    await registry.install(GUILD, trainedBytes(1, 3.25));
    await registry.install(GUILD, trainedBytes(2, 3.5));
  });
});

afterEach(() => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  rmSync(dir, { recursive: true, force: true });
});

describe("cli models", () => {
  it("lists a server's models from the bot's store and MODELS_DIR, the one answering marked", async () => {
    const text = await cli("models", "--space", GUILD);
    expect(text.code).toBe(0);
    const lines = text.out.trimEnd().split("\n");
    expect(lines[0]).toBe(`models of ${GUILD} (* answers now):`);
    expect(lines.slice(1).map((l) => l.slice(0, 12).trim())).toEqual(["default", "* #2", "#1", "tiny-gpt2"]);
    expect(lines[3]).toMatch(/ #1 +stored +[\d,]+ parameters · this project's checkpoint · val loss 3\.250 · step 10 · \d{4}-\d\d-\d\d$/);
    expect(lines[4]).toMatch(/tiny-gpt2 +imported +[\d,]+ parameters · Hugging Face GPT-2 · val loss unknown · step 0/);
    const json = JSON.parse((await cli("models", "list", "--space", GUILD, "--json")).out);
    expect(json.inUse).toBe("#2");
    expect(json.models.map((m: { ref: string }) => m.ref)).toEqual(["default", "#2", "#1", "tiny-gpt2"]);
    // the playground's space has none of the server's models
    expect(JSON.parse((await cli("models", "--json")).out).models.map((m: { ref: string }) => m.ref)).toEqual(["default", "tiny-gpt2"]);
  });

  it("use, rename and delete write the same store the bot reads", async () => {
    expect((await cli("models", "use", "#1", "--space", GUILD)).out).toBe(`${GUILD} now answers with #1 (instead of #2).\n`);
    expect(await withStore((s) => s.models.chosen(GUILD))).toEqual({ kind: "stored", modelId: 1 });
    expect((await cli("models", "rename", "#1", "first try", "--space", GUILD)).out).toBe('#1 is now called "first try".\n');
    expect((await cli("models", "use", "tiny-gpt2")).out).toBe("local now answers with tiny-gpt2 (instead of default).\n");
    expect(await withStore((s) => s.models.chosen("local"))).toEqual({ kind: "imported", name: "tiny-gpt2" });
    expect((await cli("models", "delete", "first try", "--space", GUILD)).out).toBe(
      `Deleted #1 "first try". It was answering in ${GUILD}: #2 answers now.\n`,
    );
    expect(await withStore((s) => [s.models.chosen(GUILD), s.models.list(GUILD).map((m) => m.id)])).toEqual([undefined, [2]]);
  });

  it("refuses unknown refs and subcommands, the shipped model's rename and delete, with one line; nothing changes", async () => {
    const cases: [string[], number, RegExp][] = [
      [
        ["models", "use", "gpt-5", "--space", GUILD],
        1,
        /^error: there is no model "gpt-5" here; the models are: default, #2, #1, tiny-gpt2\n$/,
      ],
      [["models", "delete", "default"], 1, /^error: the shipped model cannot be deleted\n$/],
      [["models", "rename", "default", "x"], 1, /^error: the shipped model cannot be renamed\n$/],
      [["models", "rename", "#1", "@everyone", "--space", GUILD], 1, /must not contain @/],
      [["models", "frob"], 2, /^error: models: unknown subcommand "frob"; subcommands: list, use, rename, delete\n$/],
      [["models", "use"], 2, /REF is required/],
      [["models", "use", "#1", "#2"], 2, /unexpected argument "#2"/],
    ];
    for (const [argv, code, message] of cases) {
      const r = await cli(...argv);
      expect([r.code, r.out], argv.join(" ")).toEqual([code, ""]);
      expect(r.err).toMatch(message);
    }
    expect(await withStore((s) => [s.models.chosen(GUILD), s.models.chosen("local"), s.models.list(GUILD).map((m) => m.name)])).toEqual([
      undefined,
      undefined,
      [null, null],
    ]);
  });
});

describe("--model REF and the console's /model", () => {
  /** The playground's own trained model (#3 of the store), with the tiny tokenizer of trainedBytes. */
  const trainLocal = () =>
    withStore(
      async (store) =>
        (
          await new ModelRegistry({ models: asyncSqliteStore(store).models, defaultModelPath: process.env.DEFAULT_MODEL_PATH }).install(
            "local",
            trainedBytes(3, 3.1),
          )
        ).info.id,
    );

  it("a command takes a model of the playground's store by its ref, and refuses one that names nothing", async () => {
    const id = await trainLocal();
    const fromStore = await cli("predict", "--text", "ab", "--json", "--model", `#${id}`);
    expect(fromStore.code).toBe(0);
    const fromFile = await cli("predict", "--text", "ab", "--json", "--model", process.env.DEFAULT_MODEL_PATH!);
    // the stored model is not the shipped one: other weights, other logits
    expect(JSON.parse(fromStore.out).model).toBe(`your model #${id}`);
    expect(JSON.parse(fromStore.out).next[0].logit).not.toBe(JSON.parse(fromFile.out).next[0].logit);
    const shipped = await cli("predict", "--text", "ab", "--json", "--model", "default");
    // "default" is the shipped model of the store's registry (DEFAULT_MODEL_PATH): the same numbers as its file
    expect(JSON.parse(shipped.out)).toEqual({ ...JSON.parse(fromFile.out), model: "default model" });
    const unknown = await cli("predict", "--text", "ab", "--model", "gpt-9");
    expect(unknown.code).toBe(2);
    expect(unknown.err).toBe(
      `error: model file not found: gpt-9, and the playground's store has no model "gpt-9" either; its models are: default, #${id}, tiny-gpt2 (DATABASE_PATH and MODELS_DIR say where)\n`,
    );
  });

  it("/model list and /model use REF in the console read and write the playground's choice", async () => {
    const id = await trainLocal();
    const space = await openConsoleSpace(process.env);
    let written = "";
    const session: ConsoleSession = {
      space,
      lang: "en",
      settings: { ...GENERATE_DEFAULTS },
      write: (t) => {
        written += t;
      },
    };
    const run = async (line: string, lang: "en" | "ja" = "en") => {
      written = "";
      const found = findConsoleCommand(line);
      if ("unknown" in found) throw new Error(`no console command ${found.unknown}`);
      await found.command.run(found.rest, { ...session, lang });
      return written.trimEnd();
    };
    try {
      expect(await run("/model list")).toMatch(
        /^Models of this playground \(▶ answers now\):\n　 default — shipped .*\n▶ #\d+ — trained here/,
      );
      expect((await space.handle()).identity?.kind).toBe("trained-here");
      expect(await run("/model use default")).toBe(`default answers here from now on (instead of #${id}).`);
      // the console answers with it at once, and the playground's choice is written
      expect((await space.handle()).identity?.kind).toBe("shipped");
      expect(await withStore((s) => s.models.chosen("local"))).toEqual({ kind: "shipped" });
      const refused = await run("/model use nope", "ja").then(
        () => "",
        (err: unknown) => inputErrorSentence("ja", err as InputError),
      );
      expect(refused).toBe(`「nope」というモデルはここにありません。使えるモデル: default, #${id}, tiny-gpt2`);
      expect(await withStore((s) => s.models.chosen("local"))).toEqual({ kind: "shipped" });
      expect(await run("/model")).toMatch(/^\*?\*?default model/);
    } finally {
      await space.close();
    }
  });
});
