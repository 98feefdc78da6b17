import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ModelRegistry } from "../../src/app/model-registry.ts";
import { asyncSqliteStore } from "../../src/store/async-store.ts";
import { openStore, type Store } from "../../src/store/index.ts";
import { tinyCheckpointBytes, writeTinyModel } from "../discord/tiny-model.ts";

let dir: string;
let store: Store;
let defaultPath: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "registry-test-"));
  store = openStore(path.join(dir, "bot.db"));
  defaultPath = writeTinyModel(path.join(dir, "default.safetensors"), 1);
});

afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("ModelRegistry", () => {
  it("uses the default model for DMs and guilds without a model of their own, loading it once", async () => {
    const registry = new ModelRegistry({ models: asyncSqliteStore(store).models, defaultModelPath: defaultPath });
    const dm = await registry.forGuild(null);
    const guild = await registry.forGuild("g1");
    expect(dm.name).toBe("default model");
    expect(guild).toBe(dm);
    expect(await registry.hasOwnModel("g1")).toBe(false);
  });

  it("installs a guild's model, stores it, and serves it to that guild only", async () => {
    const registry = new ModelRegistry({ models: asyncSqliteStore(store).models, defaultModelPath: defaultPath });
    const { info, handle } = await registry.install("g1", tinyCheckpointBytes(7, 42));
    expect(info).toMatchObject({ guildId: "g1", step: 42, valLoss: 3.5 });
    expect(handle.name).toBe(`server model #${info.id}`);
    expect(await registry.forGuild("g1")).toBe(handle);
    expect((await registry.forGuild("g2")).name).toBe("default model");
    expect(store.models.latestId("g1")).toBe(info.id);
  });

  it("loads a guild's stored model after a restart (a new registry on the same store)", async () => {
    await new ModelRegistry({ models: asyncSqliteStore(store).models, defaultModelPath: defaultPath }).install(
      "g1",
      tinyCheckpointBytes(7, 5),
    );
    const restarted = new ModelRegistry({ models: asyncSqliteStore(store).models, defaultModelPath: defaultPath });
    const handle = await restarted.forGuild("g1");
    expect(handle.name).toMatch(/^server model #\d+$/);
    expect(handle.meta.step).toBe(5);
    expect(await restarted.forGuild("g1")).toBe(handle); // cached
  });

  it("sees a model another process stored", async () => {
    const registry = new ModelRegistry({ models: asyncSqliteStore(store).models, defaultModelPath: defaultPath });
    expect((await registry.forGuild("g1")).name).toBe("default model");
    const model = store.models.add({
      guildId: "g1",
      checkpoint: tinyCheckpointBytes(3),
      config: { vocabSize: 1, blockSize: 1, nLayer: 1, nHead: 1, nEmbd: 1, bias: false },
      step: 9,
    });
    expect((await registry.forGuild("g1")).name).toBe(`server model #${model.id}`);
  });

  it("refuses broken bytes without touching the store or the current model", async () => {
    const registry = new ModelRegistry({ models: asyncSqliteStore(store).models, defaultModelPath: defaultPath });
    const before = (await registry.install("g1", tinyCheckpointBytes(2))).handle;
    const broken = tinyCheckpointBytes(3).slice(0, 500);
    await expect(registry.install("g1", broken)).rejects.toThrow(/new model for guild g1/);
    expect(store.models.list("g1")).toHaveLength(1);
    expect(await registry.forGuild("g1")).toBe(before);
  });

  it("falls back to the default model (with one warning) when a stored model cannot load", async () => {
    const warnings: string[] = [];
    const registry = new ModelRegistry({
      models: asyncSqliteStore(store).models,
      defaultModelPath: defaultPath,
      onWarning: (m) => warnings.push(m),
    });
    store.models.add({
      guildId: "g1",
      checkpoint: new Uint8Array([1, 2, 3]),
      config: { vocabSize: 1, blockSize: 1, nLayer: 1, nHead: 1, nEmbd: 1, bias: false },
      step: 0,
    });
    expect((await registry.forGuild("g1")).name).toBe("default model");
    expect((await registry.forGuild("g1")).name).toBe("default model");
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/stored model #\d+ of guild g1: .*uses the default model instead/);
  });

  it("names the missing default model file, and retries once it exists", async () => {
    const missing = path.join(dir, "later.safetensors");
    const registry = new ModelRegistry({ defaultModelPath: missing });
    await expect(registry.forGuild(null)).rejects.toThrow(`checkpoint file not found: ${missing}`);
    writeTinyModel(missing);
    expect((await registry.forGuild(null)).name).toBe("default model");
  });

  it("cannot install without a store", async () => {
    await expect(new ModelRegistry({ defaultModelPath: defaultPath }).install("g1", tinyCheckpointBytes())).rejects.toThrow(
      "cannot install a model for guild g1: this registry has no model store",
    );
  });
});

describe("a corrupt newest model", () => {
  it("is refused (checksum) while the guild keeps its last good model", async () => {
    const d = mkdtempSync(path.join(tmpdir(), "registry-corrupt-"));
    const s = openStore(path.join(d, "bot.db"));
    try {
      const warnings: string[] = [];
      const registry = new ModelRegistry({
        models: asyncSqliteStore(s).models,
        defaultModelPath: defaultPath,
        onWarning: (m) => warnings.push(m),
      });
      const good = (await registry.install("g9", tinyCheckpointBytes(2))).handle;
      // a newer checkpoint whose data was damaged after it was written: one byte flipped near the end
      const damaged = tinyCheckpointBytes(3);
      damaged[damaged.length - 3] ^= 0xff;
      s.models.add({ guildId: "g9", checkpoint: damaged, config: good.model.config, step: 5 });
      const served = await registry.forGuild("g9");
      expect(served.name).toBe(good.name);
      expect(warnings.join("\n")).toMatch(/checksum mismatch/);
      expect(warnings.join("\n")).toMatch(/keeps serving its last good model/);
    } finally {
      s.close();
      rmSync(d, { recursive: true, force: true });
    }
  });
});
