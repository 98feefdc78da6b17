/**
 * Beyond one machine, on one machine: the fake Discord with two servers, two bot "hosts"
 * (`npm start` with SHARD_COUNT=2 and SHARD_IDS=0, resp. 1: each runs one shard), one
 * PostgreSQL (DATABASE_URL), two `npm run worker` processes. /train in server A is queued and
 * runs on a worker; A's bot edits its live message with the curve; the worker running it is
 * SIGKILLed and the other resumes it from its checkpoint (the message says so); A's bot is
 * SIGKILLed and started again, and goes on editing the message; /train stop from it reaches the
 * worker, whose model is installed, picked up by A's bot on the notification, and answers in
 * A. Server B never sees A's data. Skipped, saying why, without Debian's postgresql package.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCommands } from "../../src/adapters/discord/command-loader.ts";
import { deployCommands } from "../../src/adapters/discord/deploy.ts";
import { configToEnv } from "../../src/config.ts";
import { formatInt } from "../../src/app/number-format.ts";
import { readJob } from "../../src/queue/schema.ts";
import { openPool } from "../../src/store/postgres/database.ts";
import { type AsyncStore, openAsyncStore } from "../../src/store/async-store.ts";
import { testConfig } from "../discord/harness.ts";
import { writeTinyModel } from "../discord/tiny-model.ts";
import { FakeDiscord, MEMBER_PERMISSIONS, Permission, type FakeInteraction, type RecordedRequest } from "../fake-discord/index.ts";
import { findPostgres, startPostgres, type TestPostgres } from "../helpers/postgres-server.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
const TSX = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
const ADMIN = MEMBER_PERMISSIONS | Permission.ManageGuild;
/** A training that runs until /train stop, with a checkpoint every 10 steps. */
const OVERRIDES = { steps: 1_000_000, evalInterval: 10, evalBatches: 2, vocabSize: 300 };
/** Quick hand-over: heartbeats every half second, a worker silent for 3 s is dead. */
const WORKER_ENV = {
  WORKER_HEARTBEAT_SECONDS: "0.5",
  WORKER_STALE_SECONDS: "3",
  WORKER_POLL_SECONDS: "0.5",
  QUEUE_MAINTENANCE_SECONDS: "1",
};
const WAIT = 90_000;

const postgres = findPostgres();
if ("missing" in postgres) console.warn(`the end-to-end queue test is skipped: ${postgres.missing}`);
const describeWithPostgres = "bin" in postgres ? describe : describe.skip;

interface Proc {
  child: ChildProcess;
  output: { text: string };
}

let server: TestPostgres | undefined;
let fake: FakeDiscord;
let dir: string;
let databaseUrl: string;
let store: AsyncStore;
let sql: pg.Pool;
const hosts: Proc[] = [];
const workers: Proc[] = [];
let A: string;
let B: string;
let generalA: string;

const TOPICS = ["cats", "the weather", "lunch", "trains", "music", "the garden", "tea", "books"];
const human = (i: number) => `message ${i}: I think ${TOPICS[i % TOPICS.length]} ${i % 3 === 0 ? "are great" : "is nice"} today!`;
/** B's words never occur in A's messages. */
const B_TEXT = (i: number) => `zebra quantum xylophone ${i} juxtaposed`;

/** A process of this project (node + tsx), in its own process group (a host's shard children die with it). */
function spawnProject(file: string, env: Record<string, string>): Proc {
  const child = spawn(process.execPath, ["--import", TSX, path.join(ROOT, file)], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? "", MINIGPT_THREADS: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const output = { text: "" };
  child.stdout!.on("data", (d: Buffer) => (output.text += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (output.text += d.toString()));
  return { child, output };
}

/** `npm start` for one shard of two. */
function startHost(shard: number): Proc {
  const config = testConfig(fake, dir, { DATABASE_URL: databaseUrl, SHARD_COUNT: "2", SHARD_IDS: String(shard) });
  const host = spawnProject("src/main.ts", {
    ...configToEnv(config),
    SHARD_COUNT: "2",
    SHARD_IDS: String(shard),
    TRAINING_OVERRIDES: JSON.stringify(OVERRIDES),
  });
  hosts[shard] = host;
  return host;
}

function startWorker(): Proc {
  const worker = spawnProject("src/worker/main.ts", { DATABASE_URL: databaseUrl, ...WORKER_ENV });
  workers.push(worker);
  return worker;
}

async function kill(p: Proc | undefined): Promise<void> {
  if (!p || p.child.exitCode !== null || p.child.signalCode !== null) return;
  const exited = new Promise((resolve) => p.child.once("exit", resolve));
  try {
    process.kill(-p.child.pid!, "SIGKILL");
  } catch {
    p.child.kill("SIGKILL");
  }
  await exited;
}

/** Waits until `check` holds (polling every 100 ms), failing with `what` and the processes' output after `timeoutMs`. */
async function until<T>(check: () => T | undefined | false | Promise<T | undefined | false>, what: string, timeoutMs = WAIT): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > end) {
      const outputs = [...hosts, ...workers].map((p, i) => `--- process ${i}:\n${p?.output.text.slice(-3000)}`).join("\n");
      const edits = fake.requests
        .filter((r) => r.method === "PATCH")
        .slice(-4)
        .map((r) => `${r.path}: ${contentOf(r)}`);
      throw new Error(`timed out waiting for ${what}\n--- the last edits:\n${edits.join("\n")}\n${outputs}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

const job = (guildId: string) => readJob(sql, guildId);
const contentOf = (r: RecordedRequest) => (r.body as { content?: string } | undefined)?.content ?? "";

/** The first request after `since` (an index into fake.requests) that edits /train's message and matches. */
function edited(it1: FakeInteraction, messageId: () => string | undefined, pattern: RegExp, since = 0) {
  return fake.requests
    .slice(since)
    .find(
      (r) =>
        r.method === "PATCH" &&
        (r.path.includes(`/${it1.token}/messages/@original`) || r.path === `/channels/${generalA}/messages/${messageId()}`) &&
        pattern.test(contentOf(r)),
    );
}

const interact = (command: string, subcommand: string | undefined, options: Record<string, string | number>, guildId: string) =>
  fake.interact({ command, ...(subcommand && { subcommand }), options, memberPermissions: ADMIN, guildId });

beforeAll(async () => {
  if ("missing" in postgres) return;
  server = await startPostgres(postgres);
  databaseUrl = await server.newDatabase();
  store = await openAsyncStore({ databaseUrl, databasePath: "unused" });
  sql = await openPool(databaseUrl);
  fake = await FakeDiscord.start({ guilds: 2, recommendedShards: 2 });
  dir = mkdtempSync(path.join(tmpdir(), "queue-e2e-"));
  A = fake.guilds[0]!.id;
  B = fake.guilds[1]!.id;
  generalA = fake.guilds[0]!.channels[0]!.id;
  fake.seedHistory(
    generalA,
    Array.from({ length: 200 }, (_, i) => ({ content: human(i), author: i % 2 ? fake.alice : fake.bob })),
  );
  fake.seedHistory(
    fake.guilds[1]!.channels[0]!.id,
    Array.from({ length: 60 }, (_, i) => ({ content: B_TEXT(i) })),
  );
  const config = testConfig(fake, dir, { DATABASE_URL: databaseUrl });
  writeTinyModel(config.defaultModelPath!);
  await deployCommands(config, await loadCommands());
  // the hosts one after the other (the first migrates the store), then the workers
  startHost(0);
  await until(() => /logged in as/.test(hosts[0]!.output.text), "host 0 logging in");
  startHost(1);
  await until(() => /logged in as/.test(hosts[1]!.output.text), "host 1 logging in");
  startWorker();
  startWorker();
  await until(() => workers.every((w) => /ready/.test(w.output.text)), "both workers ready");
}, 240_000);

afterAll(async () => {
  for (const p of [...hosts, ...workers]) await kill(p);
  await sql?.end();
  await store?.close();
  await fake?.stop();
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describeWithPostgres("two bot hosts, two workers, one PostgreSQL", () => {
  let train: FakeInteraction;
  let messageId: string | undefined;
  const message = () => messageId;

  it("/train in server A is queued, runs on a worker, and A's bot edits its live message with the curve", async () => {
    train = interact("train", "start", { preset: "tiny", minutes: 1 }, A);
    const withCurve = await until(
      () => edited(train, message, /Training this server's model/)?.files.some((f) => f.filename === "loss.png") && true,
      "a live edit with the loss curve",
    );
    expect(withCurve).toBe(true);
    messageId = train.original?.id;
    const row = await job(A);
    expect(row?.phase).toBe("training");
    expect(row?.worker).toMatch(/:\d+\//);
    // the shard that owns A answered it, with the message it edits recorded for a restart
    expect(row?.reply).toEqual({ channelId: generalA, messageId, lang: "en" });
    expect(hosts[0]!.output.text).not.toMatch(/error/i);
  }, 120_000);

  it("a worker killed mid-job hands it to the other, which resumes from the checkpoint, and the message says so", async () => {
    const before = await until(async () => {
      const row = await job(A);
      return row?.checkpoint ? row : undefined;
    }, "a checkpoint of the first attempt");
    const pid = Number(/:(\d+)\//.exec(before.worker!)![1]);
    const victim = workers.find((w) => w.child.pid === pid);
    expect(victim).toBeDefined();
    await kill(victim);
    const resumed = await until(async () => {
      const row = await job(A);
      return row && row.attempt === 2 && row.resumed_from_step !== null && row.run_id !== before.run_id ? row : undefined;
    }, "the second attempt");
    expect(resumed.worker).not.toBe(before.worker);
    expect(resumed.resumed_from_step).toBeGreaterThan(0);
    await until(
      () =>
        edited(
          train,
          message,
          new RegExp(`took it over \\(attempt 2\\) from the checkpoint at step ${formatInt(resumed.resumed_from_step!, "en")}\\.`),
        ),
      "the message saying another worker took over",
    );
  }, 120_000);

  it("A's bot killed and started again loses nothing: it follows the training on and edits the same message", async () => {
    const stored = (await store.messages.texts(A)).length;
    expect(stored).toBe(200);
    await kill(hosts[0]);
    const since = fake.requests.length;
    const host = startHost(0);
    await until(() => /logged in as/.test(host.output.text), "host 0 logging in again");
    // the restarted bot edits /train's message through its channel, with the progress
    const live = await until(
      () =>
        fake.requests
          .slice(since)
          .find((r) => r.method === "PATCH" && r.path === `/channels/${generalA}/messages/${messageId}` && /step/i.test(contentOf(r))),
      "the restarted bot's live edit",
    );
    expect(contentOf(live)).toMatch(/took it over \(attempt 2\)/);
    expect((await store.messages.texts(A)).length).toBe(stored);
    expect((await job(A))?.phase).toBe("training");
    // the worker's run is still running, not marked interrupted by the restart
    const runId = (await job(A))!.run_id!;
    expect((await store.runs.get(A, runId))?.status).toBe("running");
  }, 120_000);

  it("/train stop from the restarted bot reaches the worker; the model is installed, picked up on the notice, and answers in A", async () => {
    const since = fake.requests.length;
    const stop = interact("train", "stop", {}, A);
    const reply = await until(
      () => fake.requests.slice(since).find((r) => r.method === "PATCH" && r.path.includes(`/${stop.token}/messages/@original`)),
      "the /train stop answer",
    );
    expect(contentOf(reply)).toMatch(/^⏹️/);
    // the followed message ends with the outcome
    await until(
      () => fake.requests.slice(since).find((r) => r.path === `/channels/${generalA}/messages/${messageId}` && /^⏹️/.test(contentOf(r))),
      "the outcome on the /train message",
    );
    const row = (await job(A))!;
    expect(row.phase).toBe("stopped");
    const models = await store.models.list(A);
    expect(models).toHaveLength(1);
    expect(models[0]!.runId).toBe(row.run_id);
    // A's bot heard the worker's notice and loaded the new model
    await until(() => /loaded the model a worker installed/.test(hosts[0]!.output.text), "the bot loading the installed model");
    // the shipped model answered before, so it waits to be chosen; chosen, it answers in A
    const used = await interact("model", "use", { ref: `#${models[0]!.id}` }, A).reply();
    expect(used.content).toBe(`#${models[0]!.id} answers here from now on (instead of default).`);
    const shown = await interact("model", "show", {}, A).reply();
    expect(shown.content.split("\n")[0]).toMatch(new RegExp(`^\\*\\*server model #${models[0]!.id}\\*\\*`));
  }, 120_000);

  it("server B never sees A's data: its own training, on its shard's bot, reads and installs B's alone", async () => {
    const trainB = interact("train", "start", { preset: "tiny", minutes: 1 }, B);
    await until(async () => (await job(B))?.checkpoint, "a checkpoint of B's training");
    const since = fake.requests.length;
    interact("train", "stop", {}, B);
    await until(
      () => fake.requests.slice(since).find((r) => r.path.includes(`/${trainB.token}/messages/@original`) && /^⏹️/.test(contentOf(r))),
      "the outcome of B's training",
    );
    // B's store: B's messages only, its own model of its own run
    const texts = await store.messages.texts(B);
    expect(texts).toEqual(Array.from({ length: 60 }, (_, i) => B_TEXT(i)));
    expect((await job(B))?.corpus?.messages).toBe(60);
    const modelsB = await store.models.list(B);
    expect(modelsB.map((m) => m.runId)).toEqual([(await job(B))!.run_id]);
    // A's corpus was A's messages alone, and A keeps its model
    expect((await job(A))?.corpus?.messages).toBe(200);
    expect(await store.messages.texts(A)).not.toContain(B_TEXT(0));
    expect((await interact("model", "show", {}, A).reply()).content).not.toMatch(/zebra/);
  }, 120_000);
});
