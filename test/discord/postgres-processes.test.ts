/**
 * `npm start` twice at once on one new PostgreSQL database (DATABASE_URL), against the fake
 * Discord. The test holds the migration's advisory lock first (as a third process migrating
 * slowly would): both processes wait for it (PostgreSQL lists their waiting lock requests),
 * neither comes up meanwhile; once it is released, the schema is migrated once and both bots
 * log in. Skipped, saying why, without Debian's postgresql package.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configToEnv } from "../../src/config.ts";
import { openAsyncStore } from "../../src/store/async-store.ts";
import { MIGRATIONS } from "../../src/store/migrations.ts";
import { MIGRATION_LOCK_KEY } from "../../src/store/postgres/database.ts";
import { FakeDiscord } from "../fake-discord/index.ts";
import { findPostgres, startPostgres, type TestPostgres } from "../helpers/postgres-server.ts";
import { testConfig } from "./harness.ts";
import { writeTinyModel } from "./tiny-model.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
const TSX = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;

const postgres = findPostgres();
if ("missing" in postgres) console.warn(`two bot processes on one PostgreSQL: skipped (${postgres.missing})`);

let server: TestPostgres | undefined;
let fake: FakeDiscord;
let dir: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  if ("missing" in postgres) return;
  server = await startPostgres(postgres);
  fake = await FakeDiscord.start();
  dir = mkdtempSync(path.join(tmpdir(), "pg-processes-"));
}, 120_000);

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
  await fake?.stop();
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** `npm start` (src/main.ts) with only this environment, in an empty folder (no .env); its output collected. */
function startProcess(env: Record<string, string>) {
  const child = spawn(process.execPath, ["--import", TSX, path.join(ROOT, "src/main.ts")], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? "", MINIGPT_THREADS: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  const output = { text: "" };
  child.stdout!.on("data", (d: Buffer) => (output.text += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (output.text += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, output, exited };
}

async function until(what: string, test: () => boolean, timeoutMs: number, output: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms; the processes said:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe.skipIf("missing" in postgres)("two bot processes started at once on one PostgreSQL", () => {
  it("both wait for the migration lock, then come up: the schema is migrated once, and each logs in", async () => {
    const url = await server!.newDatabase();
    const env = configToEnv(testConfig(fake, dir, { DATABASE_URL: url }));
    env.DEFAULT_MODEL_PATH = writeTinyModel(path.join(dir, "default-model.safetensors"));
    // 1. the lock, held here
    const holder = new pg.Client({ connectionString: url });
    await holder.connect();
    await holder.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY.toString()]);
    const bots = [startProcess(env), startProcess(env)];
    const said = () => bots.map((b, i) => `--- process ${i + 1}:\n${b.output.text}`).join("\n");
    // 2. both wait for it
    const waiting = async () =>
      Number((await holder.query("SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")).rows[0].n);
    const deadline = Date.now() + 120_000;
    let waits = await waiting();
    while (waits < 2 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      waits = await waiting();
    }
    expect(waits, said()).toBe(2);
    expect(bots.some((b) => /logged in as /.test(b.output.text))).toBe(false);
    // 3. released: both come up
    await holder.end();
    await until("both bots logged in", () => bots.every((b) => /logged in as /.test(b.output.text)), 120_000, said);
    expect(bots.map((b) => b.child.exitCode)).toEqual([null, null]);
    const store = await openAsyncStore({ databaseUrl: url, databasePath: "unused" });
    try {
      expect(await store.version()).toBe(MIGRATIONS.length);
    } finally {
      await store.close();
    }
    // they stop cleanly on SIGTERM, as under a process manager
    for (const b of bots) b.child.kill("SIGTERM");
    expect(await Promise.all(bots.map((b) => b.exited))).toEqual([0, 0]);
  }, 180_000);
});
