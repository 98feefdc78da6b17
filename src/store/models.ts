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
}

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

interface InfoRow {
  id: number;
  guild_id: string;
  config_json: string;
  step: number;
  val_loss: number | null;
  train_loss: number | null;
  run_id: number | null;
  created_at: number;
  size: number;
}

const INFO = "id, guild_id, config_json, step, val_loss, train_loss, run_id, created_at, length(checkpoint) AS size";

export function modelRepository(db: Db, now: () => number) {
  const insert = db.prepare<[string, Uint8Array, string, number, number | null, number | null, number | null, number]>(
    "INSERT INTO models (guild_id, checkpoint, config_json, step, val_loss, train_loss, run_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
  );
  const byId = db.prepare<[string, number], InfoRow>(`SELECT ${INFO} FROM models WHERE guild_id = ? AND id = ?`);
  const latestId = db.prepare<[string], { id: number }>("SELECT id FROM models WHERE guild_id = ? ORDER BY id DESC LIMIT 1");
  const bytes = db.prepare<[string, number], { checkpoint: Buffer }>("SELECT checkpoint FROM models WHERE guild_id = ? AND id = ?");
  const list = db.prepare<[string], InfoRow>(`SELECT ${INFO} FROM models WHERE guild_id = ? ORDER BY id DESC`);
  const prune = db.prepare<[string, string, number]>(
    "DELETE FROM models WHERE guild_id = ? AND id NOT IN (SELECT id FROM models WHERE guild_id = ? ORDER BY id DESC LIMIT ?)",
  );
  const toInfo = (r: InfoRow): ModelInfo => ({
    id: r.id,
    guildId: r.guild_id,
    config: JSON.parse(r.config_json) as GPTConfig,
    step: r.step,
    valLoss: r.val_loss,
    trainLoss: r.train_loss,
    runId: r.run_id,
    createdAt: r.created_at,
    size: r.size,
  });
  const info = (guildId: string, id: number): ModelInfo | undefined => {
    const row = byId.get(guildId, id);
    return row && toInfo(row);
  };

  return {
    /** Stores a new model for a guild; it becomes the guild's latest. */
    add(m: NewModel): ModelInfo {
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
      return prune.run(guildId, guildId, keep).changes;
    },
  };
}
