/**
 * The training queue's own table and channels, next to pg-boss's (schema "pgboss") in the
 * store's PostgreSQL database.
 *
 * training_jobs: one row per guild, its latest queued training (the primary key is the "one
 * training per guild" rule):
 *   guild_id, job_id (the pg-boss job; null while collecting), request (preset, minutes, seed), overrides (tests)
 *   phase            collecting (the bot reads messages) → queued → training → done | stopped | failed | cancelled | interrupted | wiped
 *   attempt          +1 each time a worker takes the job; every write of a worker names its
 *                    attempt, so a worker that lost the job (declared dead) changes nothing
 *   worker, heartbeat_at   who runs it, and when it last said so (a stale one is handed over)
 *   run_id           the attempt's run in store.runs; resumed_from_step: the step it resumed from
 *   stop_requested   /train stop, also announced on CHANNELS.stop
 *   progress, checkpoint   the latest progress report and the latest evaluation's (JSON)
 *   corpus, outcome  the corpus read, and how it ended (JSON)
 *   reply            where the bot shows it: { channelId, messageId, lang } of /train's reply, so a
 *                    restarted bot goes on editing that message
 */
import type pg from "pg";

/** The pg-boss queue of guild trainings. */
export const QUEUE_NAME = "guild-training";

/**
 * LISTEN/NOTIFY channels; every payload is a small JSON of ids and numbers, never a curve:
 *   progress    { guildId, jobId, attempt, runId, progress }   after a progress report
 *   checkpoint  { guildId, jobId, attempt, runId, step }       after an evaluation's checkpoint is stored
 *   end         { guildId, jobId, runId, status }              the job ended (outcome in its row)
 *   installed   { guildId, modelId, switched }                 a model was stored (and chosen, if switched)
 *   stop        { guildId, jobId, discard? }                   /train stop for the worker running it
 *                                                              (discard: /admin wipe, kill it and install nothing)
 */
export const CHANNELS = {
  progress: "training_progress",
  checkpoint: "training_checkpoint",
  end: "training_end",
  installed: "model_installed",
  stop: "training_stop",
} as const;
export type Channel = (typeof CHANNELS)[keyof typeof CHANNELS];

export const ACTIVE_PHASES = ["collecting", "queued", "training"] as const;
/** "wiped": ended by /admin wipe (its thread killed, nothing it trained installed). */
export type JobPhase = (typeof ACTIVE_PHASES)[number] | "done" | "stopped" | "failed" | "cancelled" | "interrupted" | "wiped";

/** The advisory lock key under which one process creates the table ("mgptqueu"). */
const SCHEMA_LOCK_KEY = 0x6d67707471756575n;

const CREATE = `
CREATE TABLE IF NOT EXISTS training_jobs (
  guild_id TEXT COLLATE "C" PRIMARY KEY,
  job_id TEXT,
  request JSONB NOT NULL,
  overrides JSONB NOT NULL DEFAULT '{}',
  phase TEXT NOT NULL,
  attempt INTEGER NOT NULL DEFAULT 0,
  worker TEXT,
  heartbeat_at BIGINT,
  run_id BIGINT,
  resumed_from_step INTEGER,
  stop_requested BOOLEAN NOT NULL DEFAULT false,
  progress JSONB,
  checkpoint JSONB,
  corpus JSONB,
  outcome JSONB,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
ALTER TABLE training_jobs ADD COLUMN IF NOT EXISTS reply JSONB`;

/** Creates training_jobs if missing (processes starting at once wait on the lock). */
export async function ensureQueueTable(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [SCHEMA_LOCK_KEY.toString()]);
    try {
      await client.query(CREATE);
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [SCHEMA_LOCK_KEY.toString()]);
    }
  } finally {
    client.release();
  }
}

/** Where the bot shows a training: its /train reply, and the language it speaks there. */
export interface JobReply {
  channelId: string;
  messageId: string;
  lang: string;
}

/** A training_jobs row as read (BIGINT columns as numbers). */
export interface JobRow {
  guild_id: string;
  job_id: string | null;
  request: { preset: string; minutes: number; seed?: number };
  overrides: Record<string, unknown>;
  phase: JobPhase;
  attempt: number;
  worker: string | null;
  heartbeat_at: number | null;
  run_id: number | null;
  resumed_from_step: number | null;
  stop_requested: boolean;
  progress: unknown;
  checkpoint: unknown;
  corpus: { messages: number; characters: number } | null;
  outcome: unknown;
  reply: JobReply | null;
  created_at: number;
  updated_at: number;
}

export async function readJob(sql: Pick<pg.Pool, "query">, guildId: string): Promise<JobRow | undefined> {
  return (await sql.query<JobRow>("SELECT * FROM training_jobs WHERE guild_id = $1", [guildId])).rows[0];
}

/** Sends a notification (delivered when the statement's transaction commits). */
export async function notify(sql: Pick<pg.Pool, "query">, channel: Channel, payload: Record<string, unknown>): Promise<void> {
  await sql.query("SELECT pg_notify($1, $2)", [channel, JSON.stringify(payload)]);
}
