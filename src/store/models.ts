/**
 * Trained models per guild: the checkpoint's bytes (a .safetensors file, a few MB) in a BLOB,
 * so a model and its row are written in one transaction and never half-saved.
 */
import type { GPTConfig } from "../model/config.ts";
import type { Db } from "./database.ts";

export interface ModelInfo {
  id: number;
  guildId: string;
  config: GPTConfig;
  /** optimizer steps the model was trained for */
  step: number;
  valLoss: number | null;
  trainLoss: number | null;
  /** the training run that made it, if any */
  runId: number | null;
  createdAt: number;
  /** size of the checkpoint in bytes */
  size: number;
  /** the name a user gave it (null: none) */
  name: string | null;
}

/**
 * The model a space has chosen (a space without one uses its latest stored model, else the
 * shipped one): the shipped model, one of its own stored models, or an imported model by its
 * name in the host's models folder.
 */
export type ModelChoice = { kind: "shipped" } | { kind: "stored"; modelId: number } | { kind: "imported"; name: string };

export interface StoredModel extends ModelInfo {
  checkpoint: Uint8Array;
}

export interface NewModel {
  guildId: string;
  checkpoint: Uint8Array;
  config: GPTConfig;
  step: number;
  valLoss?: number | null;
  trainLoss?: number | null;
  runId?: number | null;
}

/** A models row as both stores read it (SQLite here, PostgreSQL in postgres/models.ts). */
export interface InfoRow {
  id: number;
  guild_id: string;
  config_json: string;
  step: number;
  val_loss: number | null;
  train_loss: number | null;
  run_id: number | null;
  created_at: number;
  size: number;
  name: string | null;
}

export interface ChoiceRow {
  kind: "shipped" | "stored" | "imported";
  model_id: number | null;
  imported: string | null;
}

export const toInfo = (r: InfoRow): ModelInfo => ({
  id: r.id,
  guildId: r.guild_id,
  config: JSON.parse(r.config_json) as GPTConfig,
  step: r.step,
  valLoss: r.val_loss,
  trainLoss: r.train_loss,
  runId: r.run_id,
  createdAt: r.created_at,
  size: r.size,
  name: r.name,
});

const INFO = "id, guild_id, config_json, step, val_loss, train_loss, run_id, created_at, length(checkpoint) AS size, name";

export function modelRepository(db: Db, now: () => number) {
  const insert = db.prepare<[string, Uint8Array, string, number, number | null, number | null, number | null, number]>(
    "INSERT INTO models (guild_id, checkpoint, config_json, step, val_loss, train_loss, run_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
  );
  const byId = db.prepare<[string, number], InfoRow>(`SELECT ${INFO} FROM models WHERE guild_id = ? AND id = ?`);
  const latestId = db.prepare<[string], { id: number }>("SELECT id FROM models WHERE guild_id = ? ORDER BY id DESC LIMIT 1");
  const bytes = db.prepare<[string, number], { checkpoint: Buffer }>("SELECT checkpoint FROM models WHERE guild_id = ? AND id = ?");
  const list = db.prepare<[string], InfoRow>(`SELECT ${INFO} FROM models WHERE guild_id = ? ORDER BY id DESC`);
  // the chosen model is never pruned (it may be older than the newest few)
  const prune = db.prepare<[string, string, number, string]>(
    `DELETE FROM models WHERE guild_id = ? AND id NOT IN (SELECT id FROM models WHERE guild_id = ? ORDER BY id DESC LIMIT ?)
       AND id NOT IN (SELECT model_id FROM model_choices WHERE guild_id = ? AND model_id IS NOT NULL)`,
  );
  const rename = db.prepare<[string | null, string, number]>("UPDATE models SET name = ? WHERE guild_id = ? AND id = ?");
  const remove = db.prepare<[string, number]>("DELETE FROM models WHERE guild_id = ? AND id = ?");
  const chosen = db.prepare<[string], ChoiceRow>("SELECT kind, model_id, imported FROM model_choices WHERE guild_id = ?");
  const choose = db.prepare<[string, string, number | null, string | null, number]>(
    `INSERT INTO model_choices (guild_id, kind, model_id, imported, chosen_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (guild_id) DO UPDATE SET kind = excluded.kind, model_id = excluded.model_id, imported = excluded.imported, chosen_at = excluded.chosen_at`,
  );
  const unchoose = db.prepare<[string]>("DELETE FROM model_choices WHERE guild_id = ?");
  const info = (guildId: string, id: number): ModelInfo | undefined => {
    const row = byId.get(guildId, id);
    return row && toInfo(row);
  };

  const addOne = (m: NewModel): ModelInfo => {
    if (!Number.isSafeInteger(m.step) || m.step < 0) throw new Error(`model step must be a whole number ≥ 0, got ${m.step}`);
    const result = insert.run(
      m.guildId,
      m.checkpoint,
      JSON.stringify(m.config),
      m.step,
      m.valLoss ?? null,
      m.trainLoss ?? null,
      m.runId ?? null,
      now(),
    );
    return info(m.guildId, Number(result.lastInsertRowid))!;
  };

  const chooseOne = (guildId: string, choice: ModelChoice | null): void => {
    if (choice === null) {
      unchoose.run(guildId);
      return;
    }
    if (choice.kind === "stored" && !info(guildId, choice.modelId))
      throw new Error(`guild ${guildId} has no stored model #${choice.modelId} to choose`);
    choose.run(
      guildId,
      choice.kind,
      choice.kind === "stored" ? choice.modelId : null,
      choice.kind === "imported" ? choice.name : null,
      now(),
    );
  };

  return {
    /**
     * Stores a new model for a guild (it becomes the guild's latest) and, in the same
     * transaction, records the guild's choice when one is given: "added" for the new model
     * itself, null to forget the choice (the new model answers as the latest).
     */
    add(m: NewModel, choice?: ModelChoice | "added" | null): ModelInfo {
      if (choice === undefined) return addOne(m);
      return db.transaction(() => {
        const added = addOne(m);
        chooseOne(m.guildId, choice === "added" ? { kind: "stored", modelId: added.id } : choice);
        return added;
      })();
    },
    /** The id of the guild's latest model (cheap: no bytes read). */
    latestId(guildId: string): number | undefined {
      return latestId.get(guildId)?.id;
    },
    latestInfo(guildId: string): ModelInfo | undefined {
      const id = latestId.get(guildId)?.id;
      return id === undefined ? undefined : info(guildId, id);
    },
    /** The guild's latest model with its checkpoint bytes. */
    latest(guildId: string): StoredModel | undefined {
      const id = latestId.get(guildId)?.id;
      return id === undefined ? undefined : this.get(guildId, id);
    },
    get(guildId: string, id: number): StoredModel | undefined {
      const meta = info(guildId, id);
      if (!meta) return undefined;
      const row = bytes.get(guildId, id)!;
      return { ...meta, checkpoint: new Uint8Array(row.checkpoint.buffer, row.checkpoint.byteOffset, row.checkpoint.byteLength) };
    },
    /** The guild's models, newest first, without their bytes. */
    list(guildId: string): ModelInfo[] {
      return list.all(guildId).map(toInfo);
    },
    /** Keeps the guild's `keep` newest models; returns how many were deleted. */
    prune(guildId: string, keep: number): number {
      if (!Number.isInteger(keep) || keep < 0) throw new Error(`keep must be a whole number ≥ 0, got ${keep}`);
      return prune.run(guildId, guildId, keep, guildId).changes;
    },
    /** Gives a stored model a name (null: takes it away); false when the guild has no such model. */
    rename(guildId: string, id: number, name: string | null): boolean {
      return rename.run(name, guildId, id).changes > 0;
    },
    /** Deletes one stored model (a choice of it goes with it); false when the guild has no such model. */
    remove(guildId: string, id: number): boolean {
      return remove.run(guildId, id).changes > 0;
    },
    /** The model the space has chosen; undefined: none (its latest stored model, else the shipped one). */
    chosen(guildId: string): ModelChoice | undefined {
      const row = chosen.get(guildId);
      if (!row) return undefined;
      if (row.kind === "stored") return { kind: "stored", modelId: row.model_id! };
      if (row.kind === "imported") return { kind: "imported", name: row.imported! };
      return { kind: "shipped" };
    },
    /**
     * Records the space's choice (null: forget it, back to the latest stored model). A stored
     * model must be one of the space's own: another guild's id is refused by the foreign key.
     */
    choose(guildId: string, choice: ModelChoice | null): void {
      chooseOne(guildId, choice);
    },
  };
}
