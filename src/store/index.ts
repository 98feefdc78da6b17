/**
 * The bot's storage: one SQLite file (WAL, versioned migrations). Every call takes the guild
 * id, so a guild's data never mixes with another's.
 *
 *   const store = openStore("data/bot.db");
 *   store.messages.add({ id, guildId, channelId, authorId, text, createdAt });
 *   const run = store.runs.start(guildId, options);
 *   store.runs.addPoint(run.id, { step, trainLoss, valLoss, lr, tokens });
 *   store.runs.finish(run.id, "done");
 *   store.models.add({ guildId, checkpoint, config, step, valLoss, runId: run.id });
 *   store.models.latest(guildId);
 */
import { type Db, openDatabase, schemaVersion } from "./database.ts";
import { guildRepository, settingsRepository } from "./guilds.ts";
import { messageRepository } from "./messages.ts";
import { modelRepository } from "./models.ts";
import { runRepository } from "./runs.ts";
import { neuronIndexRepository } from "./neuron-indexes.ts";

export type { GuildRecord } from "./guilds.ts";
export type { RecentOptions, StoredMessage } from "./messages.ts";
export type { ModelChoice, ModelInfo, NewModel, StoredModel } from "./models.ts";
export type { FinishedStatus, LossPoint, RunStatus, TrainingRun } from "./runs.ts";
export { RUN_STATUSES } from "./runs.ts";
export { BUSY_TIMEOUT_MS } from "./database.ts";

export interface StoreOptions {
  /** the clock (ms since the epoch); tests pass their own */
  now?: () => number;
}

export function openStore(path: string, options: StoreOptions = {}) {
  const now = options.now ?? Date.now;
  const db = openDatabase(path);
  return createStore(db, path, now);
}

function createStore(db: Db, path: string, now: () => number) {
  const deleteGuildData = db.transaction((guildId: string) => {
    let rows = 0;
    for (const table of ["messages", "neuron_indexes", "model_choices", "models", "runs", "settings"]) {
      rows += db.prepare(`DELETE FROM ${table} WHERE guild_id = ?`).run(guildId).changes;
    }
    rows += db.prepare("DELETE FROM guilds WHERE id = ?").run(guildId).changes;
    return rows;
  });
  return {
    path,
    guilds: guildRepository(db, now),
    settings: settingsRepository(db),
    messages: messageRepository(db),
    models: modelRepository(db, now),
    runs: runRepository(db, now),
    neuronIndexes: neuronIndexRepository(db, now),
    /** The schema version (number of migrations applied). */
    version(): number {
      return schemaVersion(db);
    },
    /** Deletes everything stored for a guild (messages, neuron indexes, models with their names and the model chosen, runs with their points, settings); returns the rows deleted (points not counted). */
    forgetGuild(guildId: string): number {
      return deleteGuildData(guildId);
    },
    close(): void {
      if (db.open) db.close();
    },
  };
}

export type Store = ReturnType<typeof openStore>;
