/**
 * The bot's trainings with DATABASE_URL (src/queue/queued-trainings.ts), on a real PostgreSQL
 * server (skipped, saying why, without Debian's postgresql package): a fresh model is queued,
 * a resumed run trains in the bot's process, and either way a guild has one training at a time.
 * No worker runs here: what is checked is where each request goes and what is refused.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ModelRegistry } from "../../src/app/model-registry.ts";
import { TrainingError, TrainingService } from "../../src/app/training-service.ts";
import { QueuedTrainings } from "../../src/queue/queued-trainings.ts";
import { RemoteTraining } from "../../src/queue/remote-training.ts";
import { type AsyncStore, openAsyncStore } from "../../src/store/async-store.ts";
import { tinyCheckpointBytes } from "../discord/tiny-model.ts";
import { findPostgres, startPostgres, type TestPostgres } from "../helpers/postgres-server.ts";

const postgres = findPostgres();
if ("missing" in postgres) console.warn(`queued trainings tests skipped: ${postgres.missing}`);
const describeWithPostgres = "bin" in postgres ? describe : describe.skip;

const G = "300000000000000003";
let server: TestPostgres | undefined;
let store: AsyncStore | undefined;
let trainings: QueuedTrainings | undefined;
let local: TrainingService;

beforeAll(async () => {
  if ("bin" in postgres) server = await startPostgres(postgres);
}, 120_000);

afterAll(async () => {
  await server?.stop();
});

afterEach(async () => {
  await trainings?.shutdown();
  await store?.close();
  trainings = undefined;
  store = undefined;
});

async function setUp(): Promise<QueuedTrainings> {
  const databaseUrl = await server!.newDatabase();
  store = await openAsyncStore({ databaseUrl, databasePath: "unused" });
  // a job that never runs: nothing here gets as far as training
  local = new TrainingService({
    store,
    registry: new ModelRegistry({ models: store.models }),
    startJob: () => {
      throw new Error("no training starts in this test");
    },
  });
  trainings = await QueuedTrainings.open({ databaseUrl, store, local });
  return trainings;
}

const resume = { runId: 1, checkpoint: tinyCheckpointBytes() };

describeWithPostgres("the bot's trainings with the queue", () => {
  it("queues a fresh model: the training is a queued one, waiting for a worker once enqueued, and /train status finds it", async () => {
    const t = await setUp();
    const training = await t.begin(G, { preset: "tiny", minutes: 1 });
    expect(training).toBeInstanceOf(RemoteTraining);
    expect(local.current(G)).toBeUndefined();
    await store!.messages.addMany(
      Array.from({ length: 200 }, (_, i) => ({
        id: String(1_000_000 + i),
        guildId: G,
        channelId: "1",
        authorId: "2",
        text: `message ${i}: the weather is nice today, and so is lunch`,
        createdAt: 1000 + i,
      })),
    );
    await training.train();
    expect(training.snapshot().queue).toEqual({ waiting: true, attempt: 0, resumedFromStep: null });
    expect(await t.current(G)).toBe(training);
    // stopped before any worker took it
    expect(await t.stop(G)).toBe(training);
    expect(training.stopRequested).toBe(true);
  }, 30_000);

  it("a resumed run trains in the bot's process; while it holds the guild, a fresh one is refused, with it", async () => {
    const t = await setUp();
    const here = await t.begin(G, { preset: "tiny", minutes: 1, resumeFrom: resume });
    expect(here).toBe(local.current(G));
    const refusal = await t.begin(G, { preset: "tiny", minutes: 1 }).catch((err: unknown) => err);
    expect(refusal).toBeInstanceOf(TrainingError);
    expect((refusal as TrainingError).code).toBe("already-training");
    expect((refusal as TrainingError).training).toBe(here);
    // nothing was queued for the guild
    expect(await t.remote.queue.job(G)).toBeUndefined();
    expect(await t.current(G)).toBe(here);
  }, 30_000);

  it("while a queued training holds the guild, a resumed run is refused, with the queued one", async () => {
    const t = await setUp();
    const queued = await t.begin(G, { preset: "tiny", minutes: 1 });
    const refusal = await t.begin(G, { preset: "tiny", minutes: 1, resumeFrom: resume }).catch((err: unknown) => err);
    expect((refusal as TrainingError).code).toBe("already-training");
    expect((refusal as TrainingError).training).toBe(queued);
    expect(local.current(G)).toBeUndefined();
    // a fresh and a resumed one asked at once: one holds the guild, the other is refused
    await queued.cancel();
    const both = await Promise.allSettled([
      t.begin(G, { preset: "tiny", minutes: 1, resumeFrom: resume }),
      t.begin(G, { preset: "tiny", minutes: 1 }),
    ]);
    expect(both.map((r) => r.status)).toEqual(["fulfilled", "rejected"]);
    expect(local.current(G)).toBeDefined();
    expect((await t.remote.queue.job(G))?.phase).toBe("cancelled");
  }, 30_000);
});
