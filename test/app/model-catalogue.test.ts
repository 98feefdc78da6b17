/**
 * Models as things a user can see and choose: the list (shipped, trained, imported, broken),
 * use / rename / delete and their refusals, the registry answering with the choice and falling
 * back, the privacy paths clearing choices and names, and a training's model chosen only when
 * it is better than the model in use.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { guildModelReport } from "../../src/app/guild-model.ts";
import { deleteModel, listModels, renameModel, useModel } from "../../src/app/model-catalogue.ts";
import { ModelRegistry } from "../../src/app/model-registry.ts";
import { InputError } from "../../src/app/prompt.ts";
import type { TrainingJob, TrainingJobHooks, TrainingSummary } from "../../src/app/training-job.ts";
import { TrainingService } from "../../src/app/training-service.ts";
import { presetConfig } from "../../src/model/config.ts";
import { countParams } from "../../src/model/params.ts";
import { type AsyncStore, asyncSqliteStore } from "../../src/store/async-store.ts";
import { openStore, type Store } from "../../src/store/index.ts";
import { writeTinyModel } from "../discord/tiny-model.ts";
import { GPT2_SHAPE, trainedBytes, writeGpt2Folder } from "./model-files.ts";

let dir: string;
let modelsDir: string;
let store: Store;
/** the same store as the code under test uses it */
let shared: AsyncStore;
let registry: ModelRegistry;
let warnings: string[];
const deps = () => ({ registry, store: shared });

function newRegistry(installPolicy?: "ask" | "switch"): ModelRegistry {
  return new ModelRegistry({
    models: shared.models,
    defaultModelPath: path.join(dir, "default.safetensors"),
    modelsDir,
    installPolicy,
    onWarning: (m) => warnings.push(m),
  });
}

/** The InputError a call is refused with (and that it is one). */
async function refusal(call: () => Promise<unknown>): Promise<InputError> {
  try {
    await call();
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return err as InputError;
  }
  throw new Error("the call was not refused");
}

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "model-catalogue-"));
  modelsDir = path.join(dir, "models");
  mkdirSync(modelsDir);
  store = openStore(path.join(dir, "bot.db"));
  shared = asyncSqliteStore(store);
  writeTinyModel(path.join(dir, "default.safetensors"), 1);
  warnings = [];
  registry = newRegistry();
});

afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Two trained models in g1 (#1 val 3.0, #2 val 3.4), a GPT-2 folder, a broken one, a download not finished, a note. */
async function populate(): Promise<void> {
  await registry.install("g1", trainedBytes(1, 3.0), { runId: store.runs.start("g1", { preset: "tiny" }).id });
  await registry.install("g1", trainedBytes(2, 3.4));
  writeGpt2Folder(path.join(modelsDir, "tiny-gpt2"));
  // a GPT-2 folder whose weights were cut short
  const broken = writeGpt2Folder(path.join(modelsDir, "cut-gpt2"), 2);
  const weights = path.join(broken, "model.safetensors");
  writeFileSync(weights, readFileSync(weights).subarray(0, 5000));
  mkdirSync(path.join(modelsDir, "half"));
  writeFileSync(path.join(modelsDir, "half", "model.safetensors.part"), new Uint8Array(10));
  writeFileSync(path.join(modelsDir, "README.txt"), "not a model");
}

describe("the list of models", () => {
  it("has the shipped model, the space's trained ones, and the host's imported ones, a broken one with its reason", async () => {
    await populate();
    const list = await listModels(deps(), "g1");
    expect(list.models.map((m) => [m.ref, m.source, m.usable])).toEqual([
      ["default", "shipped", true],
      ["#2", "stored", true],
      ["#1", "stored", true],
      ["cut-gpt2", "imported", false],
      ["half", "imported", false],
      ["tiny-gpt2", "imported", true],
    ]);
    const [shipped, two, one, cut, half, gpt2] = list.models;
    // the latest trained model answers (no choice yet)
    expect(list.inUse).toBe("#2");
    expect(list.models.filter((m) => m.inUse).map((m) => m.ref)).toEqual(["#2"]);
    expect(shipped.identity.kind).toBe("shipped");
    expect(shipped.parameters).toBe(countParams(shipped.config!));
    const tiny = presetConfig("tiny", one.config!.vocabSize);
    expect(one).toMatchObject({
      valLoss: 3.0,
      step: 10,
      parameters: countParams(tiny),
      preset: "tiny",
      identity: { kind: "server", id: "1" },
    });
    expect(one.runId).not.toBeNull();
    expect(two).toMatchObject({ valLoss: 3.4, runId: null });
    expect(two.createdAt).toBeGreaterThan(0);
    const { C, T, V } = GPT2_SHAPE;
    expect(gpt2).toMatchObject({
      format: "Hugging Face GPT-2",
      identity: { kind: "imported", id: path.join(modelsDir, "tiny-gpt2"), displayName: "tiny-gpt2" },
      config: { nEmbd: C, blockSize: T, vocabSize: V, nLayer: 1, bias: true },
    });
    expect(gpt2.parameters).toBe(countParams(gpt2.config!));
    expect(cut.reason).toMatch(/model\.safetensors/);
    expect(half.reason).toMatch(/download not finished \(model\.safetensors\.part\): run fetch-model again/);
    // the playground's space has none of g1's models
    expect((await listModels(deps(), "local")).models.map((m) => m.ref)).toEqual(["default", "cut-gpt2", "half", "tiny-gpt2"]);
  });
});

describe("using a model", () => {
  it("answers with the chosen model, in that space only; an imported model is loaded once for every space", async () => {
    await populate();
    const used = await useModel(deps(), "g1", "#1");
    expect(used.previous?.ref).toBe("#2");
    expect((await registry.forGuild("g1")).identity).toEqual({ kind: "server", id: "1", displayName: "server model #1" });
    expect((await listModels(deps(), "g1")).inUse).toBe("#1");
    // a restart reads the choice back
    expect((await newRegistry().forGuild("g1")).identity?.id).toBe("1");

    // /model describes the chosen model, not the latest
    expect(await guildModelReport(registry, shared, "g1")).toMatchObject({ own: true, stored: { id: 1, valLoss: 3.0 } });

    await useModel(deps(), "g1", "default");
    expect((await registry.forGuild("g1")).identity?.kind).toBe("shipped");
    expect(await guildModelReport(registry, shared, "g1")).toMatchObject({ own: false, stored: null });

    await useModel(deps(), "g1", "tiny-gpt2");
    await useModel(deps(), "local", "tiny-gpt2");
    const a = await registry.forGuild("g1");
    const b = await registry.forGuild("local");
    expect(a.identity).toMatchObject({ kind: "imported", displayName: "tiny-gpt2" });
    expect(b).toBe(a);
    expect(a.model.config.vocabSize).toBe(GPT2_SHAPE.V);
    expect((await registry.forGuild("g2")).identity?.kind).toBe("shipped");
  });

  it("refuses an unknown ref naming the choices, a broken model with its reason, another space's model; nothing changes", async () => {
    await populate();
    const unknown = await refusal(() => useModel(deps(), "g1", "gpt-5"));
    expect(unknown.code).toBe("unknown-model");
    expect(unknown.message).toBe('there is no model "gpt-5" here; the models are: default, #2, #1, cut-gpt2, half, tiny-gpt2');
    const broken = await refusal(() => useModel(deps(), "g1", "cut-gpt2"));
    expect(broken.code).toBe("model-unusable");
    expect(broken.message).toMatch(/^cut-gpt2 cannot be used: .*model\.safetensors/);
    // g1's model #1 is not the playground's
    expect((await refusal(() => useModel(deps(), "local", "#1"))).code).toBe("unknown-model");
    expect(store.models.chosen("g1")).toBeUndefined();
    expect(store.models.chosen("local")).toBeUndefined();
    expect((await registry.forGuild("g1")).identity?.id).toBe("2");
  });
});

describe("renaming a model", () => {
  it("names a stored model, which can then be used by that name", async () => {
    await populate();
    const renamed = await renameModel(deps(), "g1", "#1", "  Morning chat  ");
    expect(renamed.userName).toBe("Morning chat");
    expect((await listModels(deps(), "g1")).models.find((m) => m.ref === "#1")?.userName).toBe("Morning chat");
    await useModel(deps(), "g1", "morning CHAT");
    expect((await registry.forGuild("g1")).identity?.id).toBe("1");
  });

  it("refuses the shipped and imported models, and names that are long, multi-line, mentions, refs or taken", async () => {
    await populate();
    await renameModel(deps(), "g1", "#2", "evening");
    const cases: [string, string, RegExp][] = [
      ["default", "x", /^the shipped model cannot be renamed$/],
      ["tiny-gpt2", "x", /imported models.*cannot be renamed here/],
      ["#1", "a".repeat(41), /it has 41 characters, at most 40 are allowed/],
      ["#1", "two\nlines", /one line/],
      ["#1", "@everyone", /must not contain @/],
      ["#1", "<@123456789012345678>", /must not contain @/],
      ["#1", "#2", /another model's ref/],
      ["#1", "Default", /another model's ref/],
      ["#1", "Evening", /#2 is already called that/],
      ["#1", "tiny-gpt2", /tiny-gpt2 is already called that/],
      ["#1", "   ", /it is empty/],
      ["#9", "x", /there is no model "#9" here/],
    ];
    for (const [ref, name, message] of cases) {
      const err = await refusal(() => renameModel(deps(), "g1", ref, name));
      expect(err.message, `${ref} → ${JSON.stringify(name)}`).toMatch(message);
    }
    expect(store.models.list("g1").map((m) => m.name)).toEqual(["evening", null]);
  });
});

describe("deleting a model", () => {
  it("deletes a stored model; deleting the one in use falls back and says to what", async () => {
    await populate();
    await useModel(deps(), "g1", "#1");
    const first = await deleteModel(deps(), "g1", "#1");
    expect(first).toMatchObject({ deleted: { ref: "#1" }, wasInUse: true, nowInUse: { ref: "#2" } });
    expect(store.models.chosen("g1")).toBeUndefined();
    expect((await registry.forGuild("g1")).identity?.id).toBe("2");
    const last = await deleteModel(deps(), "g1", "#2");
    expect(last).toMatchObject({ wasInUse: true, nowInUse: { ref: "default", source: "shipped" } });
    expect((await registry.forGuild("g1")).identity?.kind).toBe("shipped");
  });

  it("refuses the shipped and imported models", async () => {
    await populate();
    expect((await refusal(() => deleteModel(deps(), "g1", "default"))).message).toBe("the shipped model cannot be deleted");
    expect((await refusal(() => deleteModel(deps(), "g1", "tiny-gpt2"))).message).toMatch(/only the host can remove it/);
    expect(store.models.list("g1")).toHaveLength(2);
  });

  it("a chosen model deleted by another process: the registry falls back to the latest trained model", async () => {
    await populate();
    await useModel(deps(), "g1", "#1");
    expect((await registry.forGuild("g1")).identity?.id).toBe("1");
    expect(store.models.remove("g1", 1)).toBe(true);
    expect((await registry.forGuild("g1")).identity?.id).toBe("2");
    expect(await registry.inUse("g1")).toMatchObject({ kind: "stored", info: { id: 2 } });
  });

  it("an imported model removed from the folder: the space falls back, with one warning", async () => {
    await populate();
    await useModel(deps(), "g1", "tiny-gpt2");
    rmSync(path.join(modelsDir, "tiny-gpt2"), { recursive: true });
    expect((await registry.forGuild("g1")).identity?.id).toBe("2");
    expect((await registry.forGuild("g1")).identity?.id).toBe("2");
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/g1's chosen model cannot be used .*has no model "tiny-gpt2"/);
  });
});

describe("privacy", () => {
  it("/admin wipe (forgetGuild) clears the space's choice and names, and nothing of another space", async () => {
    await populate();
    await renameModel(deps(), "g1", "#1", "ours");
    await useModel(deps(), "g1", "tiny-gpt2");
    await useModel(deps(), "local", "default");
    store.forgetGuild("g1");
    registry.forget("g1");
    expect(store.models.chosen("g1")).toBeUndefined();
    expect(store.models.list("g1")).toEqual([]);
    expect(store.models.chosen("local")).toEqual({ kind: "shipped" });
    expect((await registry.forGuild("g1")).identity?.kind).toBe("shipped");
    // a model trained after the wipe gets a fresh start: no old name, the latest answers
    await registry.install("g1", trainedBytes(3, 3.0));
    expect(store.models.list("g1").map((m) => m.name)).toEqual([null]);
  });

  it("pruning old models never deletes the chosen one", async () => {
    await populate();
    registry = newRegistry("ask");
    await useModel(deps(), "g1", "#1");
    expect((await registry.install("g1", trainedBytes(4, 3.2))).decision.switched).toBe(false);
    expect(store.models.prune("g1", 1)).toBe(1);
    expect(store.models.list("g1").map((m) => m.id)).toEqual([3, 1]);
  });
});

describe("a finished training's model", () => {
  it('policy "ask": stored but not chosen when worse or not comparable, chosen when better', async () => {
    registry = newRegistry("ask");
    // 1. the shipped model answers: its loss was measured on other text, so the new model waits
    const first = await registry.install("g1", trainedBytes(1, 3.0));
    expect(first.decision).toMatchObject({ switched: false, reason: "not-comparable", valLoss: 3.0, previous: { kind: "shipped" } });
    expect((await registry.forGuild("g1")).identity?.kind).toBe("shipped");
    expect((await listModels(deps(), "g1")).inUse).toBe("default");
    // 2. the user takes it; 3. a worse one is kept aside; 4. a better one takes over
    await useModel(deps(), "g1", `#${first.info.id}`);
    const worse = await registry.install("g1", trainedBytes(2, 3.5));
    expect(worse.decision).toMatchObject({ switched: false, reason: "worse", valLoss: 3.5, previousValLoss: 3.0 });
    expect((await registry.forGuild("g1")).identity?.id).toBe(String(first.info.id));
    expect(store.models.list("g1")).toHaveLength(2);
    const better = await registry.install("g1", trainedBytes(3, 2.5));
    expect(better.decision).toMatchObject({ switched: true, reason: "better", previousValLoss: 3.0 });
    expect((await registry.forGuild("g1")).identity?.id).toBe(String(better.info.id));
    expect(store.models.chosen("g1")).toBeUndefined();
    // 5. an unknown loss is never a reason to switch
    expect((await registry.install("g1", trainedBytes(4, null))).decision).toMatchObject({ switched: false, reason: "unknown-loss" });
    expect((await registry.forGuild("g1")).identity?.id).toBe(String(better.info.id));
  });

  it('policy "switch" (the default until the surfaces ask): the model takes over, the decision still says why', async () => {
    await registry.install("g1", trainedBytes(1, 3.0));
    const worse = await registry.install("g1", trainedBytes(2, 3.5));
    expect(worse.decision).toMatchObject({ switched: true, reason: "worse" });
    expect((await registry.forGuild("g1")).identity?.id).toBe(String(worse.info.id));
  });
});

describe("a training through the training service", () => {
  /** A training whose worker sends one checkpoint of val loss `valLoss` and finishes. */
  async function trainOnce(service: TrainingService, valLoss: number, seed: number) {
    const training = service.begin("g1", { preset: "tiny", minutes: 1 });
    await training.train(Array.from({ length: 40 }, (_, i) => `message number ${i} about the weather and lunch`));
    const point = { step: 10, trainLoss: 4, valLoss, lr: 1e-3, tokens: 1280, totalSteps: 10 };
    const timing = { tokensPerSecond: 100, elapsedSeconds: 1, stepSeconds: 0.1, etaSeconds: 0 };
    hooks!.onCheckpoint!(trainedBytes(seed, valLoss), { ...point, ...timing });
    finish!();
    return training.done;
  }
  let hooks: TrainingJobHooks | undefined;
  let finish: (() => void) | undefined;
  const startJob = (_docs: string[], _options: unknown, h: TrainingJobHooks): TrainingJob => {
    hooks = h;
    const done = new Promise<TrainingSummary>((resolve) => {
      finish = () =>
        resolve({
          steps: 10,
          totalSteps: 10,
          seconds: 1,
          tokensPerSecond: 100,
          stopped: "done",
          curve: [],
        } as unknown as TrainingSummary);
    });
    return { stop() {}, kill: async () => {}, done };
  };

  it('the outcome says whether the model now answers: a worse one is stored but not chosen, a better one is (policy "ask")', async () => {
    registry = newRegistry("ask");
    const service = new TrainingService({ store: shared, registry, startJob });
    await useModel(deps(), "g1", `#${(await registry.install("g1", trainedBytes(9, 3.0))).info.id}`);
    const worse = await trainOnce(service, 3.6, 1);
    expect(worse).toMatchObject({ status: "done", installation: { switched: false, reason: "worse", valLoss: 3.6, previousValLoss: 3.0 } });
    expect(worse.model).not.toBeNull();
    expect((await registry.forGuild("g1")).identity?.id).toBe("1");
    const better = await trainOnce(service, 2.9, 2);
    expect(better).toMatchObject({ status: "done", installation: { switched: true, reason: "better" } });
    expect((await registry.forGuild("g1")).identity?.id).toBe(String(better.model!.id));
    expect(store.models.list("g1").map((m) => m.id)).toEqual([3, 2, 1]);
  });
});
