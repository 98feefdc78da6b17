/**
 * The training queue on PostgreSQL, as both sides use it: pg-boss (its "pgboss" schema) carries
 * the jobs, training_jobs (schema.ts) the one-per-guild rule, the stop requests and what a
 * job has done so far.
 *
 *   const queue = await openTrainingQueue(url);                 // the bot: enqueue and stop
 *   await queue.reserve(guildId, { preset: "tiny", minutes: 5 }); // TrainingError "already-training"
 *   await queue.enqueue(guildId);                                // after the messages are read
 *   await queue.requestStop(guildId);
 *
 * A job's data is only { guildId }: the request lives in its row, the messages in the store.
 */
import { randomUUID } from "node:crypto";
import PgBoss from "pg-boss";
import type pg from "pg";
import { checkValues } from "../app/catalogue/check.ts";
import { TrainingError, type TrainingOverrides, type TrainingPreset } from "../app/training-service.ts";
import { openPool } from "../store/postgres/database.ts";
import { OVERRUN_LIMIT } from "../train/trainer.ts";
import { ACTIVE_PHASES, CHANNELS, ensureQueueTable, type JobReply, type JobRow, notify, QUEUE_NAME, readJob } from "./schema.ts";

/** What a queued training is asked to do (a fresh model; fine-tuning and /train resume stay in-process for now). */
export interface QueuedRequest {
  preset: TrainingPreset;
  minutes: number;
  seed?: number;
}

export interface QueueSettings {
  /**
   * How long a job may run before pg-boss gives up on it and retries it (a backstop: a worker
   * that stops answering is handed over sooner, see worker-loop.ts). Default: the request's
   * time budget with its overrun, plus ten minutes for reading, evaluating and installing.
   */
  expireInSeconds?: number;
  /** how many times a job whose worker died is tried again (default 3) */
  retryLimit?: number;
  /** a "collecting" reservation older than this is taken to be a bot that died while reading (default 15 minutes) */
  collectingStaleSeconds?: number;
  /** pg-boss's own housekeeping (expiry, retries): only workers run it (default true) */
  supervise?: boolean;
  /** seconds between pg-boss's housekeeping runs (default pg-boss's) */
  maintenanceIntervalSeconds?: number;
  now?: () => number;
  /** told about pg-boss's background errors (a lost connection…) */
  onError?: (message: string, error?: unknown) => void;
}

export const JOB_DATA_VERSION = 1;
export interface JobData {
  v: typeof JOB_DATA_VERSION;
  guildId: string;
}

export class TrainingQueue {
  constructor(
    readonly boss: PgBoss,
    readonly pool: pg.Pool,
    private readonly settings: QueueSettings,
  ) {}

  private now(): number {
    return (this.settings.now ?? Date.now)();
  }

  /**
   * Reserves the guild for a new training (phase "collecting": its messages are read next).
   * Throws TrainingError "already-training" while another one is collecting, queued or
   * training, unless that one is stale (its job ended in pg-boss, or its bot died while reading).
   */
  async reserve(guildId: string, request: QueuedRequest, overrides: TrainingOverrides = {}): Promise<JobRow> {
    checkValues("train start", { preset: request.preset, minutes: request.minutes });
    const now = this.now();
    const values = [guildId, JSON.stringify(request), JSON.stringify(overrides), now];
    const insert = `INSERT INTO training_jobs (guild_id, request, overrides, phase, created_at, updated_at)
      VALUES ($1, $2, $3, 'collecting', $4, $4)
      ON CONFLICT (guild_id) DO UPDATE SET job_id = NULL, request = $2, overrides = $3, phase = 'collecting', attempt = 0,
        worker = NULL, heartbeat_at = NULL, run_id = NULL, resumed_from_step = NULL, stop_requested = false, progress = NULL,
        checkpoint = NULL, corpus = NULL, outcome = NULL, reply = NULL, created_at = $4, updated_at = $4`;
    // 1. free, or its training has ended
    const fresh = await this.pool.query<JobRow>(`${insert} WHERE training_jobs.phase <> ALL($5::text[]) RETURNING *`, [
      ...values,
      [...ACTIVE_PHASES],
    ]);
    if (fresh.rows[0]) return fresh.rows[0];
    // 2. an active row: replaced only when stale (and still the same row)
    const current = await readJob(this.pool, guildId);
    if (current && (await this.isStale(current, now))) {
      const taken = await this.pool.query<JobRow>(
        `${insert} WHERE training_jobs.phase = $5 AND training_jobs.job_id IS NOT DISTINCT FROM $6 AND training_jobs.attempt = $7 RETURNING *`,
        [...values, current.phase, current.job_id, current.attempt],
      );
      if (taken.rows[0]) return taken.rows[0];
    }
    throw new TrainingError(`guild ${guildId} is already training a model`, "already-training", {});
  }

  /** Puts the reserved training on the queue (phase "queued"); the row with its job id. */
  async enqueue(guildId: string): Promise<JobRow> {
    const row = await readJob(this.pool, guildId);
    if (row?.phase !== "collecting")
      throw new Error(`guild ${guildId} has no training reserved to enqueue (its phase is ${row?.phase ?? "none"})`);
    const jobId = randomUUID();
    const queued = await this.pool.query<JobRow>(
      "UPDATE training_jobs SET job_id = $2, phase = 'queued', updated_at = $3 WHERE guild_id = $1 AND phase = 'collecting' AND job_id IS NULL RETURNING *",
      [guildId, jobId, this.now()],
    );
    if (!queued.rows[0]) throw new Error(`the reservation of guild ${guildId} changed while it was being queued`);
    const data: JobData = { v: JOB_DATA_VERSION, guildId };
    try {
      await this.boss.send(QUEUE_NAME, data, {
        id: jobId,
        retryLimit: this.settings.retryLimit ?? 3,
        retryDelay: 0,
        expireInSeconds: this.settings.expireInSeconds ?? Math.ceil(row.request.minutes * 60 * OVERRUN_LIMIT + 600),
      });
    } catch (err) {
      await this.end(guildId, jobId, "failed", { status: "failed", error: `could not queue the training: ${(err as Error).message}` });
      throw err;
    }
    return queued.rows[0];
  }

  /** Gives the reservation back before it was queued (reading the messages failed or was stopped). */
  async cancel(guildId: string, error: string | null = null): Promise<void> {
    const { rows } = await this.pool.query<JobRow>(
      "UPDATE training_jobs SET phase = 'cancelled', outcome = $2, updated_at = $3 WHERE guild_id = $1 AND phase = 'collecting' RETURNING *",
      [guildId, JSON.stringify({ status: "cancelled", error }), this.now()],
    );
    if (rows[0]) await notify(this.pool, CHANNELS.end, { guildId, jobId: null, runId: null, status: "cancelled" });
  }

  /**
   * /train stop: written to the guild's row and announced to the worker (CHANNELS.stop); a job
   * not yet taken is cancelled by the worker that takes it. False when nothing is active.
   */
  async requestStop(guildId: string): Promise<boolean> {
    const { rows } = await this.pool.query<JobRow>(
      "UPDATE training_jobs SET stop_requested = true, updated_at = $2 WHERE guild_id = $1 AND phase = ANY($3::text[]) RETURNING *",
      [guildId, this.now(), [...ACTIVE_PHASES]],
    );
    if (!rows[0]) return false;
    await notify(this.pool, CHANNELS.stop, { guildId, jobId: rows[0].job_id });
    return true;
  }

  /**
   * /admin wipe, before the guild's data goes: its active job ends "wiped" at once (the row, and
   * the job in pg-boss), and the worker running it is told to kill it: nothing it trained is
   * installed (the worker checks the row before installing). False when nothing was active.
   */
  async discard(guildId: string): Promise<boolean> {
    const { rows } = await this.pool.query<JobRow>(
      "UPDATE training_jobs SET phase = 'wiped', stop_requested = true, outcome = $2, updated_at = $3 WHERE guild_id = $1 AND phase = ANY($4::text[]) RETURNING *",
      [guildId, JSON.stringify({ status: "wiped", error: null }), this.now(), [...ACTIVE_PHASES]],
    );
    const row = rows[0];
    if (!row) return false;
    if (row.job_id !== null) await this.boss.cancel(QUEUE_NAME, row.job_id);
    await notify(this.pool, CHANNELS.stop, { guildId, jobId: row.job_id, discard: true });
    await notify(this.pool, CHANNELS.end, { guildId, jobId: row.job_id, runId: row.run_id, status: "wiped" });
    return true;
  }

  /** Where the bot shows the guild's active training (a restarted bot edits that message on). */
  async setReply(guildId: string, reply: JobReply): Promise<void> {
    await this.pool.query("UPDATE training_jobs SET reply = $2 WHERE guild_id = $1 AND phase = ANY($3::text[])", [
      guildId,
      JSON.stringify(reply),
      [...ACTIVE_PHASES],
    ]);
  }

  /** Of these guilds, those whose training is active (collecting, queued or training). */
  async activeGuilds(guildIds: readonly string[]): Promise<string[]> {
    const { rows } = await this.pool.query<{ guild_id: string }>(
      "SELECT guild_id FROM training_jobs WHERE guild_id = ANY($1::text[]) AND phase = ANY($2::text[]) ORDER BY guild_id",
      [[...guildIds], [...ACTIVE_PHASES]],
    );
    return rows.map((r) => r.guild_id);
  }

  job(guildId: string): Promise<JobRow | undefined> {
    return readJob(this.pool, guildId);
  }

  /** Ends the guild's job (only that job), with its outcome; announces it. */
  async end(guildId: string, jobId: string, phase: JobRow["phase"], outcome: Record<string, unknown>): Promise<boolean> {
    const { rows } = await this.pool.query<JobRow>(
      "UPDATE training_jobs SET phase = $3, outcome = $4, updated_at = $5 WHERE guild_id = $1 AND job_id = $2 AND phase = ANY($6::text[]) RETURNING *",
      [guildId, jobId, phase, JSON.stringify(outcome), this.now(), [...ACTIVE_PHASES]],
    );
    if (!rows[0]) return false;
    await notify(this.pool, CHANNELS.end, { guildId, jobId, runId: rows[0].run_id, status: phase });
    return true;
  }

  async close(): Promise<void> {
    await this.boss.stop({ graceful: false, wait: true });
    await this.pool.end();
  }

  /** A row whose bot died while reading, or whose pg-boss job has ended (or is gone) without the row saying so. */
  private async isStale(row: JobRow, now: number): Promise<boolean> {
    if (row.phase === "collecting") return now - row.updated_at > (this.settings.collectingStaleSeconds ?? 900) * 1000;
    if (row.job_id === null) return true;
    const job = await this.boss.getJobById(QUEUE_NAME, row.job_id, { includeArchive: true });
    return job === null || ["completed", "failed", "cancelled"].includes(job.state);
  }
}

/** Connects pg-boss (creating its schema and the queue the first time) and the queue's table. */
export async function openTrainingQueue(url: string, settings: QueueSettings = {}): Promise<TrainingQueue> {
  const pool = await openPool(url);
  try {
    await ensureQueueTable(pool);
    const boss = new PgBoss({
      connectionString: url,
      max: 3,
      supervise: settings.supervise ?? true,
      schedule: false,
      ...(settings.maintenanceIntervalSeconds !== undefined && { maintenanceIntervalSeconds: settings.maintenanceIntervalSeconds }),
    });
    boss.on("error", (err) => settings.onError?.("the job queue reported an error", err));
    await boss.start();
    await boss.createQueue(QUEUE_NAME, { name: QUEUE_NAME, policy: "standard" });
    return new TrainingQueue(boss, pool, settings);
  } catch (err) {
    await pool.end();
    throw err;
  }
}
