/**
 * The database schema as an ordered list of migrations. The database's `PRAGMA user_version`
 * is the number of migrations applied; opening a database applies the missing ones in order,
 * each in its own transaction. Never edit a migration that has shipped: append a new one.
 *
 * Times are milliseconds since the Unix epoch (INTEGER). Every table holding a guild's data
 * has a `guild_id` column, and every query of the store filters on it.
 */
export interface Migration {
  /** what it does, for error messages */
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    name: "1: guilds, settings, messages, models, training runs and their loss points",
    sql: `
      CREATE TABLE guilds (
        id         TEXT PRIMARY KEY,
        name       TEXT NOT NULL DEFAULT '',
        joined_at  INTEGER NOT NULL
      );

      CREATE TABLE settings (
        guild_id   TEXT NOT NULL,
        key        TEXT NOT NULL,
        value_json TEXT NOT NULL,
        PRIMARY KEY (guild_id, key)
      );

      CREATE TABLE messages (
        guild_id   TEXT NOT NULL,
        id         TEXT NOT NULL,
        channel_id TEXT NOT NULL,
        author_id  TEXT NOT NULL,
        text       TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (guild_id, id)
      );
      CREATE INDEX messages_by_time ON messages (guild_id, created_at, id);
      CREATE INDEX messages_by_channel ON messages (guild_id, channel_id, created_at);

      CREATE TABLE runs (
        id           INTEGER PRIMARY KEY AUTOINCREMENT,
        guild_id     TEXT NOT NULL,
        status       TEXT NOT NULL CHECK (status IN ('running', 'done', 'stopped', 'failed', 'interrupted')),
        started_at   INTEGER NOT NULL,
        finished_at  INTEGER,
        options_json TEXT NOT NULL,
        error        TEXT
      );
      CREATE INDEX runs_by_guild ON runs (guild_id, id);
      CREATE INDEX runs_by_status ON runs (status);

      CREATE TABLE run_points (
        run_id     INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        step       INTEGER NOT NULL,
        train_loss REAL NOT NULL,
        val_loss   REAL,
        lr         REAL NOT NULL,
        tokens     INTEGER NOT NULL,
        PRIMARY KEY (run_id, step)
      );

      CREATE TABLE models (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        guild_id    TEXT NOT NULL,
        checkpoint  BLOB NOT NULL,
        config_json TEXT NOT NULL,
        step        INTEGER NOT NULL,
        val_loss    REAL,
        train_loss  REAL,
        run_id      INTEGER REFERENCES runs (id) ON DELETE SET NULL,
        created_at  INTEGER NOT NULL
      );
      CREATE INDEX models_by_guild ON models (guild_id, id);
    `,
  },
  {
    name: "2: the last checkpoint of each training run, to resume an interrupted one",
    sql: `ALTER TABLE runs ADD COLUMN checkpoint BLOB;`,
  },
  {
    // every insert, edit and delete of a guild's messages (from any process sharing the file)
    // moves its revision on, so an index built from the messages knows when it is stale
    name: "3: a revision number of each guild's stored messages",
    sql: `
      CREATE TABLE message_revisions (
        guild_id TEXT PRIMARY KEY,
        revision INTEGER NOT NULL
      );
      CREATE TRIGGER messages_revision_insert AFTER INSERT ON messages BEGIN
        INSERT INTO message_revisions (guild_id, revision) VALUES (NEW.guild_id, 1)
          ON CONFLICT (guild_id) DO UPDATE SET revision = revision + 1;
      END;
      CREATE TRIGGER messages_revision_update AFTER UPDATE ON messages BEGIN
        INSERT INTO message_revisions (guild_id, revision) VALUES (NEW.guild_id, 1)
          ON CONFLICT (guild_id) DO UPDATE SET revision = revision + 1;
      END;
      CREATE TRIGGER messages_revision_delete AFTER DELETE ON messages BEGIN
        INSERT INTO message_revisions (guild_id, revision) VALUES (OLD.guild_id, 1)
          ON CONFLICT (guild_id) DO UPDATE SET revision = revision + 1;
      END;
    `,
  },
  {
    // a space (a guild id, or "local" for the playground) without a row uses its latest trained
    // model, else the shipped one; the composite key keeps a choice inside its own space, and
    // deleting the chosen stored model deletes the choice with it (the space falls back)
    name: "4: the model each space has chosen, and a user-given name per stored model",
    sql: `
      ALTER TABLE models ADD COLUMN name TEXT;
      CREATE UNIQUE INDEX models_by_guild_and_id ON models (guild_id, id);
      CREATE TABLE model_choices (
        guild_id   TEXT PRIMARY KEY,
        kind       TEXT NOT NULL CHECK (kind IN ('shipped', 'stored', 'imported')),
        model_id   INTEGER,
        imported   TEXT,
        chosen_at  INTEGER NOT NULL,
        CHECK ((kind = 'stored') = (model_id IS NOT NULL)),
        CHECK ((kind = 'imported') = (imported IS NOT NULL)),
        FOREIGN KEY (guild_id, model_id) REFERENCES models (guild_id, id) ON DELETE CASCADE
      );
    `,
  },
  {
    // per space and model, the index /neurons reads (src/app/neuron-index.ts): for every MLP neuron
    // the training texts that excite it most, as refs to the texts (never the texts themselves),
    // built a batch at a time; a stored model's index goes when the model goes
    name: "5: the neuron index of each model a space uses",
    sql: `
      CREATE TABLE neuron_indexes (
        guild_id     TEXT NOT NULL,
        model_key    TEXT NOT NULL,
        model_id     INTEGER,
        state_json   TEXT NOT NULL,
        documents    INTEGER NOT NULL,
        finished     INTEGER NOT NULL CHECK (finished IN (0, 1)),
        updated_at   INTEGER NOT NULL,
        PRIMARY KEY (guild_id, model_key),
        FOREIGN KEY (guild_id, model_id) REFERENCES models (guild_id, id) ON DELETE CASCADE
      );
    `,
  },
];
