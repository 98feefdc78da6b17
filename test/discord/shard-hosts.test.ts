/**
 * Shards on several hosts: SHARD_COUNT=2 with SHARD_IDS=0 on one "host" and SHARD_IDS=1 on
 * another (two ShardingManagers, as two machines would run them) against the fake Discord.
 * Each runs only its own shard; together they answer every guild.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type ShardedHandle, startSharded } from "../../src/adapters/discord/bot.ts";
import { loadCommands } from "../../src/adapters/discord/command-loader.ts";
import { deployCommands } from "../../src/adapters/discord/deploy.ts";
import { FakeDiscord } from "../fake-discord/index.ts";
import { capturingLogger, type LogLine, testConfig } from "./harness.ts";
import { writeTinyModel } from "./tiny-model.ts";

let fake: FakeDiscord;
let dir: string;
const hosts: ShardedHandle[] = [];
const logs: LogLine[] = [];

beforeAll(async () => {
  fake = await FakeDiscord.start({ guilds: 2, recommendedShards: 2 });
  dir = mkdtempSync(path.join(tmpdir(), "shard-hosts-test-"));
});

afterAll(async () => {
  for (const host of hosts) await host.stop();
  await fake?.stop();
  rmSync(dir, { recursive: true, force: true });
});

it("SHARD_IDS with SHARD_COUNT: each host runs its own shards of the count, and together they answer every guild", async () => {
  const first = testConfig(fake, dir, { SHARD_IDS: "0", SHARD_COUNT: "2" });
  writeTinyModel(first.defaultModelPath!);
  await deployCommands(first, await loadCommands());
  hosts.push(await startSharded(first, { log: capturingLogger(logs), spawnDelayMs: 0 }));
  expect([...hosts[0]!.manager.shards.keys()]).toEqual([0]);
  expect((await fake.waitForSessions(1)).map((s) => s.shard)).toEqual([[0, 2]]);

  const second = testConfig(fake, dir, { SHARD_IDS: "1", SHARD_COUNT: "2" });
  hosts.push(await startSharded(second, { log: capturingLogger(logs), spawnDelayMs: 0 }));
  expect([...hosts[1]!.manager.shards.keys()]).toEqual([1]);
  const sessions = await fake.waitForSessions(2);
  expect(sessions.map((s) => s.shard).sort()).toEqual([
    [0, 2],
    [1, 2],
  ]);
  for (const guild of fake.guilds) {
    const reply = await fake.interact({ command: "predict", options: { text: "hi", k: 2 }, guildId: guild.id }).reply();
    expect(reply.content).toMatch(/^Most likely next tokens after “hi”/);
  }
}, 120_000);
