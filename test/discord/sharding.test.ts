/**
 * SHARDS: the bot as two shard processes (discord.js ShardingManager) against the fake
 * Discord, each owning the guilds Discord's formula gives it, both using one SQLite file.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type ShardedHandle, startSharded } from "../../src/adapters/discord/bot.ts";
import { loadCommands } from "../../src/adapters/discord/command-loader.ts";
import { deployCommands } from "../../src/adapters/discord/deploy.ts";
import { openStore } from "../../src/store/index.ts";
import { FakeDiscord } from "../fake-discord/index.ts";
import { capturingLogger, type LogLine, testConfig } from "./harness.ts";
import { writeTinyModel } from "./tiny-model.ts";

let fake: FakeDiscord;
let dir: string;
let sharded: ShardedHandle | undefined;
const logs: LogLine[] = [];

beforeAll(async () => {
  fake = await FakeDiscord.start({ guilds: 2, recommendedShards: 2 });
  dir = mkdtempSync(path.join(tmpdir(), "sharding-test-"));
});

afterAll(async () => {
  await sharded?.stop();
  await fake?.stop();
  rmSync(dir, { recursive: true, force: true });
});

it("SHARDS=auto asks the fake, starts two shard processes and each answers its own guild", async () => {
  const config = testConfig(fake, dir, { SHARDS: "auto" });
  writeTinyModel(config.defaultModelPath!);
  await deployCommands(config, await loadCommands());
  sharded = await startSharded(config, { log: capturingLogger(logs), spawnDelayMs: 0 });
  expect(sharded.totalShards).toBe(2);

  const sessions = await fake.waitForSessions(2);
  expect(sessions.map((s) => s.shard).sort()).toEqual([
    [0, 2],
    [1, 2],
  ]);

  for (const guild of fake.guilds) {
    const reply = await fake.interact({ command: "predict", options: { text: "hi", k: 2 }, guildId: guild.id }).reply();
    expect(reply.content).toMatch(/^Most likely next tokens after “hi”/);
  }
  // both processes recorded their guilds in the one database
  const store = openStore(config.databasePath);
  try {
    expect(
      store.guilds
        .list()
        .map((g) => g.id)
        .sort(),
    ).toEqual(fake.guilds.map((g) => g.id).sort());
  } finally {
    store.close();
  }
});
