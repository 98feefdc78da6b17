/**
 * The AsyncStore's cases, run on both back ends with identical expectations: SQLite (a temporary
 * file) and PostgreSQL (a server this file starts from Debian's postgresql package; skipped,
 * saying why, when it is not installed). Every test gets a fresh store: a new file or database.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countParams } from "../../src/model/params.ts";
import { loadCheckpointBytes, saveCheckpointBytes } from "../../src/model/checkpoint.ts";
import { type AsyncStore, openAsyncStore } from "../../src/store/async-store.ts";
import { MIGRATIONS } from "../../src/store/migrations.ts";
import { openPostgresStore } from "../../src/store/postgres/index.ts";
import { PG_MIGRATIONS } from "../../src/store/postgres/migrations.ts";
import { findPostgres, startPostgres, type TestPostgres } from "../helpers/postgres-server.ts";

const tinyConfig = { vocabSize: 10, blockSize: 8, nLayer: 1, nHead: 1, nEmbd: 4, bias: false };

interface Backend {
  name: "sqlite" | "postgres";
  /** a fresh, empty store on a clock the test moves */
  open(clock: { now: number }): Promise<AsyncStore>;
}

const postgres = findPostgres();
if ("missing" in postgres) console.warn(`PostgreSQL store tests skipped: ${postgres.missing}`);
let server: TestPostgres | undefined;
const dirs: string[] = [];

beforeAll(async () => {
  if ("bin" in postgres) server = await startPostgres(postgres);
}, 120_000);

afterAll(async () => {
  await server?.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const BACKENDS: Backend[] = [
  {
    name: "sqlite",
    async open(clock) {
      const dir = mkdtempSync(path.join(tmpdir(), "async-store-"));
      dirs.push(dir);
      return openAsyncStore({ databasePath: path.join(dir, "bot.db"), now: () => clock.now });
    },
  },
  {
    name: "postgres",
    async open(clock) {
      return openAsyncStore({ databaseUrl: await server!.newDatabase(), databasePath: "unused", now: () => clock.now });
    },
  },
];

const message = (id: string, guildId: string, text: string, createdAt: number, channelId = "c1", authorId = "u1") => ({
  id,
  guildId,
  channelId,
  authorId,
  text,
  createdAt,
});

/** A store for one test, closed after it. */
async function withStore(backend: Backend, test: (store: AsyncStore, clock: { now: number }) => Promise<void>): Promise<void> {
  const clock = { now: 1_700_000_000_000 };
  const store = await backend.open(clock);
  try {
    await test(store, clock);
  } finally {
    await store.close();
  }
}

/**
 * One scripted session touching every repository; returns everything it read. Run on both
 * back ends, the two transcripts must be equal.
 */
async function transcript(store: AsyncStore, clock: { now: number }): Promise<unknown[]> {
  const out: unknown[] = [];
  const log = (x: unknown) => out.push(x);
  await store.guilds.upsert({ id: "g2", name: "Two" });
  clock.now += 1;
  await store.guilds.upsert({ id: "g1", name: "One" });
  log(await store.guilds.list());
  await store.settings.set("g1", "b", { x: [1, 2] });
  await store.settings.set("g1", "a", "é");
  log(await store.settings.all("g1"));
  log(
    await store.messages.addMany([
      message("b", "g1", "second", 10),
      message("a", "g1", "first ü", 10),
      message("B", "g1", "upper", 10),
      message("c", "g1", "third", 20, "c2", "u2"),
      message("a", "g2", "other guild", 5),
    ]),
  );
  log(await store.messages.recent("g1", { limit: 3 }));
  log(await store.messages.writtenSince("g1", 10, 10));
  log(await store.messages.writtenBefore("g1", 15));
  log(await store.messages.texts("g1"));
  log(await store.messages.revision("g1"));
  const run = await store.runs.start("g1", { iters: 3, lr: 0.1 });
  await store.runs.addPoints(run.id, [
    { step: 1, trainLoss: Math.LN10, valLoss: null, lr: 1e-3, tokens: 64 },
    { step: 2, trainLoss: 1.1, valLoss: 1.0000000000000002, lr: 3e-4, tokens: 128 },
  ]);
  await store.runs.saveCheckpoint(run.id, new Uint8Array([0, 255, 1]));
  clock.now += 5;
  log(await store.runs.finish(run.id, "stopped"));
  log(await store.runs.points("g1", run.id));
  log(await store.runs.latestResumable("g1"));
  log(await store.runs.checkpoint("g1", run.id));
  const model = await store.models.add(
    { guildId: "g1", checkpoint: new Uint8Array(1000).fill(7), config: tinyConfig, step: 3, runId: run.id },
    "added",
  );
  log(model);
  await store.models.rename("g1", model.id, "ナマエ");
  log(await store.models.list("g1"));
  log(await store.models.chosen("g1"));
  await store.neuronIndexes.put({
    guildId: "g1",
    modelKey: `stored:${model.id}`,
    modelId: model.id,
    stateJson: "{}",
    documents: 4,
    finished: true,
  });
  log(await store.neuronIndexes.get("g1", `stored:${model.id}`));
  log(await store.messages.deleteAuthor("g1", "u2"));
  log(await store.forgetGuild("g2"));
  log(await store.guilds.list());
  return out;
}

describe.each(BACKENDS)("the async store on $name", (backend) => {
  const skip = backend.name === "postgres" && "missing" in postgres;
  const test = skip ? it.skip : it;

  test("opens at the latest schema version", async () => {
    await withStore(backend, async (store) => {
      expect(await store.version()).toBe(MIGRATIONS.length);
      expect(store.kind).toBe(backend.name);
    });
  });

  test("upserts guilds keeping the first join time; settings are JSON per guild", async () => {
    await withStore(backend, async (store, clock) => {
      await store.guilds.upsert({ id: "g1", name: "One" });
      clock.now += 1000;
      await store.guilds.upsert({ id: "g1", name: "Uno" });
      await store.guilds.upsert({ id: "g0" });
      expect(await store.guilds.get("g1")).toEqual({ id: "g1", name: "Uno", joinedAt: 1_700_000_000_000 });
      expect((await store.guilds.list()).map((g) => g.id)).toEqual(["g1", "g0"]);
      await store.settings.set("g1", "temperature", 0.8);
      await store.settings.set("g1", "channels", ["a", "b"]);
      await store.settings.set("g2", "temperature", 1.2);
      expect(await store.settings.get<number>("g1", "temperature")).toBe(0.8);
      expect(await store.settings.all("g1")).toEqual({ channels: ["a", "b"], temperature: 0.8 });
      expect(await store.settings.delete("g1", "temperature")).toBe(true);
      expect(await store.settings.delete("g1", "temperature")).toBe(false);
      expect(await store.settings.get("g1", "temperature")).toBeUndefined();
      await expect(store.settings.set("g1", "bad", undefined)).rejects.toThrow(/cannot be stored as JSON/);
    });
  });

  test("stores each message once per guild, pages newest first, never mixes guilds", async () => {
    await withStore(backend, async (store) => {
      expect(await store.messages.add(message("m1", "g1", "one", 100))).toBe(true);
      expect(await store.messages.add(message("m1", "g1", "dup", 100))).toBe(false);
      expect(await store.messages.add(message("m1", "g2", "other", 100))).toBe(true);
      expect(
        await store.messages.addMany([
          message("m2", "g1", "two", 200, "c2"),
          message("m3", "g1", "three", 300),
          message("m1", "g1", "x", 1),
        ]),
      ).toBe(2);
      expect(await store.messages.count("g1")).toBe(3);
      expect(await store.messages.count("g1", "c2")).toBe(1);
      expect((await store.messages.recent("g1", { limit: 2 })).map((m) => m.id)).toEqual(["m2", "m3"]);
      expect((await store.messages.recent("g1", { before: 300 })).map((m) => m.id)).toEqual(["m1", "m2"]);
      expect((await store.messages.recent("g1", { channelId: "c1" })).map((m) => m.id)).toEqual(["m1", "m3"]);
      expect((await store.messages.newest("g1", "c1"))?.id).toBe("m3");
      expect(await store.messages.texts("g1")).toEqual(["one", "two", "three"]);
      expect(await store.messages.texts("g2")).toEqual(["other"]);
      expect(await store.messages.get("g2", "m2")).toBeUndefined();
      await expect(store.messages.recent("g1", { limit: -1 })).rejects.toThrow(/limit must be a whole number ≥ 0, got -1/);
    });
  });

  test("privacy: retention, forget-me and delete/edit sync touch only that guild; the revision moves on", async () => {
    await withStore(backend, async (store) => {
      await store.messages.addMany([
        message("m1", "g1", "old", 100, "c1", "alice"),
        message("m2", "g1", "new", 500, "c1", "alice"),
        message("m3", "g1", "bob's", 600, "c1", "bob"),
        message("m1", "g2", "alice elsewhere", 100, "c1", "alice"),
      ]);
      const r0 = await store.messages.revision("g1");
      expect(r0).toBe(3);
      expect(await store.messages.updateText("g1", "m3", "edited")).toBe(true);
      expect(await store.messages.updateText("g1", "nope", "x")).toBe(false);
      expect((await store.messages.get("g1", "m3"))?.text).toBe("edited");
      expect(await store.messages.revision("g1")).toBe(r0 + 1);
      expect(await store.messages.countAuthorBefore("g1", "alice", 501)).toBe(2);
      expect(await store.messages.deleteBefore("g1", 200)).toBe(1);
      expect(await store.messages.deleteAuthor("g1", "alice")).toBe(1);
      expect(await store.messages.delete("g1", "m3")).toBe(true);
      expect(await store.messages.delete("g1", "m3")).toBe(false);
      expect(await store.messages.count("g1")).toBe(0);
      expect(await store.messages.revision("g1")).toBe(r0 + 4);
      expect(await store.messages.texts("g2")).toEqual(["alice elsewhere"]);
      expect(await store.messages.revision("g2")).toBe(1);
    });
  });

  test("training runs: points, end, interruption per guild, checkpoints only for their guild", async () => {
    await withStore(backend, async (store, clock) => {
      const run = await store.runs.start("g1", { iters: 10 });
      expect(run).toEqual({
        id: run.id,
        guildId: "g1",
        status: "running",
        startedAt: clock.now,
        finishedAt: null,
        options: { iters: 10 },
        error: null,
      });
      await store.runs.addPoint(run.id, { step: 1, trainLoss: 3, valLoss: null, lr: 0.01, tokens: 10 });
      await store.runs.addPoints(run.id, [
        { step: 1, trainLoss: 2.5, valLoss: 2.6, lr: 0.01, tokens: 10 },
        { step: 2, trainLoss: 2, valLoss: null, lr: 0.005, tokens: 20 },
      ]);
      expect((await store.runs.points("g1", run.id)).map((p) => p.trainLoss)).toEqual([2.5, 2]);
      expect(await store.runs.points("g2", run.id)).toEqual([]);
      expect(await store.runs.get("g2", run.id)).toBeUndefined();
      await expect(store.runs.addPoint(9999, { step: 1, trainLoss: 1, valLoss: null, lr: 1, tokens: 1 })).rejects.toThrow(
        /training run 9999 does not exist/,
      );
      await store.runs.saveCheckpoint(run.id, new Uint8Array([1, 2, 3]));
      expect(await store.runs.checkpoint("g1", run.id)).toEqual(new Uint8Array([1, 2, 3]));
      expect(await store.runs.checkpoint("g2", run.id)).toBeUndefined();
      clock.now += 50;
      const failed = await store.runs.finish(run.id, "failed", "out of memory");
      expect(failed).toMatchObject({ status: "failed", finishedAt: clock.now, error: "out of memory" });
      await expect(store.runs.finish(run.id, "done")).rejects.toThrow(`training run ${run.id} is already failed`);
      await expect(store.runs.finish(run.id, "running" as never)).rejects.toThrow(/got "running"/);
      expect((await store.runs.latestResumable("g1"))?.id).toBe(run.id);
      const a = await store.runs.start("g1");
      const b = await store.runs.start("g2");
      const c = await store.runs.start("g3");
      expect(await store.runs.markInterrupted(["g2", "g3"])).toBe(2);
      expect((await store.runs.running("g1"))?.id).toBe(a.id);
      expect((await store.runs.get("g2", b.id))?.status).toBe("interrupted");
      expect(await store.runs.markInterrupted()).toBe(1);
      expect((await store.runs.latest("g3"))?.id).toBe(c.id);
      expect((await store.runs.list("g1")).map((r) => r.id)).toEqual([a.id, run.id]);
    });
  });

  test("models: latest, prune keeps the chosen one, another guild's model cannot be chosen, indexes go with their model", async () => {
    await withStore(backend, async (store) => {
      const add = (guildId: string, step: number) =>
        store.models.add({ guildId, checkpoint: new Uint8Array([step]), config: tinyConfig, step, valLoss: 1.5 });
      const m1 = await add("g1", 1);
      const m2 = await add("g1", 2);
      const m3 = await add("g1", 3);
      const other = await add("g2", 9);
      expect(m3).toMatchObject({ guildId: "g1", step: 3, size: 1, valLoss: 1.5, trainLoss: null, name: null, config: tinyConfig });
      expect((await store.models.latest("g1"))?.checkpoint).toEqual(new Uint8Array([3]));
      expect(await store.models.latestId("g1")).toBe(m3.id);
      await store.models.choose("g1", { kind: "stored", modelId: m1.id });
      await expect(store.models.choose("g1", { kind: "stored", modelId: other.id })).rejects.toThrow(
        `guild g1 has no stored model #${other.id} to choose`,
      );
      expect(await store.models.prune("g1", 1)).toBe(1);
      expect((await store.models.list("g1")).map((m) => m.id)).toEqual([m3.id, m1.id]);
      expect(await store.models.get("g1", m2.id)).toBeUndefined();
      expect(await store.models.get("g1", other.id)).toBeUndefined();
      await store.neuronIndexes.put({ guildId: "g1", modelKey: "k1", modelId: m1.id, stateJson: '{"a":1}', documents: 2, finished: false });
      expect(await store.neuronIndexes.get("g1", "k1")).toMatchObject({ modelId: m1.id, documents: 2, finished: false });
      expect(await store.models.remove("g1", m1.id)).toBe(true);
      expect(await store.models.chosen("g1")).toBeUndefined();
      expect(await store.neuronIndexes.get("g1", "k1")).toBeUndefined();
      await store.models.choose("g2", { kind: "imported", name: "gpt2" });
      expect(await store.models.chosen("g2")).toEqual({ kind: "imported", name: "gpt2" });
      const m4 = await store.models.add({ guildId: "g1", checkpoint: new Uint8Array([4]), config: tinyConfig, step: 4 }, "added");
      expect(await store.models.chosen("g1")).toEqual({ kind: "stored", modelId: m4.id });
      expect(await store.models.rename("g1", m4.id, "mine")).toBe(true);
      expect(await store.models.rename("g2", m4.id, "theirs")).toBe(false);
      await expect(add("g1", -1)).rejects.toThrow(/model step must be a whole number ≥ 0, got -1/);
    });
  });

  test("a checkpoint comes back byte for byte, and its checksums still catch a corrupted one", async () => {
    await withStore(backend, async (store) => {
      const params = new Float32Array(countParams(tinyConfig)).map((_, i) => Math.sin(i));
      const bytes = saveCheckpointBytes(tinyConfig, params, { tokenizer: { kind: "test" }, step: 7 });
      const model = await store.models.add({ guildId: "g1", checkpoint: bytes, config: tinyConfig, step: 7 });
      const back = (await store.models.get("g1", model.id))!.checkpoint;
      expect(back).toEqual(bytes);
      expect(loadCheckpointBytes(back, "stored").params).toEqual(params);
      const corrupted = bytes.slice();
      corrupted[corrupted.length - 1] ^= 0xff;
      const run = await store.runs.start("g1");
      await store.runs.saveCheckpoint(run.id, corrupted);
      const stored = (await store.runs.checkpoint("g1", run.id))!;
      expect(stored).toEqual(corrupted);
      expect(() => loadCheckpointBytes(stored, "run")).toThrow(/checksum/);
    });
  });

  test("forgets everything of one guild and nothing of another", async () => {
    await withStore(backend, async (store) => {
      for (const g of ["g1", "g2"]) {
        await store.guilds.upsert({ id: g });
        await store.settings.set(g, "k", 1);
        await store.messages.add(message("m", g, `text of ${g}`, 1));
        const run = await store.runs.start(g);
        await store.runs.addPoint(run.id, { step: 1, trainLoss: 1, valLoss: null, lr: 1, tokens: 1 });
        const model = await store.models.add(
          { guildId: g, checkpoint: new Uint8Array([1]), config: tinyConfig, step: 1, runId: run.id },
          "added",
        );
        await store.neuronIndexes.put({ guildId: g, modelKey: "k", modelId: model.id, stateJson: "{}", documents: 0, finished: false });
      }
      // messages, neuron index, choice, model, run, setting, guild
      expect(await store.forgetGuild("g1")).toBe(7);
      expect(await store.messages.count("g1")).toBe(0);
      expect(await store.runs.latest("g1")).toBeUndefined();
      expect(await store.models.list("g1")).toEqual([]);
      expect(await store.settings.all("g1")).toEqual({});
      expect(await store.guilds.get("g1")).toBeUndefined();
      expect(await store.messages.texts("g2")).toEqual(["text of g2"]);
      expect((await store.models.list("g2")).length).toBe(1);
      expect(await store.neuronIndexes.get("g2", "k")).toBeDefined();
      expect(await store.forgetGuild("g1")).toBe(0);
    });
  });
});

describe("both back ends", () => {
  it.skipIf("missing" in postgres)("give identical results for the same session", async () => {
    const results: unknown[][] = [];
    for (const backend of BACKENDS) {
      const clock = { now: 1_700_000_000_000 };
      const store = await backend.open(clock);
      try {
        results.push(await transcript(store, clock));
      } finally {
        await store.close();
      }
    }
    expect(results[1]).toEqual(results[0]);
  });
});

describe.skipIf("missing" in postgres)("PostgreSQL migrations", () => {
  it("has as many migrations as SQLite, with the same names", () => {
    expect(PG_MIGRATIONS.map((m) => m.name)).toEqual(MIGRATIONS.map((m) => m.name));
  });

  it("several processes opening a new database at once migrate it once (advisory lock); reopening keeps the data", async () => {
    const url = await server!.newDatabase();
    const stores = await Promise.all([1, 2, 3].map(() => openPostgresStore(url)));
    expect(await Promise.all(stores.map((s) => s.version()))).toEqual([5, 5, 5].map(() => MIGRATIONS.length));
    await stores[0].messages.add(message("m1", "g1", "kept", 1));
    await Promise.all(stores.map((s) => s.close()));
    const again = await openPostgresStore(url);
    expect(await again.messages.texts("g1")).toEqual(["kept"]);
    await again.close();
  });

  it("applies migrations in order, names a failing one (rolled back, version unchanged) and refuses a newer database", async () => {
    const url = await server!.newDatabase();
    const migrations = [
      { name: "1: a", sql: "CREATE TABLE a (x INTEGER)" },
      { name: "2: b", sql: "CREATE TABLE b (y INTEGER); INSERT INTO a VALUES (1)" },
      { name: "3: broken", sql: "CREATE TABLE c (z INTEGER); CREATE TABLE (" },
    ];
    await (await openPostgresStore(url, { migrations: migrations.slice(0, 1) })).close();
    await expect(openPostgresStore(url, { migrations })).rejects.toThrow(/migration 3: broken failed/);
    const store = await openPostgresStore(url, { migrations: migrations.slice(0, 2) });
    expect(await store.version()).toBe(2);
    await store.close();
    await expect(openPostgresStore(url, { migrations: migrations.slice(0, 1) })).rejects.toThrow(
      /schema version 2 is newer than this bot knows \(1\)/,
    );
    const raw = await openPostgresStore(url, { migrations: migrations.slice(0, 2) });
    expect(await raw.version()).toBe(2);
    await raw.close();
  });

  it("stores a NUL character (which PostgreSQL's TEXT cannot hold) as U+FFFD instead of failing", async () => {
    const store = await openPostgresStore(await server!.newDatabase());
    try {
      await store.messages.add(message("m1", "g1", "a\0b", 1));
      await store.guilds.upsert({ id: "g1", name: "x\0" });
      expect(await store.messages.texts("g1")).toEqual(["a\uFFFDb"]);
      expect(await store.messages.updateText("g1", "m1", "\0")).toBe(true);
      expect((await store.messages.get("g1", "m1"))?.text).toBe("\uFFFD");
      expect((await store.guilds.get("g1"))?.name).toBe("x\uFFFD");
      const run = await store.runs.start("g1");
      expect((await store.runs.finish(run.id, "failed", "bad\0")).error).toBe("bad\uFFFD");
    } finally {
      await store.close();
    }
  });

  it("refuses a DATABASE_URL that is not postgres://, hiding its password", async () => {
    await expect(openAsyncStore({ databaseUrl: "mysql://me:secret@host/db", databasePath: "x" })).rejects.toThrow(
      'DATABASE_URL must start with postgres:// or postgresql://, got "mysql://me:***@host/db"',
    );
  });
});
