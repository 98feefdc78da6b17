/**
 * The neuron index of each model a space uses (src/app/neuron-index.ts builds it): its state as
 * JSON, how many documents it has read, and whether it has read them all. The state holds refs
 * to the texts, never the texts; a stored model's index is deleted with the model.
 */
import type { Db } from "./database.ts";

export interface StoredNeuronIndex {
  guildId: string;
  modelKey: string;
  /** the stored model it belongs to (null: the shipped model) */
  modelId: number | null;
  stateJson: string;
  documents: number;
  finished: boolean;
  updatedAt: number;
}

/** A neuron_indexes row as both stores read it (SQLite here, PostgreSQL in postgres/neuron-indexes.ts). */
export interface NeuronIndexRow {
  guild_id: string;
  model_key: string;
  model_id: number | null;
  state_json: string;
  documents: number;
  finished: number;
  updated_at: number;
}

export const toNeuronIndex = (r: NeuronIndexRow): StoredNeuronIndex => ({
  guildId: r.guild_id,
  modelKey: r.model_key,
  modelId: r.model_id,
  stateJson: r.state_json,
  documents: r.documents,
  finished: r.finished === 1,
  updatedAt: r.updated_at,
});

export function neuronIndexRepository(db: Db, now: () => number) {
  const get = db.prepare<[string, string], NeuronIndexRow>("SELECT * FROM neuron_indexes WHERE guild_id = ? AND model_key = ?");
  const put = db.prepare<[string, string, number | null, string, number, number, number]>(
    `INSERT INTO neuron_indexes (guild_id, model_key, model_id, state_json, documents, finished, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (guild_id, model_key) DO UPDATE SET
       model_id = excluded.model_id, state_json = excluded.state_json, documents = excluded.documents,
       finished = excluded.finished, updated_at = excluded.updated_at`,
  );
  const remove = db.prepare<[string, string]>("DELETE FROM neuron_indexes WHERE guild_id = ? AND model_key = ?");
  return {
    get(guildId: string, modelKey: string): StoredNeuronIndex | undefined {
      const r = get.get(guildId, modelKey);
      return r && toNeuronIndex(r);
    },
    /** Writes (or replaces) a space's index of a model. */
    put(index: Omit<StoredNeuronIndex, "updatedAt">): void {
      put.run(index.guildId, index.modelKey, index.modelId, index.stateJson, index.documents, index.finished ? 1 : 0, now());
    },
    delete(guildId: string, modelKey: string): boolean {
      return remove.run(guildId, modelKey).changes > 0;
    },
  };
}
