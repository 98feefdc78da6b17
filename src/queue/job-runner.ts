/**
 * One queued training, run by a worker process: the same steps as the in-process GuildTraining
 * (training-plan.ts, install-decision.ts), with the store and the bot on the other side of the
 * database.
 *
 *   1. take the job: its row's attempt + 1 (every later write names this attempt: a worker
 *      that was declared dead and handed over changes nothing, and stops)
 *   2. an earlier attempt's run (its worker died): marked interrupted; its last evaluation's
 *      checkpoint is resumed (TrainModelOptions.resumeFrom), the new run records resumedRun and
 *      resumedFromStep, and starts with the earlier curve up to that step
 *   3. a stop asked before anything was trained: cancelled (with an earlier checkpoint, the
 *      resumed run is stopped at once instead, so that checkpoint is installed as /train stop does)
 *   4. the guild's messages from the store → the corpus (too little text: cancelled, with the numbers)
 *   5. the run in store.runs; startTrainingJob (a worker thread); every report a loss point of
 *      the run, every evaluation's checkpoint stored with the run, each announced (schema.ts CHANNELS)
 *   6. the end: the best-val checkpoint installed (installPlan, the bot's "ask" rule), the old
 *      models pruned to keepModels, the run finished, the outcome in the row, announced
 */
import { loadCheckpointBytes } from "../model/checkpoint.ts";
import { CorpusTooSmallError, type TrainModelOptions } from "../app/train-model.ts";
import type { TrainingJob, TrainingSummary } from "../app/training-job.ts";
import { corpusShortfall, finalCurve, recordPoint, storedRunOptions, trainingOptionsFor, UNKNOWN_TOTAL } from "../app/training-plan.ts";
import type { GuildTrainingRequest, StartJob, TrainingOverrides, TrainingPreset } from "../app/training-service.ts";
import type { AsyncStore } from "../store/async-store.ts";
import type { LossPoint, Progress } from "../train/trainer.ts";
import { installFromWorker } from "./install.ts";
import type { Notifications } from "./notifications.ts";
import { CHANNELS, type JobPhase, type JobRow, notify } from "./schema.ts";
import type { TrainingQueue } from "./training-queue.ts";

export interface RunnerDeps {
  store: AsyncStore;
  queue: TrainingQueue;
  notifications: Notifications;
  /** who runs it, e.g. "host:1234/1" */
  worker: string;
  startJob: StartJob;
  installPolicy: "ask" | "switch";
  keepModels: number;
  modelsDir?: string;
  heartbeatSeconds: number;
  warn: (message: string, error?: unknown) => void;
  now: () => number;
  /**
   * Told, once the training runs, how to hand it over (the worker process is stopping): its
   * thread is killed and nothing more is written, so another worker resumes it. Returns the
   * "untrack" to call when the job ends.
   */
  track?: (handOver: () => Promise<void>) => () => void;
}

/** What the row's outcome holds: TrainingOutcome with the model by id (the bot reads its info from the store). */
export interface StoredOutcome {
  status: Exclude<JobPhase, "collecting" | "queued" | "training">;
  modelId?: number | null;
  installation?: unknown;
  step?: number;
  totalSteps?: number | null;
  valLoss?: number | null;
  trainLoss?: number | null;
  seconds?: number;
  tokensPerSecond?: number;
  summary?: Omit<TrainingSummary, "curve"> | null;
  error?: string | null;
  code?: string;
  values?: Record<string, unknown>;
  tooFewTokens?: { tokens: number; needed: number; preset: string };
}

/**
 * How a job left this worker, which says what to tell pg-boss: "ended" (done, stopped, failed
 * or cancelled: complete it), "handed-over" (this worker is stopping: fail it, so it is retried
 * at once elsewhere), "lost" (declared dead and taken by another attempt: tell pg-boss nothing,
 * the job is that attempt's now).
 */
export type JobFate = "ended" | "handed-over" | "lost";

export async function runQueuedJob(deps: RunnerDeps, guildId: string, jobId: string): Promise<JobFate> {
  const fate: { value: JobFate } = { value: "ended" };
  await runAttempt(deps, guildId, jobId, fate);
  return fate.value;
}

async function runAttempt(deps: RunnerDeps, guildId: string, jobId: string, fate: { value: JobFate }): Promise<void> {
  const { queue, store } = deps;
  const sql = queue.pool;
  // 1. take the job
  const taken = await sql.query<JobRow>(
    `UPDATE training_jobs SET phase = 'training', attempt = attempt + 1, worker = $3, heartbeat_at = $4, updated_at = $4
     WHERE guild_id = $1 AND job_id = $2 AND phase IN ('queued', 'training') RETURNING *`,
    [guildId, jobId, deps.worker, deps.now()],
  );
  const row = taken.rows[0];
  if (!row) return; // ended (or replaced) meanwhile: nothing to do
  const attempt = row.attempt;
  const previousRunId = row.run_id;
  /** an update of this attempt's row; false when the job is no longer this worker's */
  const update = async (set: string, values: unknown[]): Promise<boolean> => {
    const result = await sql.query(
      `UPDATE training_jobs SET ${set}, updated_at = $4 WHERE guild_id = $1 AND job_id = $2 AND attempt = $3 AND phase = 'training'`,
      [guildId, jobId, attempt, deps.now(), ...values],
    );
    const mine = (result.rowCount ?? 0) > 0;
    // another attempt has the job (or it was ended for this one): pg-boss is told nothing by this worker
    if (!mine && fate.value === "ended") fate.value = "lost";
    return mine;
  };
  const end = async (outcome: StoredOutcome): Promise<boolean> => {
    const ended = await update("phase = $5, outcome = $6", [outcome.status, JSON.stringify(outcome)]);
    if (ended) await notify(sql, CHANNELS.end, { guildId, jobId, runId: currentRunId, status: outcome.status });
    return ended;
  };
  let currentRunId: number | null = previousRunId;

  // 2. an earlier attempt's run (resumed even when a stop was asked meanwhile: it then ends at once, its checkpoint installed)
  let resumeFrom: GuildTrainingRequest["resumeFrom"];
  let resumedFromStep: number | null = null;
  let earlierPoints: LossPoint[] = [];
  if (previousRunId !== null) {
    const previous = await store.runs.get(guildId, previousRunId);
    if (previous?.status === "running") await store.runs.finish(previousRunId, "interrupted", null);
    const checkpoint = await store.runs.checkpoint(guildId, previousRunId);
    if (checkpoint) {
      resumeFrom = { runId: previousRunId, checkpoint };
      resumedFromStep = loadCheckpointBytes(checkpoint, `the checkpoint of run ${previousRunId}`).meta.step;
      earlierPoints = (await store.runs.points(guildId, previousRunId)).filter((p) => p.step <= (resumedFromStep ?? 0));
    }
  }
  // 3. a stop asked before anything was trained
  if (row.stop_requested && !resumeFrom) {
    await end({ status: "cancelled", error: null });
    return;
  }

  // 4. the corpus
  const docs = (await store.messages.texts(guildId)).filter((d) => d.trim().length > 0);
  const corpus = { messages: docs.length, characters: docs.reduce((n, d) => n + d.length, 0) };
  const request: GuildTrainingRequest = {
    preset: row.request.preset as TrainingPreset,
    minutes: row.request.minutes,
    ...(row.request.seed !== undefined && { seed: row.request.seed }),
    ...(resumeFrom && { resumeFrom }),
  };
  const shortfall = corpusShortfall(request, docs);
  if (shortfall) {
    await end({ status: "cancelled", error: shortfall.message, code: "not-enough-text", values: shortfall.values });
    return;
  }

  // 5. the run (a resumed one: the steps left of a fixed count), the worker thread
  const overrides = row.overrides as TrainingOverrides;
  const options: TrainModelOptions = trainingOptionsFor(request, docs, {
    ...overrides,
    ...(overrides.steps !== undefined && resumedFromStep !== null && { steps: Math.max(1, overrides.steps - resumedFromStep) }),
  });
  const run = await store.runs.start(
    guildId,
    storedRunOptions(options, request, corpus, { queueJob: jobId, attempt, ...(resumedFromStep !== null && { resumedFromStep }) }),
  );
  currentRunId = run.id;
  if (earlierPoints.length > 0) await store.runs.addPoints(run.id, earlierPoints);
  if (!(await update("run_id = $5, resumed_from_step = $6, corpus = $7", [run.id, resumedFromStep, JSON.stringify(corpus)]))) {
    await store.runs.finish(run.id, "interrupted", null);
    return;
  }
  await notify(sql, CHANNELS.progress, { guildId, jobId, attempt, runId: run.id, progress: null });

  const points = [...earlierPoints];
  let lastCheckpoint: Progress | null = null;
  let checkpointBytes: Uint8Array | null = null;
  let lost = false;
  let job: TrainingJob | null = null;
  // the hooks' writes, in order (a failed write is reported, never ends the training)
  let writes: Promise<void> = Promise.resolve();
  const write = (what: string, work: () => Promise<void>) => {
    writes = writes.then(work).catch((err) => deps.warn(`run ${run.id} (guild ${guildId}): storing ${what} failed`, err));
  };
  const loseJob = (why = "it is no longer this worker's (handed over, or wiped)") => {
    if (lost) return;
    lost = true;
    fate.value = "lost";
    deps.warn(`guild ${guildId}'s job ${jobId}: ${why}; this attempt (${attempt}) stops`);
    void job?.kill();
  };
  const offStop = deps.notifications.on(CHANNELS.stop, (p) => {
    if (p.guildId !== guildId || (p.jobId !== jobId && p.jobId !== null)) return;
    if (p.discard === true) loseJob("the server's data is being wiped");
    else job?.stop();
  });
  const heartbeat = setInterval(() => {
    update("heartbeat_at = $5", [deps.now()]).then(
      (mine) => mine || loseJob(),
      (err) => deps.warn(`guild ${guildId}: a heartbeat failed`, err),
    );
  }, deps.heartbeatSeconds * 1000);
  let stopTracking = () => {};
  try {
    job = deps.startJob(docs, options, {
      onProgress: (p) => {
        const point = recordPoint(points, p);
        write("a progress report", async () => {
          if (Number.isFinite(point.trainLoss)) await store.runs.addPoint(run.id, point);
          if (await update("progress = $5", [JSON.stringify(p)]))
            await notify(sql, CHANNELS.progress, { guildId, jobId, attempt, runId: run.id, progress: p });
          else loseJob();
        });
      },
      onCheckpoint: (bytes, p) => {
        recordPoint(points, p);
        checkpointBytes = bytes;
        lastCheckpoint = p;
        write("a checkpoint", async () => {
          if (!(await update("checkpoint = $5, progress = $5", [JSON.stringify(p)]))) return loseJob();
          await store.runs.saveCheckpoint(run.id, bytes);
          if (Number.isFinite(p.trainLoss)) await store.runs.addPoint(run.id, recordPoint([], p));
          await notify(sql, CHANNELS.checkpoint, { guildId, jobId, attempt, runId: run.id, step: p.step });
        });
      },
    });
    const untrack = deps.track?.(async () => {
      lost = true;
      fate.value = "handed-over";
      await job?.kill();
    });
    stopTracking = untrack ?? stopTracking;
    // a stop asked before the job was taken, or between reading the row and listening
    const fresh = await queue.job(guildId);
    if (fresh?.stop_requested) job.stop();
    let summary: TrainingSummary;
    try {
      summary = await job.done;
    } catch (err) {
      await writes;
      if (lost) return;
      const message = err instanceof Error ? err.message : String(err);
      await store.runs.finish(run.id, "failed", message);
      const tooFew = err instanceof CorpusTooSmallError ? err.counts : undefined;
      await end({
        status: "failed",
        error: message,
        ...finalNumbers(lastCheckpoint),
        ...(tooFew && { tooFewTokens: { tokens: tooFew.tokens, needed: tooFew.needed, preset: tooFew.preset } }),
      });
      return;
    }
    await writes;
    if (lost) return;
    // 6. install the best-val checkpoint (the last one the worker sent holds it)
    const final = lastCheckpoint as Progress | null;
    const bytes = checkpointBytes as Uint8Array | null;
    if (final === null || bytes === null) {
      await store.runs.finish(run.id, "failed", "the training ended without a checkpoint");
      await end({ status: "failed", error: "the training ended without a checkpoint" });
      return;
    }
    await store.runs.addPoints(run.id, finalCurve(summary, final));
    // still this worker's job (not wiped, not handed over) right before the model is stored
    if (!(await update("heartbeat_at = $5", [deps.now()]))) return;
    const { info, decision } = await installFromWorker(store.models, guildId, bytes, {
      runId: run.id,
      policy: deps.installPolicy,
      modelsDir: deps.modelsDir,
    });
    await notify(sql, CHANNELS.installed, { guildId, modelId: info.id, switched: decision.switched });
    try {
      await store.models.prune(guildId, deps.keepModels);
    } catch (err) {
      deps.warn(`cannot prune the old models of guild ${guildId}`, err);
    }
    const status = summary.stopped === "requested" ? "stopped" : "done";
    await store.runs.finish(run.id, status, null);
    const { curve: _curve, ...shortSummary } = summary;
    await end({
      status,
      modelId: info.id,
      installation: decision,
      ...finalNumbers(final),
      totalSteps: summary.totalSteps,
      seconds: summary.seconds,
      tokensPerSecond: summary.tokensPerSecond,
      summary: shortSummary,
      error: null,
    });
  } finally {
    clearInterval(heartbeat);
    offStop();
    stopTracking();
  }
}

function finalNumbers(p: Progress | null): Partial<StoredOutcome> {
  if (p === null) return {};
  return {
    step: p.step,
    totalSteps: p.totalSteps < UNKNOWN_TOTAL ? p.totalSteps : null,
    valLoss: p.valLoss,
    trainLoss: Number.isFinite(p.trainLoss) ? p.trainLoss : null,
    seconds: p.elapsedSeconds,
    tokensPerSecond: p.tokensPerSecond,
  };
}
