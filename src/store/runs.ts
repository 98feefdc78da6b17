/**
 * Training runs per guild and their loss curve, so `/model` and the loss picture still work
 * after a restart. A run is "running" until finished; runs still "running" when the bot starts
 * were cut off by a crash or a restart and are marked "interrupted".
 */
import type { Db } from "./database.ts";

export const RUN_STATUSES = ["running", "done", "stopped", "failed", "interrupted"] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
export type FinishedStatus = Exclude<RunStatus, "running">;

export interface TrainingRun {
  id: number;
  guildId: string;
  status: RunStatus;
  startedAt: number;
  finishedAt: number | null;
  /** the options the run was started with (JSON) */
  options: unknown;
  /** why it failed, when it did */
  error: string | null;
}

export interface LossPoint {
  step: number;
  trainLoss: number;
  /** measured every so many steps only */
  valLoss: number | null;
  /** learning rate at this step */
  lr: number;
  /** tokens seen so far */
  tokens: number;
}

/** A runs row and a run_points row as both stores read them (SQLite here, PostgreSQL in postgres/runs.ts). */
export interface RunRow {
  id: number;
  guild_id: string;
  status: RunStatus;
  started_at: number;
  finished_at: number | null;
  options_json: string;
  error: string | null;
}

export interface PointRow {
  step: number;
  train_loss: number;
  val_loss: number | null;
  lr: number;
  tokens: number;
}

export const RUN = "id, guild_id, status, started_at, finished_at, options_json, error";

export const toRun = (r: RunRow): TrainingRun => ({
  id: r.id,
  guildId: r.guild_id,
  status: r.status,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  options: JSON.parse(r.options_json) as unknown,
  error: r.error,
});

export function runRepository(db: Db, now: () => number) {
  const insert = db.prepare<[string, number, string]>(
    "INSERT INTO runs (guild_id, status, started_at, options_json) VALUES (?, 'running', ?, ?)",
  );
  const byId = db.prepare<[number], RunRow>(`SELECT ${RUN} FROM runs WHERE id = ?`);
  const latest = db.prepare<[string], RunRow>(`SELECT ${RUN} FROM runs WHERE guild_id = ? ORDER BY id DESC LIMIT 1`);
  const running = db.prepare<[string], RunRow>(
    `SELECT ${RUN} FROM runs WHERE guild_id = ? AND status = 'running' ORDER BY id DESC LIMIT 1`,
  );
  const list = db.prepare<[string, number], RunRow>(`SELECT ${RUN} FROM runs WHERE guild_id = ? ORDER BY id DESC LIMIT ?`);
  const addPoint = db.prepare<[number, number, number, number | null, number, number]>(
    "INSERT OR REPLACE INTO run_points (run_id, step, train_loss, val_loss, lr, tokens) VALUES (?, ?, ?, ?, ?, ?)",
  );
  const points = db.prepare<[number], PointRow>(
    "SELECT step, train_loss, val_loss, lr, tokens FROM run_points WHERE run_id = ? ORDER BY step",
  );
  const finish = db.prepare<[string, number, string | null, number]>(
    "UPDATE runs SET status = ?, finished_at = ?, error = ? WHERE id = ? AND status = 'running'",
  );
  const saveCheckpoint = db.prepare<[Uint8Array, number]>("UPDATE runs SET checkpoint = ? WHERE id = ?");
  const checkpointOf = db.prepare<[number], { checkpoint: Uint8Array | null }>("SELECT checkpoint FROM runs WHERE id = ?");
  const latestResumable = db.prepare<[string], RunRow>(
    `SELECT ${RUN} FROM runs WHERE guild_id = ? AND status IN ('interrupted', 'stopped', 'failed') AND checkpoint IS NOT NULL ORDER BY id DESC LIMIT 1`,
  );
  const interruptAll = db.prepare<[number]>("UPDATE runs SET status = 'interrupted', finished_at = ? WHERE status = 'running'");
  const interruptGuild = db.prepare<[number, string]>(
    "UPDATE runs SET status = 'interrupted', finished_at = ? WHERE status = 'running' AND guild_id = ?",
  );

  /** The run, checked to belong to the guild: one guild never reads another's run. */
  const owned = (guildId: string, runId: number): RunRow | undefined => {
    const row = byId.get(runId);
    return row && row.guild_id === guildId ? row : undefined;
  };
  const addPoints = db.transaction((runId: number, ps: readonly LossPoint[]) => {
    for (const p of ps) addPoint.run(runId, p.step, p.trainLoss, p.valLoss, p.lr, p.tokens);
  });
  const interruptGuilds = db.transaction((ids: readonly string[], at: number) =>
    ids.reduce((n, id) => n + interruptGuild.run(at, id).changes, 0),
  );

  return {
    /** Records a new running run. */
    start(guildId: string, options: unknown = {}): TrainingRun {
      const json = JSON.stringify(options);
      if (json === undefined) throw new Error(`run options of guild ${guildId} cannot be stored as JSON: ${String(options)}`);
      const id = Number(insert.run(guildId, now(), json).lastInsertRowid);
      return toRun(byId.get(id)!);
    },
    /** Adds (or replaces) the loss point of a step. */
    addPoint(runId: number, p: LossPoint): void {
      const row = byId.get(runId);
      if (!row) throw new Error(`training run ${runId} does not exist`);
      addPoint.run(runId, p.step, p.trainLoss, p.valLoss, p.lr, p.tokens);
    },
    /** Adds (or replaces) many points in one transaction. */
    addPoints(runId: number, ps: readonly LossPoint[]): void {
      if (!byId.get(runId)) throw new Error(`training run ${runId} does not exist`);
      addPoints(runId, ps);
    },
    /** Ends a running run. Throws if the run does not exist or is not running. */
    finish(runId: number, status: FinishedStatus, error: string | null = null): TrainingRun {
      if (!RUN_STATUSES.includes(status) || (status as RunStatus) === "running") {
        throw new Error(`a run finishes as one of ${RUN_STATUSES.slice(1).join(", ")}, got "${status}"`);
      }
      if (finish.run(status, now(), error, runId).changes === 0) {
        const row = byId.get(runId);
        throw new Error(row ? `training run ${runId} is already ${row.status}` : `training run ${runId} does not exist`);
      }
      return toRun(byId.get(runId)!);
    },
    /**
     * At startup: runs still "running" died with the previous process; marks them
     * "interrupted" (only those of `guildIds` when given: a shard owns only its guilds).
     * Returns how many.
     */
    markInterrupted(guildIds?: readonly string[]): number {
      return guildIds === undefined ? interruptAll.run(now()).changes : interruptGuilds(guildIds, now());
    },
    get(guildId: string, runId: number): TrainingRun | undefined {
      const row = owned(guildId, runId);
      return row && toRun(row);
    },
    latest(guildId: string): TrainingRun | undefined {
      const row = latest.get(guildId);
      return row && toRun(row);
    },
    running(guildId: string): TrainingRun | undefined {
      const row = running.get(guildId);
      return row && toRun(row);
    },
    /** Keeps a run's newest checkpoint (safetensors bytes), so an interrupted run can resume. */
    saveCheckpoint(runId: number, bytes: Uint8Array): void {
      saveCheckpoint.run(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), runId);
    },
    /** The run's newest checkpoint, if it has one (nothing for another guild's run). */
    checkpoint(guildId: string, runId: number): Uint8Array | undefined {
      if (!owned(guildId, runId)) return undefined;
      const bytes = checkpointOf.get(runId)?.checkpoint;
      return bytes ? new Uint8Array(bytes) : undefined;
    },
    /** The guild's newest run that ended early (interrupted, stopped, failed) with a checkpoint to resume. */
    latestResumable(guildId: string): TrainingRun | undefined {
      const row = latestResumable.get(guildId);
      return row && toRun(row);
    },
    /** The guild's runs, newest first. */
    list(guildId: string, limit = 20): TrainingRun[] {
      return list.all(guildId, limit).map(toRun);
    },
    /** The loss curve of one of the guild's runs, by step (empty for another guild's run). */
    points(guildId: string, runId: number): LossPoint[] {
      if (!owned(guildId, runId)) return [];
      return points.all(runId).map((r) => ({ step: r.step, trainLoss: r.train_loss, valLoss: r.val_loss, lr: r.lr, tokens: r.tokens }));
    },
  };
}
