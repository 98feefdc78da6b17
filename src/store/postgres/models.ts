/** Trained models and each space's choice in PostgreSQL: the same methods as ../models.ts, as Promises. */
import type pg from "pg";
import type { AsyncStore } from "../async-store.ts";
import { type ChoiceRow, type InfoRow, type ModelChoice, type ModelInfo, type NewModel, type StoredModel, toInfo } from "../models.ts";
import { pgText, type Sql, transaction } from "./database.ts";

// octet_length is an INTEGER: cast so every number column comes back through the same parser
const INFO = "id, guild_id, config_json, step, val_loss, train_loss, run_id, created_at, octet_length(checkpoint)::bigint AS size, name";

/** Bytes as the Buffer pg sends as BYTEA (a view, no copy). */
export const toBuffer = (bytes: Uint8Array): Buffer => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
/** BYTEA as a plain Uint8Array, as the SQLite store returns it. */
export const fromBuffer = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);

async function info(sql: Sql, guildId: string, id: number): Promise<ModelInfo | undefined> {
  const { rows } = await sql.query<InfoRow>(`SELECT ${INFO} FROM models WHERE guild_id = $1 AND id = $2`, [guildId, id]);
  return rows[0] && toInfo(rows[0]);
}

async function addOne(sql: Sql, m: NewModel, now: number): Promise<ModelInfo> {
  if (!Number.isSafeInteger(m.step) || m.step < 0) throw new Error(`model step must be a whole number ≥ 0, got ${m.step}`);
  const { rows } = await sql.query<{ id: number }>(
    `INSERT INTO models (guild_id, checkpoint, config_json, step, val_loss, train_loss, run_id, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
    [m.guildId, toBuffer(m.checkpoint), JSON.stringify(m.config), m.step, m.valLoss ?? null, m.trainLoss ?? null, m.runId ?? null, now],
  );
  return (await info(sql, m.guildId, rows[0].id))!;
}

async function chooseOne(sql: Sql, guildId: string, choice: ModelChoice | null, now: number): Promise<void> {
  if (choice === null) {
    await sql.query("DELETE FROM model_choices WHERE guild_id = $1", [guildId]);
    return;
  }
  if (choice.kind === "stored" && !(await info(sql, guildId, choice.modelId)))
    throw new Error(`guild ${guildId} has no stored model #${choice.modelId} to choose`);
  await sql.query(
    `INSERT INTO model_choices (guild_id, kind, model_id, imported, chosen_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (guild_id) DO UPDATE SET kind = excluded.kind, model_id = excluded.model_id, imported = excluded.imported, chosen_at = excluded.chosen_at`,
    [guildId, choice.kind, choice.kind === "stored" ? choice.modelId : null, choice.kind === "imported" ? choice.name : null, now],
  );
}

export function pgModelRepository(pool: pg.Pool, now: () => number): AsyncStore["models"] {
  const latestId = async (guildId: string): Promise<number | undefined> =>
    (await pool.query<{ id: number }>("SELECT id FROM models WHERE guild_id = $1 ORDER BY id DESC LIMIT 1", [guildId])).rows[0]?.id;
  const get = async (guildId: string, id: number): Promise<StoredModel | undefined> => {
    const { rows } = await pool.query<InfoRow & { checkpoint: Buffer }>(
      `SELECT ${INFO}, checkpoint FROM models WHERE guild_id = $1 AND id = $2`,
      [guildId, id],
    );
    if (!rows[0]) return undefined;
    return { ...toInfo(rows[0]), checkpoint: fromBuffer(rows[0].checkpoint) };
  };
  return {
    add(m, choice) {
      if (choice === undefined) return addOne(pool, m, now());
      return transaction(pool, async (sql) => {
        const added = await addOne(sql, m, now());
        await chooseOne(sql, m.guildId, choice === "added" ? { kind: "stored", modelId: added.id } : choice, now());
        return added;
      });
    },
    latestId,
    async latestInfo(guildId) {
      const id = await latestId(guildId);
      return id === undefined ? undefined : info(pool, guildId, id);
    },
    async latest(guildId) {
      const id = await latestId(guildId);
      return id === undefined ? undefined : get(guildId, id);
    },
    get,
    async list(guildId) {
      const { rows } = await pool.query<InfoRow>(`SELECT ${INFO} FROM models WHERE guild_id = $1 ORDER BY id DESC`, [guildId]);
      return rows.map(toInfo);
    },
    async prune(guildId, keep) {
      if (!Number.isInteger(keep) || keep < 0) throw new Error(`keep must be a whole number ≥ 0, got ${keep}`);
      // the chosen model is never pruned (it may be older than the newest few)
      const result = await pool.query(
        `DELETE FROM models WHERE guild_id = $1 AND id NOT IN (SELECT id FROM models WHERE guild_id = $1 ORDER BY id DESC LIMIT $2)
           AND id NOT IN (SELECT model_id FROM model_choices WHERE guild_id = $1 AND model_id IS NOT NULL)`,
        [guildId, keep],
      );
      return result.rowCount ?? 0;
    },
    async rename(guildId, id, name) {
      return (
        ((await pool.query("UPDATE models SET name = $1 WHERE guild_id = $2 AND id = $3", [pgText(name), guildId, id])).rowCount ?? 0) > 0
      );
    },
    async remove(guildId, id) {
      return ((await pool.query("DELETE FROM models WHERE guild_id = $1 AND id = $2", [guildId, id])).rowCount ?? 0) > 0;
    },
    async chosen(guildId) {
      const { rows } = await pool.query<ChoiceRow>("SELECT kind, model_id, imported FROM model_choices WHERE guild_id = $1", [guildId]);
      const row = rows[0];
      if (!row) return undefined;
      if (row.kind === "stored") return { kind: "stored", modelId: row.model_id! };
      if (row.kind === "imported") return { kind: "imported", name: row.imported! };
      return { kind: "shipped" };
    },
    choose: (guildId, choice) => chooseOne(pool, guildId, choice, now()),
  };
}
