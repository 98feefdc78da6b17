/** /admin: allowed channels for /train, retention, wipe — with a real SQLite file. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MEMBER_PERMISSIONS, Permission } from "../fake-discord/index.ts";
import { type Harness, startHarness } from "../discord/harness.ts";
import { openStore } from "../../src/store/index.ts";
import { setRetentionDays } from "../../src/app/guild-policy.ts";

const ADMIN = MEMBER_PERMISSIONS | Permission.ManageGuild;
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

const withStore = <T>(fn: (s: ReturnType<typeof openStore>) => T): T => {
  const s = openStore(h.config.databasePath);
  try {
    return fn(s);
  } finally {
    s.close();
  }
};
const admin = (subcommand: string, options: Record<string, string | number | boolean> = {}) =>
  h.fake.interact({ command: "admin", subcommand, options, memberPermissions: ADMIN }).reply();

describe("/admin", () => {
  it("is refused to members without Manage Server", async () => {
    const reply = await h.fake.interact({ command: "admin", subcommand: "wipe", options: { confirm: true } }).reply();
    expect(reply.ephemeral).toBe(true);
    expect(reply.content).toMatch(/Manage Server/i);
  });

  it("channels: /train may then read only those", async () => {
    const other = h.fake.addChannel("elsewhere");
    const set = await admin("channels", { channels: `<#${other.id}>` });
    expect(set.content).toMatch(new RegExp(`only: <#${other.id}>`));
    const refused = await h.fake
      .interact({ command: "train", subcommand: "start", options: { preset: "tiny" }, memberPermissions: ADMIN })
      .reply();
    expect(refused.ephemeral).toBe(true);
    expect(refused.content).toMatch(/is not one of them/);
    expect((await admin("channels")).content).toMatch(/any channel/);
  });

  it("retention deletes stored messages older than N days", async () => {
    const guild = h.fake.guild.id;
    const day = 24 * 60 * 60 * 1000;
    withStore((s) =>
      s.messages.addMany([
        { id: "8001", guildId: guild, channelId: h.fake.channelId, authorId: "1", text: "old", createdAt: Date.now() - 40 * day },
        { id: "8002", guildId: guild, channelId: h.fake.channelId, authorId: "1", text: "new", createdAt: Date.now() - 1 * day },
      ]),
    );
    const reply = await admin("retention", { days: 30 });
    expect(reply.content).toMatch(/older than 30 days/);
    const texts = withStore((s) => s.messages.recent(guild, { limit: 100 }).map((m) => m.text));
    expect(texts).toContain("new");
    expect(texts).not.toContain("old");
  });

  it("wipe needs confirm, then deletes the server's data", async () => {
    const guild = h.fake.guild.id;
    expect((await admin("wipe")).content).toMatch(/confirm: true/);
    expect(withStore((s) => s.messages.count(guild))).toBeGreaterThan(0);
    expect((await admin("wipe", { confirm: true })).content).toMatch(/Wiped this server's data/);
    expect(withStore((s) => s.messages.count(guild))).toBe(0);
  });
});

describe("retention at login", () => {
  it("deletes messages past the retention period of every server present when the bot (re)starts", async () => {
    const day = 24 * 60 * 60 * 1000;
    // the store as a previous run left it: 30-day retention set, one message 40 days old
    const restarted = await startHarness({
      seed: (store, fake) => {
        const guild = fake.guild.id;
        setRetentionDays(store, guild, 30);
        store.messages.addMany([
          {
            id: "8101",
            guildId: guild,
            channelId: fake.channelId,
            authorId: "1",
            text: "forty days old",
            createdAt: Date.now() - 40 * day,
          },
          { id: "8102", guildId: guild, channelId: fake.channelId, authorId: "1", text: "yesterday", createdAt: Date.now() - day },
        ]);
      },
    });
    try {
      const texts = (await restarted.bot.store.messages.recent(restarted.fake.guild.id, { limit: 100 })).map((m) => m.text);
      expect(texts).toEqual(["yesterday"]);
    } finally {
      await restarted.stop();
    }
  });
});

describe("wipe during a training", () => {
  let t: Harness;
  beforeAll(async () => {
    // enough steps that the training is still running when the wipe comes
    t = await startHarness({ training: { steps: 400, evalInterval: 10, evalBatches: 2 } });
    t.fake.seedHistory(
      t.fake.channelId,
      Array.from({ length: 300 }, (_, i) => ({ content: `message ${i}: the garden is ${i % 2 ? "green" : "quiet"} today` })),
    );
  });
  afterAll(async () => {
    await t?.stop();
  });

  it("ends the training first, so no model trained on the wiped messages is ever installed", async () => {
    const guild = t.fake.guild.id;
    const started = t.fake.interact({ command: "train", subcommand: "start", options: { preset: "tiny" }, memberPermissions: ADMIN });
    // 1. wait until the worker has written a checkpoint (one a graceful stop would install)
    const deadline = Date.now() + 60_000;
    while (t.training.current(guild)?.lastCheckpoint == null) {
      if (Date.now() > deadline) throw new Error(`no checkpoint yet: ${JSON.stringify(t.training.current(guild)?.snapshot())}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    const training = t.training.current(guild)!;
    // 2. wipe
    const wiped = await t.fake
      .interact({ command: "admin", subcommand: "wipe", options: { confirm: true }, memberPermissions: ADMIN })
      .reply();
    expect(wiped.content).toMatch(/Wiped this server/);
    // 3. the training ended as wiped, and nothing came back afterwards
    const outcome = await training.done;
    expect(outcome.status).toBe("wiped");
    expect(outcome.model).toBeNull();
    expect(t.training.current(guild)).toBeUndefined();
    expect(await t.bot.store.models.latestInfo(guild)).toBeUndefined();
    expect(await t.bot.store.messages.recent(guild, { limit: 10 })).toEqual([]);
    expect(await t.bot.store.runs.latest(guild)).toBeUndefined();
    // 4. the /train reply says why it ended
    await t.fake.waitForRequest(
      (r) => r.path.includes(started.token) && String((r.body as { content?: string } | undefined)?.content).includes("wiped"),
      "the /train reply to say it was wiped",
    );
  });
});
