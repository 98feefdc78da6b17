/** Training runs and their loss points in PostgreSQL: the same methods as ../runs.ts, as Promises. */
import type pg from "pg";
import type { AsyncStore } from "../async-store.ts";
import { type FinishedStatus, type LossPoint, type PointRow, RUN, RUN_STATUSES, type RunRow, type RunStatus, toRun } from "../runs.ts";
import { pgText, type Sql, transaction } from "./database.ts";
import { fromBuffer, toBuffer } from "./models.ts";

async function addPoint(sql: Sql, runId: number, p: LossPoint): Promise<void> {
  await sql.query(
    `INSERT INTO run_points (run_id, step, train_loss, val_loss, lr, tokens) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (run_id, step) DO UPDATE SET train_loss = excluded.train_loss, val_loss = excluded.val_loss, lr = excluded.lr, tokens = excluded.tokens`,
    [runId, p.step, p.trainLoss, p.valLoss, p.lr, p.tokens],
  );
}

export function pgRunRepository(pool: pg.Pool, now: () => number): AsyncStore["runs"] {
  const one = async (where: string, values: unknown[]): Promise<RunRow | undefined> =>
    (await pool.query<RunRow>(`SELECT ${RUN} FROM runs WHERE ${where}`, values)).rows[0];
  const byId = (runId: number) => one("id = $1", [runId]);
  /** The run, checked to belong to the guild: one guild never reads another's run. */
  const owned = async (guildId: string, runId: number) => {
    const row = await byId(runId);
    return row && row.guild_id === guildId ? row : undefined;
  };
  const mustExist = async (runId: number) => {
    if (!(await byId(runId))) throw new Error(`training run ${runId} does not exist`);
  };
  return {
    async start(guildId, options = {}) {
      const json = JSON.stringify(options);
      if (json === undefined) throw new Error(`run options of guild ${guildId} cannot be stored as JSON: ${String(options)}`);
      const { rows } = await pool.query<RunRow>(
        `INSERT INTO runs (guild_id, status, started_at, options_json) VALUES ($1, 'running', $2, $3) RETURNING ${RUN}`,
        [guildId, now(), json],
      );
      return toRun(rows[0]);
    },
    async addPoint(runId, p) {
      await mustExist(runId);
      await addPoint(pool, runId, p);
    },
    async addPoints(runId, ps) {
      await mustExist(runId);
      await transaction(pool, async (sql) => {
        for (const p of ps) await addPoint(sql, runId, p);
      });
    },
    async finish(runId, status: FinishedStatus, error = null) {
      if (!RUN_STATUSES.includes(status) || (status as RunStatus) === "running") {
        throw new Error(`a run finishes as one of ${RUN_STATUSES.slice(1).join(", ")}, got "${status}"`);
      }
      const { rows } = await pool.query<RunRow>(
        `UPDATE runs SET status = $1, finished_at = $2, error = $3 WHERE id = $4 AND status = 'running' RETURNING ${RUN}`,
        [status, now(), pgText(error), runId],
      );
      if (rows.length === 0) {
        const row = await byId(runId);
        throw new Error(row ? `training run ${runId} is already ${row.status}` : `training run ${runId} does not exist`);
      }
      return toRun(rows[0]);
    },
    async markInterrupted(guildIds) {
      const at = now();
      if (guildIds === undefined) {
        return (await pool.query("UPDATE runs SET status = 'interrupted', finished_at = $1 WHERE status = 'running'", [at])).rowCount ?? 0;
      }
      const result = await pool.query(
        "UPDATE runs SET status = 'interrupted', finished_at = $1 WHERE status = 'running' AND guild_id = ANY($2::text[])",
        [at, [...guildIds]],
      );
      return result.rowCount ?? 0;
    },
    async get(guildId, runId) {
      const row = await owned(guildId, runId);
      return row && toRun(row);
    },
    async latest(guildId) {
      const row = await one("guild_id = $1 ORDER BY id DESC LIMIT 1", [guildId]);
      return row && toRun(row);
    },
    async running(guildId) {
      const row = await one("guild_id = $1 AND status = 'running' ORDER BY id DESC LIMIT 1", [guildId]);
      return row && toRun(row);
    },
    async saveCheckpoint(runId, bytes) {
      await pool.query("UPDATE runs SET checkpoint = $1 WHERE id = $2", [toBuffer(bytes), runId]);
    },
    async checkpoint(guildId, runId) {
      if (!(await owned(guildId, runId))) return undefined;
      const { rows } = await pool.query<{ checkpoint: Buffer | null }>("SELECT checkpoint FROM runs WHERE id = $1", [runId]);
      const bytes = rows[0]?.checkpoint;
      return bytes ? new Uint8Array(fromBuffer(bytes)) : undefined;
    },
    async latestResumable(guildId) {
      const row = await one(
        "guild_id = $1 AND status IN ('interrupted', 'stopped', 'failed') AND checkpoint IS NOT NULL ORDER BY id DESC LIMIT 1",
        [guildId],
      );
      return row && toRun(row);
    },
    async list(guildId, limit = 20) {
      const { rows } = await pool.query<RunRow>(`SELECT ${RUN} FROM runs WHERE guild_id = $1 ORDER BY id DESC LIMIT $2`, [guildId, limit]);
      return rows.map(toRun);
    },
    async points(guildId, runId) {
      if (!(await owned(guildId, runId))) return [];
      const { rows } = await pool.query<PointRow>(
        "SELECT step, train_loss, val_loss, lr, tokens FROM run_points WHERE run_id = $1 ORDER BY step",
        [runId],
      );
      return rows.map((r) => ({ step: r.step, trainLoss: r.train_loss, valLoss: r.val_loss, lr: r.lr, tokens: r.tokens }));
    },
  };
}
