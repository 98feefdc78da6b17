/**
 * The training queue end to end on a real PostgreSQL server (started here from Debian's
 * postgresql package; skipped, saying why, when it is absent): the bot's side
 * (RemoteTrainings) enqueues, `npm run worker` processes (spawned: node + tsx, so SIGKILL
 * kills the worker itself) train the tiny preset for a few steps and install the model.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { generateText } from "../../src/app/generate-text.ts";
import { handleFromCheckpoint } from "../../src/app/model-handle.ts";
import { TrainingError } from "../../src/app/training-service.ts";
import { loadCheckpointBytes } from "../../src/model/checkpoint.ts";
import { Notifications } from "../../src/queue/notifications.ts";
import { AlreadyTrainingRemotely, type RemoteTraining, RemoteTrainings } from "../../src/queue/remote-training.ts";
import { CHANNELS, QUEUE_NAME } from "../../src/queue/schema.ts";
import type { QueueSettings } from "../../src/queue/training-queue.ts";
import { type AsyncStore, openAsyncStore } from "../../src/store/async-store.ts";
import { smallCorpus } from "../helpers/corpus.ts";
import { findPostgres, startPostgres, type TestPostgres } from "../helpers/postgres-server.ts";

const postgres = findPostgres();
if ("missing" in postgres) console.warn(`training queue tests skipped: ${postgres.missing}`);
const describeWithPostgres = "bin" in postgres ? describe : describe.skip;

/** Few steps, frequent evaluations: a run takes seconds once the worker has started. */
const TRAINING = { evalInterval: 10, evalBatches: 2, vocabSize: 300 };
/** Quick hand-over for the tests: heartbeats every half second, a worker silent for 3 s is dead. */
const WORKER_ENV = {
  WORKER_HEARTBEAT_SECONDS: "0.5",
  WORKER_STALE_SECONDS: "3",
  WORKER_POLL_SECONDS: "0.5",
  QUEUE_MAINTENANCE_SECONDS: "1",
};
const A = "100000000000000001";
const B = "200000000000000002";
/** B's messages: words that never occur in A's, so reading them would show in the corpus counts. */
const B_DOCS = Array.from({ length: 60 }, (_, i) => `zebra quantum xylophone ${i} juxtaposed`);

let server: TestPostgres | undefined;
let databaseUrl = "";
let store: AsyncStore | undefined;
let trainings: RemoteTrainings | undefined;
/** a second bot process's side of the queue */
let other: RemoteTrainings | undefined;
let listener: Notifications | undefined;
const workers: ChildProcess[] = [];

beforeAll(async () => {
  if ("bin" in postgres) server = await startPostgres(postgres);
}, 120_000);

afterAll(async () => {
  await server?.stop();
});

afterEach(async () => {
  for (const w of workers.splice(0)) await stopWorker(w);
  await trainings?.close();
  await other?.close();
  other = undefined;
  await listener?.close();
  await store?.close();
  trainings = undefined;
  listener = undefined;
  store = undefined;
});

interface Worker {
  process: ChildProcess;
  output: string[];
}

function startWorker(env: Record<string, string> = {}): Worker {
  const child = spawn(process.execPath, ["--import", "tsx", "src/worker/main.ts"], {
    env: { ...process.env, DATABASE_URL: databaseUrl, ...WORKER_ENV, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output: string[] = [];
  child.stdout!.on("data", (d: Buffer) => output.push(d.toString()));
  child.stderr!.on("data", (d: Buffer) => output.push(d.toString()));
  workers.push(child);
  return { process: child, output };
}

async function stopWorker(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGKILL");
  await exited;
}

/** A fresh database with A's and B's messages, and the bot's side of the queue. */
async function setUp(overrides: Record<string, number>, queue: QueueSettings = {}): Promise<void> {
  databaseUrl = await server!.newDatabase();
  store = await openAsyncStore({ databaseUrl, databasePath: "unused" });
  const message = (guildId: string, text: string, i: number) => ({
    id: `${guildId.slice(0, 3)}${1_000_000 + i}`,
    guildId,
    channelId: `${guildId}9`,
    authorId: "1",
    text,
    createdAt: 1000 + i,
  });
  await store.messages.addMany(smallCorpus().map((t, i) => message(A, t, i)));
  await store.messages.addMany(B_DOCS.map((t, i) => message(B, t, i)));
  trainings = await RemoteTrainings.open({
    databaseUrl,
    store,
    overrides: { ...TRAINING, ...overrides },
    queue: { expireInSeconds: 300, ...queue },
  });
  listener = await Notifications.open(databaseUrl, (m) => console.warn(m));
}

/** Waits (up to 10 s) until `check` holds: for what another connection hears a moment later. */
async function eventually(check: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 100));
}

/** Resolves when `check` holds after a change of the training (or at once). */
function until(t: RemoteTraining, check: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    if (check()) return resolve();
    const off = t.subscribe(() => {
      if (check()) {
        off();
        resolve();
      }
    });
  });
}

describeWithPostgres("the training queue with worker processes", () => {
  it("trains a guild's model on a worker: loss points and notifications arrive, the model is stored and writes", async () => {
    await setUp({ steps: 30 });
    const heard = { progress: 0, checkpoint: 0, installed: [] as unknown[] };
    listener!.on(CHANNELS.progress, (p) => p.guildId === A && p.progress && heard.progress++);
    listener!.on(CHANNELS.checkpoint, (p) => p.guildId === A && heard.checkpoint++);
    listener!.on(CHANNELS.installed, (p) => heard.installed.push(p));
    startWorker();

    const t = await trainings!.begin(A, { preset: "tiny", minutes: 1 });
    // one training per guild: a second is refused while the first holds the guild
    await expect(trainings!.begin(A, { preset: "tiny", minutes: 1 })).rejects.toThrow(TrainingError);
    await t.train();
    const outcome = await t.done;

    expect(outcome.error).toBeNull();
    expect(outcome.status).toBe("done");
    expect(outcome.step).toBeGreaterThan(0);
    expect(heard.progress).toBeGreaterThan(0);
    expect(heard.checkpoint).toBeGreaterThanOrEqual(3); // steps 10, 20, 30
    // the curve: in the run in the store, and followed live by the bot's side
    const points = await store!.runs.points(A, t.runId!);
    expect(points.map((p) => p.step)).toContain(30);
    expect(points.filter((p) => p.valLoss !== null).length).toBeGreaterThanOrEqual(3);
    expect(t.points.length).toBe(points.length);
    // installed: stored with its run, announced; the shipped model answered before, so (as the bot asks) it waits to be chosen
    const model = outcome.model!;
    expect(model.runId).toBe(t.runId);
    expect(outcome.installation?.reason).toBe("not-comparable");
    // (the test's own LISTEN connection may hear it a moment after the bot's side)
    await eventually(() => heard.installed.length > 0);
    expect(heard.installed).toContainEqual({ guildId: A, modelId: model.id, switched: false });
    const stored = await store!.models.get(A, model.id);
    const handle = handleFromCheckpoint(loadCheckpointBytes(stored!.checkpoint, "installed"), "");
    expect(generateText(handle, "It rained", { maxTokens: 8, seed: 1 }).ids.length).toBeGreaterThan(0);
    // the guild is free again
    const again = await trainings!.begin(A, { preset: "tiny", minutes: 1 });
    await again.cancel();
  }, 60_000);

  it("/admin wipe mid-training: the job ends at once, its worker installs nothing", async () => {
    await setUp({ steps: 100_000 });
    const worker = startWorker();
    const t = await trainings!.begin(A, { preset: "tiny", minutes: 1 });
    await t.train();
    await until(t, () => t.lastCheckpoint !== null);
    expect(await trainings!.discard(A)).toBe(true);
    expect((await t.done).status).toBe("wiped");
    // once the worker has let go of the job, it has stored no model (then the data goes)
    const letGo = () => /job \S+: (lost|ended|handed-over)\n|failed/.test(worker.output.join(""));
    await eventually(letGo);
    expect(letGo()).toBe(true);
    expect(await store!.models.list(A)).toEqual([]);
    // (told by the stop notice, or by its next write finding the row wiped, whichever comes first)
    expect(worker.output.join("")).toMatch(/(being wiped|no longer this worker's \(handed over, or wiped\)); this attempt \(1\) stops/);
    await store!.forgetGuild(A);
    expect(await store!.runs.list(A)).toEqual([]);
  }, 60_000);

  it("a guild is never held for good: a reservation whose bot died, or a job pg-boss has ended, can be replaced", async () => {
    await setUp({ steps: 10 }, { collectingStaleSeconds: 1 });
    // a bot that reserved the guild and died while reading its messages
    await trainings!.begin(A, { preset: "tiny", minutes: 1 });
    await expect(trainings!.queue.reserve(A, { preset: "tiny", minutes: 1 })).rejects.toThrow(/already training/);
    await new Promise((r) => setTimeout(r, 1100));
    await trainings!.queue.reserve(A, { preset: "tiny", minutes: 1 });
    // a queued job that pg-boss ended without its row saying so (cancelled by hand, say)
    const row = await trainings!.queue.enqueue(A);
    await expect(trainings!.queue.reserve(A, { preset: "tiny", minutes: 1 })).rejects.toThrow(/already training/);
    await trainings!.queue.boss.cancel(QUEUE_NAME, row.job_id!);
    expect((await trainings!.queue.reserve(A, { preset: "tiny", minutes: 1 })).phase).toBe("collecting");
  }, 60_000);

  it("a stop asked before any worker took the job cancels it", async () => {
    await setUp({ steps: 10 });
    const t = await trainings!.begin(A, { preset: "tiny", minutes: 1 });
    await t.train();
    expect(t.snapshot().queue.waiting).toBe(true);
    await t.requestStop();
    startWorker();
    const outcome = await t.done;
    expect(outcome.status).toBe("cancelled");
    expect(await store!.runs.list(A)).toEqual([]);
  }, 60_000);

  it("reads only the guild's own messages", async () => {
    await setUp({ steps: 10 });
    startWorker();
    const t = await trainings!.begin(B, { preset: "tiny", minutes: 1 });
    await t.train();
    const outcome = await t.done;
    expect(outcome.status).toBe("done");
    const run = await store!.runs.get(B, t.runId!);
    const options = run!.options as { messages: number; characters: number };
    expect(options.messages).toBe(B_DOCS.length);
    expect(options.characters).toBe(B_DOCS.reduce((n, d) => n + d.length, 0));
    expect(await store!.models.list(A)).toEqual([]);
  }, 60_000);

  it("/train stop reaches the worker: the run ends early with its last checkpoint installed; another bot process follows it", async () => {
    await setUp({ steps: 100_000 });
    startWorker();
    const t = await trainings!.begin(A, { preset: "tiny", minutes: 1 });
    await t.train();
    await until(t, () => t.lastCheckpoint !== null);
    // a second bot process (or this one restarted): refused a second training, it follows the running one
    other = await RemoteTrainings.open({ databaseUrl, store: store! });
    const refusal = await other.begin(A, { preset: "tiny", minutes: 1 }).catch((err: unknown) => err);
    expect(refusal).toBeInstanceOf(AlreadyTrainingRemotely);
    const followed = (refusal as AlreadyTrainingRemotely).remote!;
    expect(followed.runId).toBe(t.runId);
    const installedThere: number[] = [];
    other.onInstalled((guildId, modelId) => guildId === A && installedThere.push(modelId));
    await t.requestStop();
    const outcome = await t.done;
    const seenThere = await followed.done;
    expect(seenThere.status).toBe("stopped");
    expect(seenThere.model?.id).toBe(outcome.model?.id);
    expect(installedThere).toEqual([outcome.model?.id]);
    expect(followed.points.map((p) => p.step)).toEqual((await store!.runs.points(A, t.runId!)).map((p) => p.step));
    expect(outcome.status).toBe("stopped");
    expect(outcome.step).toBeGreaterThanOrEqual(10);
    expect(outcome.step).toBeLessThan(100_000);
    expect(await store!.runs.checkpoint(A, t.runId!)).toBeInstanceOf(Uint8Array);
    expect((await store!.runs.get(A, t.runId!))?.status).toBe("stopped");
    expect(outcome.model?.runId).toBe(t.runId);
  }, 60_000);

  /** Two workers; the one that has the job gets `signal` after its first checkpoint; the other resumes the job. */
  async function handOver(signal: "SIGKILL" | "SIGTERM"): Promise<void> {
    // enough steps that the run is still going when the kill lands, even on a fast machine
    await setUp({ steps: 150 });
    const first = startWorker();
    const second = startWorker();
    const t = await trainings!.begin(A, { preset: "tiny", minutes: 1 });
    await t.train();
    await until(t, () => t.lastCheckpoint !== null && t.lastCheckpoint.step >= 10);
    const firstRun = t.runId!;
    // the worker that has it (its row names host:pid/slot) is killed
    const row = await trainings!.queue.job(A);
    const pid = Number(/:(\d+)\//.exec(row!.worker!)![1]);
    const [killed, survivor] = first.process.pid === pid ? [first, second] : [second, first];
    expect(killed.process.pid).toBe(pid);
    const exited = new Promise((resolve) => killed.process.once("exit", resolve));
    killed.process.kill(signal);
    await exited;

    const outcome = await t.done;
    expect(outcome.status).toBe("done");
    expect(t.attempt).toBe(2);
    expect(t.resumedFromStep).toBeGreaterThan(0);
    // what the live message shows: that it resumed, and from where
    expect(t.snapshot()).toMatchObject({ queue: { attempt: 2, resumedFromStep: t.resumedFromStep }, phase: "done" });
    expect(t.runId).not.toBe(firstRun);
    const resumed = (await store!.runs.get(A, t.runId!))!.options as { resumedRun: number; resumedFromStep: number };
    expect(resumed.resumedRun).toBe(firstRun);
    expect(resumed.resumedFromStep).toBe(t.resumedFromStep);
    expect((await store!.runs.get(A, firstRun))?.status).toBe("interrupted");
    expect(outcome.step).toBeGreaterThan(t.resumedFromStep!);
    // SIGKILL: the survivor found it silent and handed it over; SIGTERM: the stopping worker handed it over itself
    if (signal === "SIGKILL") expect(survivor.output.join("")).toMatch(/stopped answering; handing it over/);
    else {
      expect(killed.output.join("")).toMatch(/: handed-over\n/);
      expect(survivor.output.join("")).not.toMatch(/stopped answering/);
    }
  }

  it("a worker killed mid-job (SIGKILL): another takes the job and resumes from the last checkpoint", () => handOver("SIGKILL"), 90_000);

  it("a worker stopped mid-job (SIGTERM): it hands the job over, another resumes it", () => handOver("SIGTERM"), 90_000);

  it("a job whose workers keep dying ends interrupted once its retries are used up, and frees the guild", async () => {
    await setUp({ steps: 100_000 }, { retryLimit: 0 });
    const first = startWorker();
    const t = await trainings!.begin(A, { preset: "tiny", minutes: 1 });
    await t.train();
    await until(t, () => t.lastCheckpoint !== null);
    const firstRun = t.runId!;
    await stopWorker(first.process);
    startWorker(); // finds the job silent; with no retry left it is not taken again
    const outcome = await t.done;
    expect(outcome.status).toBe("interrupted");
    expect(outcome.error).toMatch(/stopped answering and it was tried 1 time$/);
    expect((await store!.runs.get(A, firstRun))?.status).toBe("interrupted");
    expect(await store!.runs.checkpoint(A, firstRun)).toBeInstanceOf(Uint8Array); // /train resume can continue it
    const again = await trainings!.begin(A, { preset: "tiny", minutes: 1 });
    await again.cancel();
  }, 60_000);
});

describe("npm run worker", () => {
  it("refuses to start without DATABASE_URL, saying so", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", "src/worker/main.ts"], {
      env: { ...process.env, DATABASE_URL: "" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise((resolve) => child.once("exit", resolve));
    expect(code).toBe(2);
    expect(stderr).toMatch(/needs DATABASE_URL=postgres:\/\//);
  }, 30_000);
});
