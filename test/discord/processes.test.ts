/**
 * The entry points as child processes against the fake Discord: deploy-commands registers
 * the commands with their Japanese localisations; a rejected token fails fast with one line.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBot } from "../../src/adapters/discord/bot.ts";
import { describeStartupError } from "../../src/adapters/discord/startup-error.ts";
import { loadCommands } from "../../src/adapters/discord/command-loader.ts";
import { deployCommands } from "../../src/adapters/discord/deploy.ts";
import { configToEnv } from "../../src/config.ts";
import { FakeDiscord } from "../fake-discord/index.ts";
import { capturingLogger, testConfig } from "./harness.ts";
import { writeTinyModel } from "./tiny-model.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
const TSX = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
const run = promisify(execFile);

let fake: FakeDiscord;
let dir: string;

beforeAll(async () => {
  fake = await FakeDiscord.start();
  dir = mkdtempSync(path.join(tmpdir(), "processes-test-"));
});

afterAll(async () => {
  await fake?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs a project script with only the given environment (plus PATH), in an empty folder (no .env). */
async function runScript(script: string, env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ["--import", TSX, path.join(ROOT, script)], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? "", ...env },
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout: string; stderr: string };
    return { code: typeof e.code === "number" ? e.code : -1, stdout: e.stdout, stderr: e.stderr };
  }
}

describe("scripts/deploy-commands.ts", () => {
  it("registers the commands in the guild, with Japanese names and descriptions", async () => {
    const env = configToEnv(testConfig(fake, dir, { DISCORD_GUILD_ID: fake.guild.id }));
    const result = await runScript("scripts/deploy-commands.ts", env);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^registered \\d+ command\\(s\\) in guild ${fake.guild.id}: .*/predict`));

    const put = fake.requests.find(
      (r) => r.method === "PUT" && r.path === `/applications/${fake.applicationId}/guilds/${fake.guild.id}/commands`,
    );
    expect(put?.authorization).toBe(`Bot ${fake.token}`);
    const commands = put!.body as {
      name: string;
      name_localizations?: Record<string, string>;
      description_localizations?: Record<string, string>;
      options?: {
        name: string;
        type: number;
        required?: boolean;
        name_localizations?: Record<string, string>;
        description_localizations?: Record<string, string>;
        min_value?: number;
        max_value?: number;
      }[];
    }[];
    // every command and every option has a Japanese name and description
    for (const c of commands) {
      expect(c.name_localizations?.ja, c.name).toBeTruthy();
      expect(c.description_localizations?.ja, c.name).toBeTruthy();
      for (const o of c.options ?? []) {
        expect(o.name_localizations?.ja, `${c.name} ${o.name}`).toBeTruthy();
        expect(o.description_localizations?.ja, `${c.name} ${o.name}`).toBeTruthy();
      }
    }
    const predict = commands.find((c) => c.name === "predict")!;
    expect(predict.name_localizations).toEqual({ ja: "予測" });
    expect(predict.options).toMatchObject([
      { name: "text", type: 3, required: true, name_localizations: { ja: "テキスト" } },
      { name: "k", type: 4, min_value: 1, max_value: 50, name_localizations: { ja: "候補数" } },
      { name: "temperature", type: 10, max_value: 10, name_localizations: { ja: "温度" } },
      { name: "heads", type: 3, max_length: 200, name_localizations: { ja: "ヘッド" } },
    ]);
  });

  it("registers globally without DISCORD_GUILD_ID", async () => {
    const result = await deployCommands(testConfig(fake, dir), await loadCommands());
    expect(result).toMatchObject({ scope: "global" });
    expect(result.names).toContain("predict");
    expect(fake.requests.some((r) => r.method === "PUT" && r.path === `/applications/${fake.applicationId}/commands`)).toBe(true);
  });

  it("fails with one line on a rejected token", async () => {
    const token = fake.token.replace(/.$/, "X");
    fake.rejectedTokens.add(token);
    const rejected = await runScript("scripts/deploy-commands.ts", { ...configToEnv(testConfig(fake, dir)), DISCORD_TOKEN: token });
    expect(rejected.code).toBe(1);
    expect(rejected.stderr.trim().split("\n")).toEqual([
      "deploy-commands: Discord rejected DISCORD_TOKEN (401 Unauthorized): the token is wrong or was reset. Copy a new one from the Developer Portal (Bot → Reset Token).",
    ]);

    expect(rejected.stderr).not.toMatch(/\n\s+at /);
  });
});

describe("an invalid token", () => {
  it("makes startBot fail fast with discord.js's TokenInvalid, described in one line", async () => {
    const token = fake.token.replace(/.$/, "Y");
    fake.rejectedTokens.add(token);
    const config = { ...testConfig(fake, dir), token };
    writeTinyModel(config.defaultModelPath!);
    const error = await startBot(config, { log: capturingLogger([]) }).catch((e: unknown) => e);
    expect((error as { code?: string }).code).toBe("TokenInvalid");
    expect(describeStartupError(error)).toBe(
      "Discord rejected DISCORD_TOKEN (401 Unauthorized): the token is wrong or was reset. Copy a new one from the Developer Portal (Bot → Reset Token).",
    );
  });

  it("makes a bot process exit non-zero with that one line", async () => {
    const token = fake.token.replace(/.$/, "Z");
    fake.rejectedTokens.add(token);
    const result = await runScript("src/adapters/discord/shard-process.ts", {
      ...configToEnv(testConfig(fake, dir)),
      DISCORD_TOKEN: token,
    });
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(
      "Discord rejected DISCORD_TOKEN (401 Unauthorized): the token is wrong or was reset. Copy a new one from the Developer Portal (Bot → Reset Token).",
    );
  });
});

describe("a PostgreSQL store that cannot be reached", () => {
  it("makes a bot process exit non-zero with one line naming the store, without its password, and not Discord", async () => {
    const result = await runScript("src/main.ts", {
      ...configToEnv(testConfig(fake, dir)),
      DATABASE_URL: "postgres://bot:hunter2@127.0.0.1:1/bot",
    });
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(
      "cannot open the PostgreSQL store postgres://bot:***@127.0.0.1:1/bot: connect ECONNREFUSED 127.0.0.1:1",
    );
  });
});

describe("the Message Content intent switched off in the portal", () => {
  it("makes startBot fail with a line saying where to switch it on", async () => {
    fake.messageContentAllowed = false;
    try {
      const config = testConfig(fake, dir);
      writeTinyModel(config.defaultModelPath!);
      const error = await startBot(config, { log: capturingLogger([]) }).catch((e: unknown) => e);
      expect(describeStartupError(error)).toBe(
        "Discord refused the Message Content intent: enable it in the Developer Portal (Bot → Privileged Gateway Intents → Message Content Intent).",
      );
    } finally {
      fake.messageContentAllowed = true;
    }
  });
});
