/**
 * The bot's store-touching behaviour through the fake Discord, on each store with identical
 * expectations: SQLite (the default, a file) and PostgreSQL (DATABASE_URL, a server this file
 * starts from Debian's postgresql package; skipped, saying why, when it is not installed).
 * Two servers: /train collects #general of the first into the store and installs a model that
 * answers there; /model list and use; /forget-me; deletes and edits on Discord; nothing of the
 * first server reaches the second.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AsyncStore } from "../../src/store/async-store.ts";
import { MEMBER_PERMISSIONS, Permission, type FakeInteraction, type RecordedRequest } from "../fake-discord/index.ts";
import { findPostgres, startPostgres, type TestPostgres } from "../helpers/postgres-server.ts";
import { type Harness, startHarness } from "./harness.ts";

const ADMIN = MEMBER_PERMISSIONS | Permission.ManageGuild;
const STEPS = 20;
const TOPICS = ["cats", "the weather", "lunch", "trains", "music", "the garden", "tea", "books"];
const human = (i: number) => `message ${i}: I think ${TOPICS[i % TOPICS.length]} ${i % 3 === 0 ? "are great" : "is nice"} today!`;

const postgres = findPostgres();
if ("missing" in postgres) console.warn(`the bot's PostgreSQL runs are skipped: ${postgres.missing}`);
let server: TestPostgres | undefined;

beforeAll(async () => {
  if ("bin" in postgres) server = await startPostgres(postgres);
}, 120_000);
afterAll(async () => {
  await server?.stop();
});

const BACKENDS = [
  { name: "SQLite", skip: false, databaseUrl: async (): Promise<string | undefined> => undefined },
  { name: "PostgreSQL", skip: "missing" in postgres, databaseUrl: async () => server!.newDatabase() },
];

describe.each(BACKENDS)("the bot on $name", ({ skip, databaseUrl }) => {
  let h: Harness;
  let store: AsyncStore;
  let guild1: string;
  let guild2: string;

  beforeAll(async () => {
    if (skip) return;
    h = await startHarness({ guilds: 2, databaseUrl: await databaseUrl(), training: { steps: STEPS, evalInterval: 10, evalBatches: 2 } });
    store = h.bot.store;
    guild1 = h.fake.guilds[0].id;
    guild2 = h.fake.guilds[1].id;
    // #general of the first server: alice and bob take turns; the second server: one stored message of alice's
    h.fake.seedHistory(
      h.fake.channelId,
      Array.from({ length: 200 }, (_, i) => ({ content: human(i), author: i % 2 ? h.fake.alice : h.fake.bob })),
    );
    await store.messages.add({
      id: "7001",
      guildId: guild2,
      channelId: h.fake.guilds[1].channels[0].id,
      authorId: h.fake.alice.id,
      text: "alice in the second server",
      createdAt: 1000,
    });
  }, 120_000);
  afterAll(async () => {
    await h?.stop();
  });

  const interact = (command: string, subcommand: string | undefined, options: Record<string, string> = {}, guildId = guild1) =>
    h.fake.interact({ command, ...(subcommand && { subcommand }), options, memberPermissions: ADMIN, guildId });

  /** The first edit of the interaction's reply whose content matches. */
  const editMatching = (it1: FakeInteraction, pattern: RegExp, what: string): Promise<RecordedRequest> =>
    h.fake.waitForRequest(
      (r) =>
        r.method === "PATCH" &&
        r.path.includes(`/${it1.token}/messages/@original`) &&
        pattern.test((r.body as { content?: string })?.content ?? ""),
      what,
      60_000,
    );

  it.skipIf(skip)("/train collects the channel into the store, trains, and installs a model that answers in that server only", async () => {
    const it1 = interact("train", "start", { channels: `<#${h.fake.channelId}>`, preset: "tiny" });
    await editMatching(it1, /^✅ Training finished/, "the final /train edit");
    // 1. the messages read, stored oldest first, in the first server only
    const texts = await store.messages.texts(guild1);
    expect(texts).toHaveLength(200);
    expect(texts[0]).toBe(human(0));
    expect(await store.messages.texts(guild2)).toEqual(["alice in the second server"]);
    // 2. the run with its loss points, and the model it installed
    const run = (await store.runs.latest(guild1))!;
    expect(run.status).toBe("done");
    expect((await store.runs.points(guild1, run.id)).at(-1)?.step).toBe(STEPS);
    expect((await store.models.latestInfo(guild1))?.runId).toBe(run.id);
    expect(await store.runs.latest(guild2)).toBeUndefined();
    // 3. it answers in the first server: /model and a mention; the second keeps the shipped model
    const shown = await interact("model", "show").reply();
    expect(shown.content.split("\n")[0]).toBe("**server model #1**: this server's own model, trained here on 200 messages.");
    const said = h.fake.say({ content: `<@${h.fake.botUser.id}> what about cats?` });
    await h.fake.waitForRequest(
      (r) => (r.body as { message_reference?: { message_id?: string } })?.message_reference?.message_id === said.id,
      "the chat reply",
    );
    expect((await h.registry.forGuild(guild1)).name).toBe("server model #1");
    expect((await interact("model", "show", {}, guild2).reply()).content.split("\n")[0]).toMatch(/^\*\*default model\*\*/);
  });

  it.skipIf(skip)("/model list marks the model answering; /model use switches, and the choice is stored", async () => {
    const listed = (await interact("model", "list").reply()).content.split("\n");
    expect(listed[0]).toBe("Models of this server (▶ answers now):");
    expect(listed.find((l) => l.startsWith("▶"))).toMatch(/^▶ #1 — trained here/);
    expect((await interact("model", "use", { ref: "default" }).reply()).content).toBe("default answers here from now on (instead of #1).");
    expect(await store.models.chosen(guild1)).toEqual({ kind: "shipped" });
    expect((await h.registry.forGuild(guild1)).identity?.kind).toBe("shipped");
    expect((await interact("model", "use", { ref: "#1" }).reply()).content).toBe("#1 answers here from now on (instead of default).");
    expect(await store.models.chosen(guild1)).toEqual({ kind: "stored", modelId: 1 });
    // the second server has no model #1
    expect((await interact("model", "list", {}, guild2).reply()).content).not.toMatch(/#1/);
    expect(await store.models.chosen(guild2)).toBeUndefined();
  });

  it.skipIf(skip)("/forget-me deletes the asker's messages in that server only, and says the model learned from them", async () => {
    const reply = await interact("forget-me", undefined).reply(); // alice
    expect(reply.ephemeral).toBe(true);
    expect(reply.content).toMatch(
      /^Deleted 100 stored messages of yours in this server\. The current model of this server was trained on them/,
    );
    const left = await store.messages.recent(guild1, { limit: 1000 });
    expect(left).toHaveLength(100);
    expect(left.every((m) => m.authorId === h.fake.bob.id)).toBe(true);
    expect(await store.messages.texts(guild2)).toEqual(["alice in the second server"]);
    expect((await interact("forget-me", undefined).reply()).content).toMatch(/^I had no stored messages of yours in this server\./);
  });

  it.skipIf(skip)("a message deleted on Discord leaves the store; one edited twice keeps its last text", async () => {
    const [deleted, edited] = (await store.messages.recent(guild1, { limit: 2 })).map((m) => m.id);
    const session = h.fake.gateway.sessionFor(guild1);
    h.fake.gateway.dispatch(session, "MESSAGE_DELETE", { id: deleted, channel_id: h.fake.channelId, guild_id: guild1 });
    for (const content of ["first edit", "second edit"])
      h.fake.gateway.dispatch(session, "MESSAGE_UPDATE", {
        id: edited,
        channel_id: h.fake.channelId,
        guild_id: guild1,
        content,
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
    const deadline = Date.now() + 10_000;
    for (;;) {
      const gone = (await store.messages.get(guild1, deleted)) === undefined;
      const text = (await store.messages.get(guild1, edited))?.text;
      if (gone && text === "second edit") break;
      if (Date.now() > deadline) throw new Error(`after 10 s: deleted message gone ${gone}, edited message's text ${JSON.stringify(text)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(await store.messages.count(guild1)).toBe(99);
    expect(await store.messages.texts(guild2)).toEqual(["alice in the second server"]);
  });
});
