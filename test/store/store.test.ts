import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openStore, type Store } from "../../src/store/index.ts";
import { MIGRATIONS } from "../../src/store/migrations.ts";
import { openDatabase } from "../../src/store/database.ts";

const tinyConfig = { vocabSize: 10, blockSize: 8, nLayer: 1, nHead: 1, nEmbd: 4, bias: false };

let dir: string;
let file: string;
let clock: number;
let store: Store;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "store-test-"));
  file = path.join(dir, "nested", "bot.db");
  clock = 1_700_000_000_000;
  store = openStore(file, { now: () => clock });
});

afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const message = (id: string, guildId: string, text: string, createdAt: number, channelId = "c1", authorId = "u1") => ({
  id,
  guildId,
  channelId,
  authorId,
  text,
  createdAt,
});

describe("opening", () => {
  it("creates the folder and file, uses WAL and is at the latest schema version", () => {
    expect(store.version()).toBe(MIGRATIONS.length);
    const raw = new Database(file, { readonly: true });
    expect(raw.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(raw.pragma("user_version", { simple: true })).toBe(MIGRATIONS.length);
    raw.close();
  });

  it("reopens without migrating again and keeps the data", () => {
    store.messages.add(message("m1", "g1", "hello", 1));
    store.close();
    store = openStore(file);
    expect(store.messages.texts("g1")).toEqual(["hello"]);
  });

  it("applies migrations in order and refuses a newer database", () => {
    const target = path.join(dir, "custom.db");
    const migrations = [
      { name: "1: a", sql: "CREATE TABLE a (x INTEGER)" },
      { name: "2: b", sql: "CREATE TABLE b (y INTEGER); INSERT INTO a VALUES (1)" },
    ];
    openDatabase(target, migrations.slice(0, 1)).close();
    const db = openDatabase(target, migrations);
    expect(db.pragma("user_version", { simple: true })).toBe(2);
    expect(db.prepare("SELECT x FROM a").all()).toEqual([{ x: 1 }]);
    db.close();
    expect(() => openDatabase(target, migrations.slice(0, 1))).toThrow(/schema version 2 is newer than this bot knows \(1\)/);
  });

  it("names the migration that failed and leaves the version unchanged", () => {
    const target = path.join(dir, "broken.db");
    expect(() => openDatabase(target, [{ name: "1: broken", sql: "CREATE TABLE (" }])).toThrow(/migration 1: broken failed/);
    const raw = new Database(target);
    expect(raw.pragma("user_version", { simple: true })).toBe(0);
    raw.close();
  });
});

describe("guilds and settings", () => {
  it("upserts guilds keeping the first join time", () => {
    store.guilds.upsert({ id: "g1", name: "One" });
    clock += 1000;
    store.guilds.upsert({ id: "g1", name: "One renamed" });
    expect(store.guilds.get("g1")).toEqual({ id: "g1", name: "One renamed", joinedAt: 1_700_000_000_000 });
    expect(store.guilds.get("nope")).toBeUndefined();
  });

  it("keeps settings per guild as JSON", () => {
    store.settings.set("g1", "channels", ["c1", "c2"]);
    store.settings.set("g1", "consent", true);
    store.settings.set("g2", "channels", []);
    expect(store.settings.get("g1", "channels")).toEqual(["c1", "c2"]);
    expect(store.settings.all("g1")).toEqual({ channels: ["c1", "c2"], consent: true });
    expect(store.settings.get("g2", "consent")).toBeUndefined();
    expect(store.settings.delete("g1", "consent")).toBe(true);
    expect(() => store.settings.set("g1", "bad", undefined)).toThrow(/cannot be stored as JSON/);
  });
});

describe("messages", () => {
  it("stores each message once per guild and pages the newest first, returned oldest first", () => {
    expect(store.messages.add(message("m1", "g1", "one", 10))).toBe(true);
    expect(store.messages.add(message("m1", "g1", "one again", 10))).toBe(false);
    expect(
      store.messages.addMany([message("m2", "g1", "two", 20), message("m3", "g1", "three", 30, "c2"), message("m2", "g1", "dup", 20)]),
    ).toBe(2);
    expect(store.messages.count("g1")).toBe(3);
    expect(store.messages.count("g1", "c2")).toBe(1);
    expect(store.messages.recent("g1", { limit: 2 }).map((m) => m.text)).toEqual(["two", "three"]);
    expect(store.messages.recent("g1", { before: 30 }).map((m) => m.text)).toEqual(["one", "two"]);
    expect(store.messages.recent("g1", { channelId: "c1" }).map((m) => m.id)).toEqual(["m1", "m2"]);
    expect(store.messages.newest("g1", "c1")?.id).toBe("m2");
    expect(store.messages.texts("g1")).toEqual(["one", "two", "three"]);
  });

  it("never mixes guilds, even for the same message id", () => {
    store.messages.add(message("m1", "g1", "guild one", 10));
    store.messages.add(message("m1", "g2", "guild two", 10));
    expect(store.messages.texts("g1")).toEqual(["guild one"]);
    expect(store.messages.texts("g2")).toEqual(["guild two"]);
    expect(store.messages.deleteAuthor("g1", "u1")).toBe(1);
    expect(store.messages.texts("g2")).toEqual(["guild two"]);
  });
});

describe("training runs", () => {
  it("records a run, its loss points and its end", () => {
    const run = store.runs.start("g1", { preset: "baby", steps: 100 });
    expect(run).toMatchObject({
      guildId: "g1",
      status: "running",
      startedAt: clock,
      finishedAt: null,
      options: { preset: "baby", steps: 100 },
    });
    store.runs.addPoint(run.id, { step: 0, trainLoss: 4.2, valLoss: 4.3, lr: 0.001, tokens: 0 });
    store.runs.addPoint(run.id, { step: 10, trainLoss: 3.1, valLoss: null, lr: 0.001, tokens: 5120 });
    expect(store.runs.running("g1")?.id).toBe(run.id);
    clock += 5000;
    const done = store.runs.finish(run.id, "done");
    expect(done).toMatchObject({ status: "done", finishedAt: clock, error: null });
    expect(store.runs.points("g1", run.id)).toEqual([
      { step: 0, trainLoss: 4.2, valLoss: 4.3, lr: 0.001, tokens: 0 },
      { step: 10, trainLoss: 3.1, valLoss: null, lr: 0.001, tokens: 5120 },
    ]);
    expect(store.runs.running("g1")).toBeUndefined();
    expect(() => store.runs.finish(run.id, "failed")).toThrow(`training run ${run.id} is already done`);
    expect(() => store.runs.finish(999, "done")).toThrow("training run 999 does not exist");
    expect(() => store.runs.addPoint(999, { step: 0, trainLoss: 1, valLoss: null, lr: 1, tokens: 0 })).toThrow(
      "training run 999 does not exist",
    );
  });

  it("keeps failures' reasons and hides one guild's runs from another", () => {
    const run = store.runs.start("g1");
    store.runs.addPoint(run.id, { step: 0, trainLoss: 1, valLoss: null, lr: 1, tokens: 0 });
    store.runs.finish(run.id, "failed", "out of memory");
    expect(store.runs.latest("g1")).toMatchObject({ status: "failed", error: "out of memory" });
    expect(store.runs.get("g2", run.id)).toBeUndefined();
    expect(store.runs.points("g2", run.id)).toEqual([]);
    expect(store.runs.latest("g2")).toBeUndefined();
  });

  it("marks runs left running as interrupted, all or only some guilds'", () => {
    const a = store.runs.start("g1");
    const b = store.runs.start("g2");
    const c = store.runs.start("g3");
    store.runs.finish(c.id, "stopped");
    expect(store.runs.markInterrupted(["g2"])).toBe(1);
    expect(store.runs.get("g2", b.id)?.status).toBe("interrupted");
    expect(store.runs.get("g1", a.id)?.status).toBe("running");
    expect(store.runs.markInterrupted()).toBe(1);
    expect(store.runs.get("g1", a.id)).toMatchObject({ status: "interrupted", finishedAt: clock });
    expect(store.runs.get("g3", c.id)?.status).toBe("stopped");
  });

  it("adds many points in one go, replacing those of the same step", () => {
    const run = store.runs.start("g1");
    store.runs.addPoint(run.id, { step: 10, trainLoss: 3, valLoss: null, lr: 1, tokens: 10 });
    store.runs.addPoints(
      run.id,
      Array.from({ length: 10 }, (_, i) => ({ step: i + 1, trainLoss: 4 - i / 10, valLoss: i === 9 ? 3.5 : null, lr: 1, tokens: i + 1 })),
    );
    const points = store.runs.points("g1", run.id);
    expect(points.map((p) => p.step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(points[9]).toMatchObject({ trainLoss: 3.1, valLoss: 3.5 });
    expect(() => store.runs.addPoints(999, [])).toThrow("training run 999 does not exist");
  });

  it("survives a restart: a run left running is found after reopening", () => {
    const run = store.runs.start("g1", { steps: 10 });
    store.runs.addPoint(run.id, { step: 5, trainLoss: 2, valLoss: 2.1, lr: 0.5, tokens: 100 });
    store.close();
    store = openStore(file, { now: () => clock });
    expect(store.runs.markInterrupted()).toBe(1);
    expect(store.runs.latest("g1")?.status).toBe("interrupted");
    expect(store.runs.points("g1", run.id)).toHaveLength(1);
  });
});

describe("models", () => {
  it("stores checkpoints per guild; latest is the newest; prune keeps the newest", () => {
    const bytes = (n: number) => new Uint8Array([n, n, n]);
    const run = store.runs.start("g1");
    const first = store.models.add({ guildId: "g1", checkpoint: bytes(1), config: tinyConfig, step: 10, valLoss: 2.5, runId: run.id });
    const second = store.models.add({ guildId: "g1", checkpoint: bytes(2), config: tinyConfig, step: 20, valLoss: 2.0, trainLoss: 1.9 });
    store.models.add({ guildId: "g2", checkpoint: bytes(9), config: tinyConfig, step: 1 });
    expect(first).toMatchObject({ guildId: "g1", step: 10, valLoss: 2.5, trainLoss: null, runId: run.id, size: 3, config: tinyConfig });
    expect(store.models.latestId("g1")).toBe(second.id);
    const latest = store.models.latest("g1")!;
    expect([...latest.checkpoint]).toEqual([2, 2, 2]);
    expect(latest.trainLoss).toBe(1.9);
    expect([...store.models.latest("g2")!.checkpoint]).toEqual([9, 9, 9]);
    expect(store.models.get("g2", first.id)).toBeUndefined();
    expect(store.models.list("g1").map((m) => m.id)).toEqual([second.id, first.id]);
    expect(store.models.prune("g1", 1)).toBe(1);
    expect(store.models.list("g1").map((m) => m.id)).toEqual([second.id]);
    expect(store.models.list("g2")).toHaveLength(1);
    expect(store.models.latest("g3")).toBeUndefined();
  });

  it("forgets everything of one guild and nothing of another", () => {
    store.guilds.upsert({ id: "g1" });
    store.settings.set("g1", "x", 1);
    store.messages.add(message("m1", "g1", "a", 1));
    store.messages.add(message("m1", "g2", "b", 1));
    const run = store.runs.start("g1");
    store.runs.addPoint(run.id, { step: 0, trainLoss: 1, valLoss: null, lr: 1, tokens: 0 });
    store.models.add({ guildId: "g1", checkpoint: new Uint8Array([1]), config: tinyConfig, step: 0, runId: run.id });
    // message, model, run, setting, guild (the run's loss points go with it, uncounted)
    expect(store.forgetGuild("g1")).toBe(5);
    expect(store.runs.points("g1", run.id)).toEqual([]);
    expect(store.messages.count("g1")).toBe(0);
    expect(store.models.latest("g1")).toBeUndefined();
    expect(store.runs.latest("g1")).toBeUndefined();
    expect(store.settings.all("g1")).toEqual({});
    expect(store.messages.texts("g2")).toEqual(["b"]);
  });
});

describe("two connections (shards) on one file", () => {
  it("both read and write; the busy timeout waits out the other's transaction", () => {
    const other = openStore(file);
    try {
      store.messages.add(message("m1", "g1", "from shard 0", 1));
      other.messages.add(message("m2", "g2", "from shard 1", 2));
      expect(other.messages.texts("g1")).toEqual(["from shard 0"]);
      expect(store.messages.texts("g2")).toEqual(["from shard 1"]);
      const run = other.runs.start("g2");
      expect(store.runs.running("g2")?.id).toBe(run.id);
    } finally {
      other.close();
    }
  });
});
