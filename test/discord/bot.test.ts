/**
 * The real bot (discord.js client, dispatcher, commands/) against the fake Discord.
 */
import { SlashCommandBuilder } from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Command } from "../../src/adapters/discord/command.ts";
import { HISTORY_MESSAGES } from "../../src/adapters/discord/chat.ts";
import { MEMBER_PERMISSIONS, Permission, type RecordedRequest } from "../fake-discord/index.ts";
import { type Harness, median, pngSize, startHarness } from "./harness.ts";
import { scriptedHandle } from "./tiny-model.ts";
import { SENTENCES } from "../../src/app/sentences.ts";

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h?.stop();
});

/** Adds a command to the running bot's collection (the dispatcher reads the same collection). */
function addCommand(command: Command): void {
  h.bot.commands.set(command.data.name, command);
}

const channelMessagePosts = (channelId: string) => (r: RecordedRequest) =>
  r.method === "POST" && r.path === `/channels/${channelId}/messages`;

describe("/predict", () => {
  it("defers in time, then edits in the candidates and a PNG, pinging nobody", async () => {
    const it1 = h.fake.interact({ command: "predict", options: { text: "hello wor", k: 5 } });
    const ack = await it1.acknowledged();
    expect(ack.status).toBe(204);
    expect((ack.body as { type: number }).type).toBe(5); // deferred, public
    expect(it1.late).toBeUndefined();

    const reply = await it1.reply();
    expect(reply.request.method).toBe("PATCH");
    expect(reply.request.path).toBe(`/webhooks/${h.fake.applicationId}/${it1.token}/messages/@original`);
    const lines = reply.content.split("\n");
    expect(lines[0]).toBe("Most likely next tokens after “hello wor” (default model):");
    expect(lines.slice(1)).toHaveLength(5);
    for (const line of lines.slice(1)) expect(line).toMatch(/^ ?\d\. `[^`]+` [█░]{10} (\d+\.\d%|<0\.1%)$/);
    expect(reply.ephemeral).toBe(false);
    expect(reply.body.allowed_mentions).toEqual({ parse: [], replied_user: false });

    expect(reply.files).toHaveLength(1);
    expect(reply.files[0].filename).toBe("predict.png");
    const size = pngSize(reply.files[0].data);
    expect(size.width).toBeGreaterThan(100);
    expect(size.height).toBeGreaterThan(100);
    expect((reply.request.response as { attachments: { filename: string }[] }).attachments[0].filename).toBe("predict.png");
  });

  it("answers in Japanese for a Japanese client", async () => {
    const reply = await h.fake.interact({ command: "predict", options: { text: "こんにちは", temperature: 0.5 }, locale: "ja" }).reply();
    expect(reply.content.split("\n")[0]).toBe("「こんにちは」の次に来そうなトークン（既定のモデル、温度 0.5）:");
    expect(reply.content.split("\n")).toHaveLength(11); // default k = 10
  });

  it.each([
    [{ k: 0 }, "en-US", "k must be a whole number from 1 to 50 (you gave 0)."],
    [{ k: 999 }, "en-US", "k must be a whole number from 1 to 50 (you gave 999)."],
    [{ temperature: -1 }, "en-US", "temperature must be a number from 0.01 to 10 (you gave -1)."],
    [{ temperature: -1 }, "ja", "温度（temperature）には 0.01〜10 の数を指定してください（指定された値: -1）。"],
  ])("refuses %o (%s) with one clear ephemeral line", async (options, locale, line) => {
    const it1 = h.fake.interact({ command: "predict", options: { text: "hi", ...options }, locale });
    const reply = await it1.reply();
    expect(reply.request.path.endsWith("/callback")).toBe(true);
    expect((reply.request.body as { type: number }).type).toBe(4);
    expect(reply.ephemeral).toBe(true);
    expect(reply.content).toBe(line);
    expect(reply.files).toHaveLength(0);
  });

  it("measures the time from interaction to reply (printed, not asserted)", async () => {
    const acks: number[] = [];
    const finals: number[] = [];
    for (let i = 0; i < 15; i++) {
      const it1 = h.fake.interact({ command: "predict", options: { text: `sample ${i}`, k: 10 } });
      const ack = await it1.acknowledged();
      const reply = await it1.reply();
      acks.push(ack.at - it1.sentAt);
      finals.push(reply.request.at - it1.sentAt);
    }
    const ms = (v: number) => `${v.toFixed(1)} ms`;
    console.log(
      `/predict against the fake (15 runs, tiny model): deferral median ${ms(median(acks))}, worst ${ms(Math.max(...acks))}; ` +
        `final reply median ${ms(median(finals))}, worst ${ms(Math.max(...finals))}`,
    );
    expect(finals).toHaveLength(15);
  });
});

describe("the dispatcher", () => {
  const admin: Command = {
    data: new SlashCommandBuilder().setName("admin-test").setDescription("test"),
    userPermissions: ["ManageGuild"],
    botPermissions: ["ReadMessageHistory"],
    async execute(interaction) {
      await interaction.reply({ content: "done", allowedMentions: { parse: [] } });
    },
  };

  it("explains a missing user permission, translated, ephemeral", async () => {
    addCommand(admin);
    const en = await h.fake.interact({ command: "admin-test", memberPermissions: MEMBER_PERMISSIONS }).reply();
    expect(en).toMatchObject({ ephemeral: true, content: "You need the **Manage Server** permission to use this command." });
    const ja = await h.fake.interact({ command: "admin-test", memberPermissions: MEMBER_PERMISSIONS, locale: "ja" }).reply();
    expect(ja).toMatchObject({ ephemeral: true, content: "このコマンドを使うには「サーバー管理」の権限が必要です。" });
  });

  it("explains a permission the bot lacks in the channel", async () => {
    addCommand(admin);
    const reply = await h.fake
      .interact({
        command: "admin-test",
        memberPermissions: MEMBER_PERMISSIONS | Permission.ManageGuild,
        appPermissions: MEMBER_PERMISSIONS & ~Permission.ReadMessageHistory,
      })
      .reply();
    expect(reply).toMatchObject({
      ephemeral: true,
      content: "I need the **Read Message History** permission in this channel. Please ask a server admin to give it to me.",
    });
    const allowed = await h.fake
      .interact({ command: "admin-test", memberPermissions: MEMBER_PERMISSIONS | Permission.ManageGuild })
      .reply();
    expect(allowed.content).toBe("done");
  });

  it("refuses admin commands in DMs", async () => {
    addCommand(admin);
    const reply = await h.fake.interact({ command: "admin-test", dm: true }).reply();
    expect(reply).toMatchObject({ ephemeral: true, content: "This command works only in a server, not in DMs." });
  });

  it("turns an error into one ephemeral line and logs it with context", async () => {
    addCommand({
      data: new SlashCommandBuilder().setName("broken").setDescription("test"),
      async execute() {
        throw new Error("kaboom 42");
      },
    });
    const it1 = h.fake.interact({ command: "broken", locale: "ja" });
    const reply = await it1.reply();
    expect(reply).toMatchObject({
      ephemeral: true,
      content: "すみません、/broken の実行に失敗しました。エラーは記録しました。しばらくしてからもう一度お試しください。",
    });
    expect(reply.content).not.toMatch(/kaboom|at |Error/);
    const logged = h.logs.find((l) => l.level === "error" && l.message === "/broken failed");
    expect(logged?.context).toMatchObject({ command: "broken", guild: h.fake.guild.id, user: h.fake.alice.id });
    expect((logged?.error as Error | undefined)?.message).toBe("kaboom 42");
  });

  it("after a public deferral, an error replaces the thinking message with an ephemeral follow-up", async () => {
    addCommand({
      data: new SlashCommandBuilder().setName("slow-broken").setDescription("test"),
      defer: "public",
      async execute() {
        throw new Error("late failure");
      },
    });
    const it1 = h.fake.interact({ command: "slow-broken" });
    expect(((await it1.acknowledged()).body as { type: number }).type).toBe(5);
    const reply = await it1.reply();
    expect(reply.request.method).toBe("POST");
    expect(reply.request.path).toBe(`/webhooks/${h.fake.applicationId}/${it1.token}`);
    expect(reply).toMatchObject({ ephemeral: true, content: "Sorry, /slow-broken failed. The error was logged; please try again later." });
    expect(it1.originalDeleted).toBe(true);
  });

  it("cuts a reply over 2000 characters cleanly", async () => {
    addCommand({
      data: new SlashCommandBuilder().setName("long").setDescription("test"),
      async execute(interaction) {
        const { respond } = await import("../../src/adapters/discord/outgoing.ts");
        await respond(interaction, Array.from({ length: 300 }, (_, i) => `line ${i} is here`).join("\n"));
      },
    });
    const reply = await h.fake.interact({ command: "long" }).reply();
    expect(reply.content.length).toBeLessThanOrEqual(2000);
    expect(reply.content).toMatch(/line \d+ is here…$/);
  });

  it("answers an unknown command with an ephemeral line", async () => {
    const reply = await h.fake.interact({ command: "nope" }).reply();
    expect(reply).toMatchObject({ ephemeral: true });
    expect(reply.content).toMatch(/^I don't know \/nope\./);
  });
});

describe("chat", () => {
  it("answers a mention: typing, the channel's recent history, a reply that pings nobody", async () => {
    const channel = h.fake.channelId;
    h.fake.seedHistory(channel, [{ content: "good morning" }, { content: "the weather is nice", author: h.fake.bob }]);
    const said = h.fake.say({ content: `<@${h.fake.botUser.id}> hello there` });
    const reply = await h.fake.waitForRequest(
      (r) =>
        channelMessagePosts(channel)(r) &&
        (r.body as { message_reference?: { message_id?: string } }).message_reference?.message_id === said.id,
    );
    const typing = h.fake.requests.findIndex((r) => r.method === "POST" && r.path === `/channels/${channel}/typing`);
    const fetch = h.fake.requests.find(
      (r) => r.method === "GET" && r.path === `/channels/${channel}/messages` && r.query.get("before") === said.id,
    );
    expect(typing).toBeGreaterThanOrEqual(0);
    expect(typing).toBeLessThan(h.fake.requests.indexOf(reply));
    expect(fetch?.query.get("limit")).toBe(String(HISTORY_MESSAGES));
    const body = reply.body as { content: string; allowed_mentions: unknown };
    expect(body.allowed_mentions).toEqual({ parse: [], replied_user: false });
    expect(body.content.length).toBeGreaterThan(0);
    expect(h.fake.pingsOf(reply.body)).toEqual({ everyone: false, users: [], roles: [], repliedUser: false });
  });

  it("never pings, even when the model writes @everyone and a user mention", async () => {
    h.registry.override = scriptedHandle(`@everyone hi <@${h.fake.alice.id}>`);
    try {
      const said = h.fake.say({ content: `hey <@${h.fake.botUser.id}>` });
      const reply = await h.fake.waitForRequest(
        (r) => (r.body as { message_reference?: { message_id?: string } })?.message_reference?.message_id === said.id,
      );
      const body = reply.body as { content: string };
      expect(body.content).toBe(`@\u200beveryone hi <@\u200b${h.fake.alice.id}>`);
      expect(h.fake.pingsOf(reply.body)).toEqual({ everyone: false, users: [], roles: [], repliedUser: false });
      expect((reply.response as { mention_everyone: boolean }).mention_everyone).toBe(false);
    } finally {
      h.registry.override = undefined;
    }
  });

  it("says a friendly line when the model writes nothing", async () => {
    h.registry.override = scriptedHandle("");
    try {
      const said = h.fake.say({ content: `<@${h.fake.botUser.id}> 今日はどう？` });
      const reply = await h.fake.waitForRequest(
        (r) => (r.body as { message_reference?: { message_id?: string } })?.message_reference?.message_id === said.id,
      );
      expect((reply.body as { content: string }).content).toBe(SENTENCES.ja.chatFallback);
    } finally {
      h.registry.override = undefined;
    }
  });

  it("ignores messages that do not mention it, and other bots", async () => {
    const otherBot = { ...h.fake.bob, id: "111111111111111111", username: "otherbot", bot: true };
    const ignored1 = h.fake.say({ content: "just chatting, no mention" });
    const ignored2 = h.fake.say({ content: `<@${h.fake.botUser.id}> from a bot`, author: otherBot });
    const ignored3 = h.fake.say({ content: "@everyone look" });
    const answered = h.fake.say({ content: `<@${h.fake.botUser.id}> you there?` });
    await h.fake.waitForRequest(
      (r) => (r.body as { message_reference?: { message_id?: string } })?.message_reference?.message_id === answered.id,
    );
    const repliedTo = h.fake.requests.map(
      (r) => (r.body as { message_reference?: { message_id?: string } } | undefined)?.message_reference?.message_id,
    );
    for (const m of [ignored1, ignored2, ignored3]) expect(repliedTo).not.toContain(m.id);
  });

  it("answers from the message alone where it may not read the history", async () => {
    const channel = h.fake.channelId;
    h.fake.denyBotInChannel(channel, Permission.ReadMessageHistory);
    try {
      const said = h.fake.say({ content: `<@${h.fake.botUser.id}> can you read?` });
      await h.fake.waitForRequest(
        (r) => (r.body as { message_reference?: { message_id?: string } })?.message_reference?.message_id === said.id,
      );
      expect(h.fake.requests.some((r) => r.method === "GET" && r.query.get("before") === said.id)).toBe(false);
      expect(h.logs.some((l) => l.message.startsWith("no Read Message History here") && l.context?.channel === channel)).toBe(true);
    } finally {
      h.fake.denyBotInChannel(channel, 0n);
    }
  });

  it("answers DMs with the default model", async () => {
    const said = h.fake.say({ content: "hello in private", dm: true, author: h.fake.bob });
    const reply = await h.fake.waitForRequest(
      (r) => (r.body as { message_reference?: { message_id?: string } })?.message_reference?.message_id === said.id,
    );
    expect(reply.path).toBe(`/channels/${said.channel_id}/messages`);
    expect(h.fake.pingsOf(reply.body).repliedUser).toBe(false);
  });
});

describe("the gateway connection", () => {
  it("connected with JSON encoding and no compression", () => {
    expect(h.fake.gateway.connections[0]).toBe("/gateway?v=10&encoding=json");
    const identify = h.fake.gateway.received.find((r) => r.payload.op === 2)!.payload.d as { intents: number; shard: number[] };
    expect(identify.shard).toEqual([0, 1]);
    // Guilds | GuildMessages | DirectMessages | MessageContent
    expect(identify.intents).toBe((1 << 0) | (1 << 9) | (1 << 12) | (1 << 15));
  });

  it("answers a heartbeat request and gets the ACK", async () => {
    const [session] = await h.fake.waitForSessions();
    const before = h.fake.gateway.received.length;
    h.fake.gateway.send(session, { op: 1, d: null });
    await new Promise<void>((resolve) => {
      const stop = h.fake.gateway.onReceive((r) => {
        if (r.payload.op === 1) {
          stop();
          resolve();
        }
      });
    });
    expect(h.fake.gateway.received.slice(before).some((r) => r.payload.op === 1)).toBe(true);
  });

  it("resumes after a dropped connection and receives what it missed", async () => {
    const [session] = await h.fake.waitForSessions();
    const resumed = new Promise<void>((resolve) => {
      const stop = h.fake.gateway.onReceive((r) => {
        if (r.payload.op === 6) {
          stop();
          resolve();
        }
      });
    });
    h.fake.gateway.disconnect(session, 4000);
    // dispatched while the socket is down: replayed on RESUME
    const it1 = h.fake.interact({ command: "predict", options: { text: "after resume", k: 3 } });
    await resumed;
    const resume = h.fake.gateway.received.filter((r) => r.payload.op === 6).pop()!.payload.d as { session_id: string; seq: number };
    expect(resume.session_id).toBe(session.id);
    expect(h.fake.gateway.connections.at(-1)).toBe("/gateway-resume?v=10&encoding=json");
    expect(session.resumed).toBe(1);
    const reply = await it1.reply();
    expect(reply.content).toMatch(/^Most likely next tokens after “after resume”/);
  });
});

describe("every message the bot sent", () => {
  it("carried allowed_mentions with parse []", () => {
    const sent = h.fake.messagesSent();
    expect(sent.length).toBeGreaterThan(20);
    for (const request of sent) {
      const body = (request.path.endsWith("/callback") ? (request.body as { data: unknown }).data : request.body) as {
        allowed_mentions?: { parse?: unknown };
      };
      expect(body.allowed_mentions?.parse, `${request.method} ${request.path}`).toEqual([]);
    }
  });
});
