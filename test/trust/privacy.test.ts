/** /privacy, /forget-me and gateway deletes/edits, against the fake Discord with a real SQLite file. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "../discord/harness.ts";
import { openStore } from "../../src/store/index.ts";
import { SlashCommandBuilder } from "discord.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

function seedStored(guildId: string, channelId: string, authorId: string, ids: string[]) {
  const store = openStore(h.config.databasePath);
  try {
    store.messages.addMany(ids.map((id, i) => ({ id, guildId, channelId, authorId, text: `message ${id}`, createdAt: 1000 + i })));
  } finally {
    store.close();
  }
}

function storedIds(guildId: string): string[] {
  const store = openStore(h.config.databasePath);
  try {
    return store.messages.recent(guildId, { limit: 1000 }).map((m) => m.id);
  } finally {
    store.close();
  }
}

describe("privacy", () => {
  it("/privacy says what is stored and for how long, privately, in the user's language", async () => {
    const en = await h.fake.interact({ command: "privacy", options: {} }).reply();
    expect(en.ephemeral).toBe(true);
    expect(en.content).toMatch(/What this bot stores/);
    expect(en.content).toMatch(/forget-me/);
    const ja = await h.fake.interact({ command: "privacy", options: {}, locale: "ja" }).reply();
    expect(ja.content).toMatch(/保存するもの/);
    // what the host's log keeps of a failing command
    expect(en.content).toMatch(/log records the command.*never what you typed/);
    expect(ja.content).toMatch(/ログ.*入力した文章そのものは記録しません/);
  });

  it("/forget-me deletes only that person's messages in that guild", async () => {
    const guild = h.fake.guild.id;
    const channel = h.fake.channelId;
    seedStored(guild, channel, h.fake.alice.id, ["9001", "9002", "9003"]);
    seedStored(guild, channel, h.fake.bob.id, ["9004"]);
    const reply = await h.fake.interact({ command: "forget-me", options: {} }).reply(); // alice
    expect(reply.ephemeral).toBe(true);
    expect(reply.content).toMatch(/Deleted 3 stored messages of yours/);
    expect(reply.content).toMatch(/was not trained on them/);
    expect(storedIds(guild)).toEqual(["9004"]);
    const again = await h.fake.interact({ command: "forget-me", options: {} }).reply();
    expect(again.content).toMatch(/no stored messages of yours/);
  });

  it("messages deleted or edited on Discord are deleted or edited in the store", async () => {
    const guild = h.fake.guild.id;
    const channel = h.fake.channelId;
    seedStored(guild, channel, h.fake.bob.id, ["9101", "9102", "9103", "9104"]);
    const session = h.fake.gateway.sessionFor(guild);
    h.fake.gateway.dispatch(session, "MESSAGE_DELETE", { id: "9101", channel_id: channel, guild_id: guild });
    h.fake.gateway.dispatch(session, "MESSAGE_DELETE_BULK", { ids: ["9102", "9103"], channel_id: channel, guild_id: guild });
    h.fake.gateway.dispatch(session, "MESSAGE_UPDATE", {
      id: "9104",
      channel_id: channel,
      guild_id: guild,
      content: "edited text",
      author: h.fake.bob,
      type: 0,
      timestamp: new Date().toISOString(),
      edited_timestamp: new Date().toISOString(),
      tts: false,
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      attachments: [],
      embeds: [],
      pinned: false,
    });
    const deadline = Date.now() + 5000;
    for (;;) {
      const store = openStore(h.config.databasePath);
      const rows = store.messages.recent(guild, { limit: 1000 }).filter((m) => m.id.startsWith("91"));
      store.close();
      if (rows.length === 1 && rows[0].text === "edited text") break;
      if (Date.now() > deadline) throw new Error(`store still has ${JSON.stringify(rows)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  });
});

describe("the host's log", () => {
  it("records a failing command's context without the text the user typed", async () => {
    const secret = "my diary: the door code is 4711";
    h.bot.commands.set("broken-echo", {
      data: new SlashCommandBuilder()
        .setName("broken-echo")
        .setDescription("test")
        .addStringOption((o) => o.setName("text").setDescription("text"))
        .addIntegerOption((o) => o.setName("k").setDescription("k")),
      async execute() {
        throw new Error("kaboom");
      },
    });
    const reply = await h.fake.interact({ command: "broken-echo", options: { text: secret, k: 3 } }).reply();
    expect(reply.ephemeral).toBe(true);
    const logged = h.logs.find((l) => l.message === "/broken-echo failed");
    expect(logged?.context).toMatchObject({ command: "broken-echo", user: h.fake.alice.id, options: { text: "(31 characters)", k: 3 } });
    expect(JSON.stringify(h.logs)).not.toContain("door code");
  });
});
