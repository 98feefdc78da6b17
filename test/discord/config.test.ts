import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, configToEnv, loadConfig, parseEnvFile, readConfig } from "../../src/config.ts";

const TOKEN = "MTIzNDU2Nzg5MDEyMzQ1Njc4OQ.GabcDE.abcdefghijklmnopqrstuvwxyz0123456789AB";
const APP = "123456789012345678";
const valid = { DISCORD_TOKEN: TOKEN, DISCORD_APPLICATION_ID: APP };

function problemsOf(env: Record<string, string | undefined>): string[] {
  try {
    readConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe("readConfig", () => {
  it("takes a postgres:// DATABASE_URL as the store, and hands it on to shard processes", () => {
    const config = readConfig({ ...valid, DATABASE_URL: " postgres://bot:secret@db:5432/bot " });
    expect(config.databaseUrl).toBe("postgres://bot:secret@db:5432/bot");
    expect(configToEnv(config).DATABASE_URL).toBe("postgres://bot:secret@db:5432/bot");
    expect(readConfig({ ...valid, DATABASE_URL: "postgresql:///bot?host=/var/run/postgresql" }).databaseUrl).toBe(
      "postgresql:///bot?host=/var/run/postgresql",
    );
    // unset or blank: the SQLite file
    expect(readConfig({ ...valid, DATABASE_URL: "  " }).databaseUrl).toBeUndefined();
    expect(configToEnv(readConfig(valid)).DATABASE_URL).toBeUndefined();
  });

  it("refuses a DATABASE_URL that is not a PostgreSQL URL, saying what is expected and hiding its password", () => {
    expect(problemsOf({ ...valid, DATABASE_URL: "mysql://bot:secret@db/bot" })).toEqual([
      'DATABASE_URL must start with postgres:// or postgresql://, got "mysql://bot:***@db/bot"',
    ]);
    expect(problemsOf({ ...valid, DATABASE_URL: "data/bot.db" })).toEqual([
      'DATABASE_URL must start with postgres:// or postgresql://, got "data/bot.db"',
    ]);
    expect(problemsOf({ ...valid, DATABASE_URL: "postgres://bot:secret@/bot" })).toEqual([
      'DATABASE_URL is not a URL: "postgres://bot:***@/bot" (expected postgres://user:password@host:5432/database)',
    ]);
    expect(problemsOf({ ...valid, DATABASE_URL: "postgres://bot:secret@db:port/bot" })).toEqual([
      'DATABASE_URL is not a URL: "postgres://bot:***@db:port/bot" (expected postgres://user:password@host:5432/database)',
    ]);
  });

  it("fills in the defaults", () => {
    expect(readConfig(valid)).toEqual({ token: TOKEN, applicationId: APP, apiUrl: "https://discord.com/api", databasePath: "data/bot.db" });
  });

  it("reads every optional variable", () => {
    const config = readConfig({
      ...valid,
      DISCORD_GUILD_ID: "987654321098765432",
      DISCORD_API_URL: "http://127.0.0.1:9999/api/",
      DATABASE_PATH: "/tmp/x.db",
      SHARDS: "auto",
      DEFAULT_MODEL_PATH: "m.safetensors",
    });
    expect(config).toEqual({
      token: TOKEN,
      applicationId: APP,
      guildId: "987654321098765432",
      apiUrl: "http://127.0.0.1:9999/api",
      databasePath: "/tmp/x.db",
      shards: "auto",
      defaultModelPath: "m.safetensors",
    });
    expect(readConfig({ ...valid, SHARDS: "4" }).shards).toBe(4);
  });

  it("says what is missing, one problem per line, all at once", () => {
    expect(problemsOf({})).toEqual([
      "DISCORD_TOKEN is missing: copy the bot token from the Developer Portal (Bot → Reset Token)",
      "DISCORD_APPLICATION_ID is missing: copy the Application ID from the Developer Portal (General Information)",
    ]);
    expect(() => readConfig({ DISCORD_TOKEN: "  " })).toThrow(/configuration problems:\n {2}- DISCORD_TOKEN is missing/);
  });

  it("explains a token of the wrong shape", () => {
    expect(problemsOf({ ...valid, DISCORD_TOKEN: "abc" })).toEqual([
      "DISCORD_TOKEN does not look like a bot token (three dot-separated parts, 50+ characters; got 1 part(s), 3 characters)",
    ]);
    expect(problemsOf({ ...valid, DISCORD_TOKEN: `Bot ${TOKEN}` })).toEqual(['DISCORD_TOKEN starts with "Bot ": give the token alone']);
  });

  it("rejects a bad SHARDS with the value", () => {
    expect(problemsOf({ ...valid, SHARDS: "many" })).toEqual(['SHARDS must be "auto" or a whole number from 1 to 1000, got "many"']);
    expect(problemsOf({ ...valid, SHARDS: "0" })).toEqual(['SHARDS must be "auto" or a whole number from 1 to 1000, got "0"']);
  });

  it("SHARD_IDS with SHARD_COUNT: this host's shards of the count; a bad pair is refused naming it", () => {
    const config = readConfig({ ...valid, SHARD_IDS: "3, 1", SHARD_COUNT: "4" });
    expect(config.shards).toBe(4);
    expect(config.shardIds).toEqual([1, 3]);
    expect(problemsOf({ ...valid, SHARD_IDS: "0,4", SHARD_COUNT: "4" })).toEqual([
      'SHARD_IDS must be distinct shard numbers from 0 to 3 separated by commas, got "0,4"',
    ]);
    expect(problemsOf({ ...valid, SHARD_IDS: "1,1", SHARD_COUNT: "4" })).toHaveLength(1);
    expect(problemsOf({ ...valid, SHARD_IDS: "0" })).toEqual([
      "SHARD_IDS and SHARD_COUNT go together: the shards this host runs, of how many in all",
    ]);
    expect(problemsOf({ ...valid, SHARD_IDS: "0", SHARD_COUNT: "0" })).toEqual([
      'SHARD_COUNT must be a whole number from 1 to 1000, got "0"',
    ]);
    expect(problemsOf({ ...valid, SHARDS: "2", SHARD_IDS: "0", SHARD_COUNT: "2" })).toEqual([
      "give SHARDS, or SHARD_IDS with SHARD_COUNT (several hosts), not both",
    ]);
  });

  it("TRAINING_OVERRIDES (tests, benchmarks): whole numbers under known keys, handed on to shard processes; anything else refused naming it", () => {
    const config = readConfig({ ...valid, TRAINING_OVERRIDES: '{"steps":60,"evalInterval":10}' });
    expect(config.trainingOverrides).toEqual({ steps: 60, evalInterval: 10 });
    expect(readConfig(configToEnv(config)).trainingOverrides).toEqual({ steps: 60, evalInterval: 10 });
    expect(readConfig(valid).trainingOverrides).toBeUndefined();
    const keys = "steps, evalInterval, evalBatches, vocabSize";
    expect(problemsOf({ ...valid, TRAINING_OVERRIDES: '{"steps":0}' })).toEqual([
      `TRAINING_OVERRIDES must be a JSON object of whole numbers ≥ 1 with keys among ${keys}, got '{"steps":0}' (steps: 0)`,
    ]);
    expect(problemsOf({ ...valid, TRAINING_OVERRIDES: '{"lr":1}' })[0]).toMatch(/\(lr: 1\)$/);
    expect(problemsOf({ ...valid, TRAINING_OVERRIDES: "steps=5" })).toEqual([
      `TRAINING_OVERRIDES must be a JSON object of whole numbers ≥ 1 with keys among ${keys}, got 'steps=5'`,
    ]);
    expect(problemsOf({ ...valid, TRAINING_OVERRIDES: "[1]" })).toHaveLength(1);
  });

  it("ignores the SHARDS that discord.js sets inside a shard process", () => {
    expect(readConfig({ ...valid, SHARDS: "[1]", SHARDING_MANAGER: "true" }).shards).toBeUndefined();
    expect(readConfig({ ...valid, SHARDS: "[1]", SHARD_COUNT: "2", SHARDING_MANAGER: "true" }).shardIds).toBeUndefined();
  });

  it("checks ids and the API URL", () => {
    expect(
      problemsOf({ ...valid, DISCORD_APPLICATION_ID: "my-app", DISCORD_GUILD_ID: "12", DISCORD_API_URL: "https://discord.com/api/v10" }),
    ).toEqual([
      'DISCORD_APPLICATION_ID must be a numeric id of 17–20 digits, got "my-app"',
      'DISCORD_GUILD_ID must be a numeric id of 17–20 digits, got "12"',
      'DISCORD_API_URL must not include the API version (discord.js adds /v10): use "https://discord.com/api"',
    ]);
    expect(problemsOf({ ...valid, DISCORD_API_URL: "discord" })).toEqual(['DISCORD_API_URL is not a URL: "discord"']);
  });

  it("round-trips through configToEnv (how shard processes get it)", () => {
    const config = readConfig({ ...valid, DISCORD_GUILD_ID: "987654321098765432", DATABASE_PATH: "/tmp/y.db", MODELS_DIR: "/srv/models" });
    expect(config.modelsDir).toBe("/srv/models");
    expect(readConfig(configToEnv(config))).toEqual(config);
  });
});

describe(".env files", () => {
  it("parses comments, export, quotes and inline comments", () => {
    const text = [
      "# a comment",
      "",
      "export DISCORD_TOKEN=abc # inline comment",
      "A='single # kept'",
      'B="line\\nbreak \\"quoted\\""',
      "C = spaced value ",
      "EMPTY=",
    ].join("\n");
    expect(parseEnvFile(text)).toEqual({
      DISCORD_TOKEN: "abc",
      A: "single # kept",
      B: 'line\nbreak "quoted"',
      C: "spaced value",
      EMPTY: "",
    });
  });

  it("names the file and line of a bad line", () => {
    expect(() => parseEnvFile("GOOD=1\nnot a variable", "my.env")).toThrow('my.env line 2: expected KEY=value, got "not a variable"');
    expect(() => parseEnvFile('X="open', "my.env")).toThrow('my.env line 1: the value opens a " quote but never closes it');
  });

  it("loadConfig reads the file under the real environment", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "config-test-"));
    try {
      const file = path.join(dir, ".env");
      writeFileSync(file, `DISCORD_TOKEN=${TOKEN}\nDISCORD_APPLICATION_ID=${APP}\nDATABASE_PATH=from-file.db\n`);
      expect(loadConfig({ DATABASE_PATH: "from-env.db" }, file).databasePath).toBe("from-env.db");
      expect(loadConfig({}, file).token).toBe(TOKEN);
      expect(loadConfig(valid, path.join(dir, "missing.env")).applicationId).toBe(APP);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
