/** Each space's neuron index of a model in PostgreSQL: the same methods as ../neuron-indexes.ts, as Promises. */
import type pg from "pg";
import type { AsyncStore } from "../async-store.ts";
import { type NeuronIndexRow, toNeuronIndex } from "../neuron-indexes.ts";

export function pgNeuronIndexRepository(pool: pg.Pool, now: () => number): AsyncStore["neuronIndexes"] {
  return {
    async get(guildId, modelKey) {
      const { rows } = await pool.query<NeuronIndexRow>("SELECT * FROM neuron_indexes WHERE guild_id = $1 AND model_key = $2", [
        guildId,
        modelKey,
      ]);
      return rows[0] && toNeuronIndex(rows[0]);
    },
    async put(index) {
      await pool.query(
        `INSERT INTO neuron_indexes (guild_id, model_key, model_id, state_json, documents, finished, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (guild_id, model_key) DO UPDATE SET
           model_id = excluded.model_id, state_json = excluded.state_json, documents = excluded.documents,
           finished = excluded.finished, updated_at = excluded.updated_at`,
        [index.guildId, index.modelKey, index.modelId, index.stateJson, index.documents, index.finished ? 1 : 0, now()],
      );
    },
    async delete(guildId, modelKey) {
      return (
        ((await pool.query("DELETE FROM neuron_indexes WHERE guild_id = $1 AND model_key = $2", [guildId, modelKey])).rowCount ?? 0) > 0
      );
    },
  };
}
