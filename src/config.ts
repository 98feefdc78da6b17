/**
 * The bot's settings, read once at start from the environment and an optional `.env` file
 * (real environment variables win over the file). Every problem is reported on its own line,
 * all at once, so a host fixes the file in one go. `.env.example` documents each variable.
 */
import { existsSync, readFileSync } from "node:fs";
import { databaseUrlProblem } from "./store/database-url.ts";
import type { TrainingOverrides } from "./app/training-service.ts";

export const DEFAULT_API_URL = "https://discord.com/api";
export const DEFAULT_DATABASE_PATH = "data/bot.db";

export interface Config {
  /** the bot token (Developer Portal → Bot → Token) */
  token: string;
  /** the application's id (a snowflake) */
  applicationId: string;
  /** register commands in this guild only (instant; for development) */
  guildId?: string;
  /** REST base without the version, e.g. https://discord.com/api (tests point it at a fake) */
  apiUrl: string;
  /** the SQLite file (the store unless databaseUrl is set) */
  databasePath: string;
  /** the PostgreSQL store (postgres://…); undefined: the SQLite file */
  databaseUrl?: string;
  /** run several shards in child processes: "auto" (Discord's recommendation) or a count */
  shards?: "auto" | number;
  /** with shards a count: the shards this host runs (SHARD_IDS), the others run on other hosts */
  shardIds?: number[];
  /** the shipped default model; undefined = the project's data/default-model.safetensors */
  defaultModelPath?: string;
  /** the host's imported models (fetch-model's folder); undefined = data/models */
  modelsDir?: string;
  /**
   * For tests and benchmarks (TRAINING_OVERRIDES, JSON): a fixed number of steps instead of
   * /train's time budget, its evaluations and vocabulary, e.g. {"steps":60,"evalInterval":10}
   */
  trainingOverrides?: TrainingOverrides;
}

export type Env = Record<string, string | undefined>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`configuration problems:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/**
 * Reads `.env` (if present) under the real environment, then validates.
 * Throws ConfigError listing every problem.
 */
export function loadConfig(env: Env = process.env, envFile = ".env"): Config {
  const fromFile = existsSync(envFile) ? parseEnvFile(readFileSync(envFile, "utf8"), envFile) : {};
  return readConfig({ ...fromFile, ...env });
}

/** Validates already-merged variables. Throws ConfigError listing every problem. */
export function readConfig(env: Env): Config {
  const problems: string[] = [];
  const value = (name: string): string | undefined => {
    const v = env[name]?.trim();
    return v === undefined || v === "" ? undefined : v;
  };

  // 1. the token: three dot-separated base64url parts, without a "Bot " prefix
  const token = value("DISCORD_TOKEN");
  if (token === undefined) problems.push("DISCORD_TOKEN is missing: copy the bot token from the Developer Portal (Bot → Reset Token)");
  else problems.push(...tokenProblems(token));

  // 2. the application id: a snowflake
  const applicationId = value("DISCORD_APPLICATION_ID");
  if (applicationId === undefined)
    problems.push("DISCORD_APPLICATION_ID is missing: copy the Application ID from the Developer Portal (General Information)");
  else if (!isSnowflake(applicationId))
    problems.push(`DISCORD_APPLICATION_ID must be a numeric id of 17–20 digits, got "${applicationId}"`);

  // 3. optional guild for development registration
  const guildId = value("DISCORD_GUILD_ID");
  if (guildId !== undefined && !isSnowflake(guildId))
    problems.push(`DISCORD_GUILD_ID must be a numeric id of 17–20 digits, got "${guildId}"`);

  // 4. the REST base URL, without the /v10 that discord.js appends
  const apiUrl = (value("DISCORD_API_URL") ?? DEFAULT_API_URL).replace(/\/+$/, "");
  problems.push(...apiUrlProblems(apiUrl));

  // 5. storage and the default model
  const databasePath = value("DATABASE_PATH") ?? DEFAULT_DATABASE_PATH;
  const databaseUrl = value("DATABASE_URL");
  const databaseUrlWrong = databaseUrl === undefined ? null : databaseUrlProblem(databaseUrl);
  if (databaseUrlWrong !== null) problems.push(databaseUrlWrong);
  const defaultModelPath = value("DEFAULT_MODEL_PATH");
  const modelsDir = value("MODELS_DIR");

  // 6. sharding. Inside a shard process discord.js itself sets SHARDS (the shard's ids, as JSON)
  //    and SHARDING_MANAGER=true: that SHARDS is not ours to read.
  let shards: Config["shards"];
  const shardsText = env.SHARDING_MANAGER === "true" ? undefined : value("SHARDS");
  if (shardsText !== undefined) {
    if (shardsText.toLowerCase() === "auto") shards = "auto";
    else if (/^\d+$/.test(shardsText) && Number(shardsText) >= 1 && Number(shardsText) <= 1000) shards = Number(shardsText);
    else problems.push(`SHARDS must be "auto" or a whole number from 1 to 1000, got "${shardsText}"`);
  }
  //    On several hosts: SHARD_COUNT shards in all, of which this host runs SHARD_IDS (discord.js's shardList)
  //    (inside a shard process discord.js sets SHARD_COUNT too: not ours either)
  const insideShard = env.SHARDING_MANAGER === "true";
  const shardIdsText = insideShard ? undefined : value("SHARD_IDS");
  const shardCountText = insideShard ? undefined : value("SHARD_COUNT");
  let shardIds: number[] | undefined;
  if (shardIdsText !== undefined || shardCountText !== undefined) {
    const count = Number(shardCountText);
    const ids = (shardIdsText ?? "").split(",").map((id) => id.trim());
    if (shardsText !== undefined) problems.push("give SHARDS, or SHARD_IDS with SHARD_COUNT (several hosts), not both");
    else if (shardIdsText === undefined || shardCountText === undefined)
      problems.push("SHARD_IDS and SHARD_COUNT go together: the shards this host runs, of how many in all");
    else if (!/^\d+$/.test(shardCountText) || count < 1 || count > 1000)
      problems.push(`SHARD_COUNT must be a whole number from 1 to 1000, got "${shardCountText}"`);
    else if (ids.some((id) => !/^\d+$/.test(id) || Number(id) >= count) || new Set(ids).size !== ids.length)
      problems.push(`SHARD_IDS must be distinct shard numbers from 0 to ${count - 1} separated by commas, got "${shardIdsText}"`);
    else {
      shards = count;
      shardIds = ids.map(Number).sort((a, b) => a - b);
    }
  }

  // 7. tests and benchmarks: short trainings
  const overridesText = value("TRAINING_OVERRIDES");
  const trainingOverrides = overridesText === undefined ? undefined : readOverrides(overridesText, problems);

  if (problems.length > 0) throw new ConfigError(problems);
  const config: Config = { token: token!, applicationId: applicationId!, apiUrl, databasePath };
  if (guildId !== undefined) config.guildId = guildId;
  if (databaseUrl !== undefined) config.databaseUrl = databaseUrl;
  if (shards !== undefined) config.shards = shards;
  if (shardIds !== undefined) config.shardIds = shardIds;
  if (defaultModelPath !== undefined) config.defaultModelPath = defaultModelPath;
  if (modelsDir !== undefined) config.modelsDir = modelsDir;
  if (trainingOverrides !== undefined) config.trainingOverrides = trainingOverrides;
  return config;
}

const OVERRIDE_KEYS = ["steps", "evalInterval", "evalBatches", "vocabSize"] as const;

/** TRAINING_OVERRIDES: a JSON object of whole positive numbers under OVERRIDE_KEYS; a problem otherwise. */
function readOverrides(text: string, problems: string[]): TrainingOverrides | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const entries = parsed !== null && typeof parsed === "object" && !Array.isArray(parsed) ? Object.entries(parsed) : null;
  const wrong = entries?.find(([k, v]) => !(OVERRIDE_KEYS as readonly string[]).includes(k) || !Number.isInteger(v) || (v as number) < 1);
  if (entries === null || wrong) {
    problems.push(
      `TRAINING_OVERRIDES must be a JSON object of whole numbers ≥ 1 with keys among ${OVERRIDE_KEYS.join(", ")}, got '${text.slice(0, 80)}'${wrong ? ` (${wrong[0]}: ${JSON.stringify(wrong[1])})` : ""}`,
    );
    return undefined;
  }
  return Object.fromEntries(entries) as TrainingOverrides;
}

/** Like a real token: three dot-separated base64url parts (the first encodes the bot's id). */
export function tokenProblems(token: string): string[] {
  if (/^(Bot|Bearer)\s/i.test(token)) return [`DISCORD_TOKEN starts with "${token.split(/\s/)[0]} ": give the token alone`];
  if (/\s/.test(token)) return ["DISCORD_TOKEN contains whitespace: copy the token again"];
  const parts = token.split(".");
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]+$/.test(p)) || token.length < 50) {
    return [
      `DISCORD_TOKEN does not look like a bot token (three dot-separated parts, 50+ characters; got ${parts.length} part(s), ${token.length} characters)`,
    ];
  }
  return [];
}

function apiUrlProblems(url: string): string[] {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return [`DISCORD_API_URL is not a URL: "${url}"`];
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:")
    return [`DISCORD_API_URL must start with https:// or http://, got "${url}"`];
  if (/\/v\d+$/.test(parsed.pathname))
    return [`DISCORD_API_URL must not include the API version (discord.js adds /v10): use "${url.replace(/\/v\d+$/, "")}"`];
  return [];
}

export function isSnowflake(text: string): boolean {
  return /^\d{17,20}$/.test(text);
}

/**
 * A small `.env` parser: `KEY=value` lines, `#` comments, an optional `export ` prefix,
 * values in single quotes (literal) or double quotes (\n, \", \\ escapes), or bare (an inline
 * ` #` starts a comment). Errors name the file and line.
 */
export function parseEnvFile(text: string, fileName = ".env"): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!match) throw new ConfigError([`${fileName} line ${index + 1}: expected KEY=value, got "${line}"`]);
    const [, key, rest] = match;
    out[key] = parseEnvValue(rest, `${fileName} line ${index + 1}`);
  });
  return out;
}

function parseEnvValue(rest: string, where: string): string {
  const quote = rest[0];
  if (quote === "'" || quote === '"') {
    // the closing quote (inside double quotes, not one escaped by a backslash)
    let close = -1;
    for (let i = 1; i < rest.length; i++) {
      if (quote === '"' && rest[i] === "\\") i++;
      else if (rest[i] === quote) {
        close = i;
        break;
      }
    }
    if (close < 0) throw new ConfigError([`${where}: the value opens a ${quote} quote but never closes it`]);
    const inner = rest.slice(1, close);
    if (quote === "'") return inner;
    return inner.replace(/\\(.)/g, (_, ch: string) => (ch === "n" ? "\n" : ch));
  }
  return rest.replace(/\s+#.*$/, "").trim();
}

/** The config as environment variables (for shard processes, which read it back with loadConfig). */
export function configToEnv(config: Config): Record<string, string> {
  return {
    DISCORD_TOKEN: config.token,
    DISCORD_APPLICATION_ID: config.applicationId,
    DISCORD_API_URL: config.apiUrl,
    DATABASE_PATH: config.databasePath,
    ...(config.databaseUrl !== undefined && { DATABASE_URL: config.databaseUrl }),
    ...(config.guildId !== undefined && { DISCORD_GUILD_ID: config.guildId }),
    ...(config.defaultModelPath !== undefined && { DEFAULT_MODEL_PATH: config.defaultModelPath }),
    ...(config.modelsDir !== undefined && { MODELS_DIR: config.modelsDir }),
    ...(config.trainingOverrides !== undefined && { TRAINING_OVERRIDES: JSON.stringify(config.trainingOverrides) }),
  };
}
