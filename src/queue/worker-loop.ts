/**
 * A worker process's loop: `concurrency` slots, each fetching one training job at a time from
 * pg-boss (boss.fetch, not boss.work: whether the job is completed, failed for a retry, or left
 * alone is decided by how it left this worker, job-runner.ts JobFate), and the hand-over of
 * jobs whose worker stopped answering.
 *
 * Handing over: every running job's row gets a heartbeat every heartbeatSeconds. Each worker
 * looks every heartbeatSeconds for rows in "training" whose heartbeat is older than
 * staleSeconds (a worker killed, or cut off); one of them wins the row (back to "queued") and
 * fails the pg-boss job, which pg-boss then retries on whichever worker fetches it first; that
 * one resumes from the run's last checkpoint. With no retries left the job ends "interrupted".
 * A worker that is stopped (SIGTERM) hands its jobs over itself: threads killed, jobs failed
 * for a retry at once. pg-boss's own expiry (training-queue.ts expireInSeconds) stays as a backstop.
 */
import { hostname } from "node:os";
import type PgBoss from "pg-boss";
import { KEEP_MODELS, type StartJob } from "../app/training-service.ts";
import { startTrainingJob } from "../app/training-job.ts";
import { openAsyncStore } from "../store/async-store.ts";
import { runQueuedJob } from "./job-runner.ts";
import { Notifications } from "./notifications.ts";
import { type JobRow, QUEUE_NAME } from "./schema.ts";
import { type JobData, openTrainingQueue, type QueueSettings } from "./training-queue.ts";

export interface WorkerSettings {
  databaseUrl: string;
  /** jobs at once (default 1) */
  concurrency?: number;
  heartbeatSeconds?: number;
  /** a running job without a heartbeat for this long is handed over (default 30) */
  staleSeconds?: number;
  /** how often an idle poller asks for a job (default 2) */
  pollingSeconds?: number;
  installPolicy?: "ask" | "switch";
  keepModels?: number;
  modelsDir?: string;
  startJob?: StartJob;
  queue?: QueueSettings;
  log?: (line: string) => void;
  now?: () => number;
}

export interface RunningWorker {
  readonly name: string;
  /** stops taking jobs; running ones are handed over (their threads killed, the jobs retried elsewhere) */
  stop(): Promise<void>;
}

export async function startWorker(s: WorkerSettings): Promise<RunningWorker> {
  const log = s.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const warn = (message: string, err?: unknown) => log(`warning: ${message}${err ? `: ${(err as Error).message ?? err}` : ""}`);
  const now = s.now ?? Date.now;
  const concurrency = s.concurrency ?? 1;
  const heartbeatSeconds = s.heartbeatSeconds ?? 5;
  const staleSeconds = s.staleSeconds ?? 30;
  const name = `${hostname()}:${process.pid}`;
  const store = await openAsyncStore({ databaseUrl: s.databaseUrl, databasePath: "" });
  const queue = await openTrainingQueue(s.databaseUrl, { supervise: true, ...s.queue, onError: warn });
  const notifications = await Notifications.open(s.databaseUrl, warn);
  const running = new Set<string>();
  const handOvers = new Set<() => Promise<void>>();
  let stopping = false;
  /** One slot: fetch a job (or wait pollingSeconds), run it, tell pg-boss what became of it (job-runner.ts JobFate). */
  const slotLoop = async (slot: number) => {
    while (!stopping) {
      let job: PgBoss.Job<JobData> | undefined;
      try {
        [job] = await queue.boss.fetch<JobData>(QUEUE_NAME, { batchSize: 1 });
      } catch (err) {
        warn("fetching a job failed", err);
      }
      if (!job) {
        await new Promise((resolve) => setTimeout(resolve, (s.pollingSeconds ?? 2) * 1000));
        continue;
      }
      const { guildId } = job.data;
      running.add(job.id);
      log(`job ${job.id}: training guild ${guildId}`);
      try {
        const fate = await runQueuedJob(
          {
            store,
            queue,
            notifications,
            worker: `${name}/${slot}`,
            startJob: s.startJob ?? startTrainingJob,
            installPolicy: s.installPolicy ?? "ask",
            keepModels: s.keepModels ?? KEEP_MODELS,
            modelsDir: s.modelsDir,
            heartbeatSeconds,
            warn,
            now,
            track: (handOver) => {
              handOvers.add(handOver);
              return () => handOvers.delete(handOver);
            },
          },
          guildId,
          job.id,
        );
        log(`job ${job.id}: ${fate}`);
        if (fate === "ended") await queue.boss.complete(QUEUE_NAME, job.id);
        else if (fate === "handed-over") await queue.boss.fail(QUEUE_NAME, job.id, { reason: `worker ${name} stopped` });
      } catch (err) {
        // a store or queue failure mid-job: pg-boss retries it, and the next attempt resumes
        warn(`job ${job.id} (guild ${guildId}) failed`, err);
        await queue.boss.fail(QUEUE_NAME, job.id, { reason: (err as Error).message }).catch(() => undefined);
      } finally {
        running.delete(job.id);
      }
    }
  };
  const slots = Array.from({ length: concurrency }, (_, i) => slotLoop(i + 1));

  // handing over the jobs of silent workers
  const reap = async () => {
    const { rows } = await queue.pool.query<JobRow>(
      `UPDATE training_jobs SET phase = 'queued', worker = NULL, updated_at = $1
       WHERE phase = 'training' AND heartbeat_at < $2 RETURNING *`,
      [now(), now() - staleSeconds * 1000],
    );
    for (const row of rows) {
      if (row.job_id === null) continue;
      log(`job ${row.job_id} (guild ${row.guild_id}): its worker ${row.worker} stopped answering; handing it over`);
      await queue.boss.fail(QUEUE_NAME, row.job_id, { reason: `worker ${row.worker} stopped answering` });
      const job = await queue.boss.getJobById(QUEUE_NAME, row.job_id);
      if (job?.state === "failed") {
        if (row.run_id !== null) await store.runs.finish(row.run_id, "interrupted", null).catch(() => undefined);
        await queue.end(row.guild_id, row.job_id, "interrupted", {
          status: "interrupted",
          error: `its worker stopped answering and it was tried ${job.retryCount + 1} time${job.retryCount === 0 ? "" : "s"}`,
        });
      }
    }
  };
  const reaper = setInterval(() => reap().catch((err) => warn("handing over silent workers' jobs failed", err)), heartbeatSeconds * 1000);
  log(`worker ${name} ready: ${concurrency} job(s) at a time`);

  return {
    name,
    async stop() {
      clearInterval(reaper);
      stopping = true;
      // the running jobs: their threads killed, the jobs failed in pg-boss (so retried at once by another
      // worker, which resumes them from their last checkpoint)
      await Promise.all([...handOvers].map((handOver) => handOver()));
      await Promise.all(slots);
      await notifications.close();
      await queue.close();
      await store.close();
    },
  };
}
