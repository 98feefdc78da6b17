/**
 * A worker process's loop: take training jobs from the queue (up to `concurrency` at once, one
 * pg-boss poller each), run each (job-runner.ts), and hand over the jobs of workers that
 * stopped answering.
 *
 * Handing over: every running job's row gets a heartbeat every heartbeatSeconds. Each worker
 * looks every heartbeatSeconds for rows in "training" whose heartbeat is older than
 * staleSeconds (a worker killed, or cut off); one of them wins the row (back to "queued") and
 * fails the pg-boss job, which pg-boss then retries on whichever worker fetches it first; that
 * one resumes from the run's last checkpoint. With no retries left the job ends "interrupted".
 * pg-boss's own expiry (training-queue.ts expireInSeconds) stays as a backstop.
 */
import { hostname } from "node:os";
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
  const workIds: string[] = [];
  for (let slot = 1; slot <= concurrency; slot++) {
    const id = await queue.boss.work<JobData>(
      QUEUE_NAME,
      { batchSize: 1, pollingIntervalSeconds: s.pollingSeconds ?? 2 },
      async ([job]) => {
        const { guildId } = job.data;
        running.add(job.id);
        log(`job ${job.id}: training guild ${guildId}`);
        try {
          await runQueuedJob(
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
            },
            guildId,
            job.id,
          );
          log(`job ${job.id}: ended`);
        } finally {
          running.delete(job.id);
        }
      },
    );
    workIds.push(id);
  }

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
          error: `its worker stopped answering and it was tried ${job.retryCount + 1} times`,
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
      for (const id of workIds) await queue.boss.offWork({ id });
      // the running jobs: back to the queue for another worker (they resume from their last checkpoint)
      if (running.size > 0) {
        await queue.pool.query("UPDATE training_jobs SET heartbeat_at = 0 WHERE job_id = ANY($1::text[]) AND phase = 'training'", [
          [...running],
        ]);
      }
      await notifications.close();
      await queue.close();
      await store.close();
    },
  };
}
