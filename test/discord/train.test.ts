/**
 * /train end to end against the fake Discord, with two guilds: reading the history page by page,
 * training the tiny preset for a few steps in a worker thread, installing the model for that
 * guild only; the refusals; one training per guild; stop keeps the last checkpoint; /model
 * afterwards (also from a fresh registry, as after a restart).
 */
import { loadImage } from "@napi-rs/canvas";
import type { TextChannel } from "discord.js";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { guildModelReport } from "../../src/app/guild-model.ts";
import { ModelRegistry } from "../../src/app/model-registry.ts";
import { corpusRequirement } from "../../src/app/training-limits.ts";
import { MEMBER_PERMISSIONS, Permission, type FakeInteraction, type RecordedRequest, type ShownMessage } from "../fake-discord/index.ts";
import { makeUser } from "../fake-discord/entities.ts";
import { type Harness, startHarness } from "./harness.ts";

const ADMIN = MEMBER_PERMISSIONS | Permission.ManageGuild;
/** Few steps, frequent evaluations: a run takes about a second after the worker has started. */
const STEPS = 30;

let h: Harness;
let guild1: string;
let guild2: string;
let general: string;
let random: string;

const TOPICS = ["cats", "the weather", "lunch", "trains", "music", "the garden", "tea", "books"];
const human = (i: number) => `message ${i}: I think ${TOPICS[i % TOPICS.length]} ${i % 3 === 0 ? "are great" : "is nice"} today!`;

beforeAll(async () => {
  h = await startHarness({ guilds: 2, training: { steps: STEPS, evalInterval: 10, evalBatches: 2 } });
  guild1 = h.fake.guilds[0].id;
  guild2 = h.fake.guilds[1].id;
  general = h.fake.channelId;
  random = h.fake.addChannel("random").id;
  const otherBot = makeUser("helperbot", { bot: true });
  // #general: 300 people's messages, with bots, system messages and empty ones mixed in
  const seeded: { author?: typeof otherBot; content: string; type?: number }[] = [];
  for (let i = 0; i < 300; i++) {
    seeded.push({ content: human(i), author: i % 2 ? h.fake.alice : h.fake.bob });
    if (i % 15 === 0) seeded.push({ content: `BOTSAYS beep ${i}`, author: otherBot });
    if (i % 30 === 0) seeded.push({ content: `SYSTEM joined ${i}`, type: 7 });
    if (i % 30 === 15) seeded.push({ content: "" });
  }
  h.fake.seedHistory(general, seeded);
  h.fake.seedHistory(
    random,
    Array.from({ length: 150 }, (_, i) => ({ content: `random ${i}: こんにちは、今日は${TOPICS[i % TOPICS.length]}の話` })),
  );
  // guild 2: only a few messages
  h.fake.seedHistory(h.fake.guilds[1].channels[0].id, [{ content: "hi" }, { content: "hello" }, { content: "hey there" }]);
});

afterAll(async () => {
  await h?.stop();
});

function train(
  subcommand: "start" | "status" | "stop",
  options: Record<string, string | number> = {},
  extra: { guildId?: string; locale?: string; memberPermissions?: bigint } = {},
): FakeInteraction {
  return h.fake.interact({ command: "train", subcommand, options, memberPermissions: ADMIN, ...extra });
}

async function refusal(it1: FakeInteraction): Promise<string> {
  const reply = await it1.reply();
  expect(reply.ephemeral).toBe(true);
  expect(reply.files).toHaveLength(0);
  return reply.content;
}

/** A refusal after the public deferral: the "thinking…" message is deleted and an ephemeral follow-up says why. */
async function lateRefusal(it1: FakeInteraction): Promise<string> {
  const followUp = await h.fake.waitForRequest(
    (r) => r.method === "POST" && r.path === `/webhooks/${h.fake.applicationId}/${it1.token}`,
    "an ephemeral follow-up",
  );
  const body = followUp.body as { content: string; flags: number; allowed_mentions: unknown };
  expect(body.flags & 64).toBe(64);
  expect(body.allowed_mentions).toEqual({ parse: [], replied_user: false });
  expect(it1.originalDeleted).toBe(true);
  return body.content;
}

/** The first edit of the interaction's reply whose content matches. */
function editMatching(it1: FakeInteraction, pattern: RegExp, what: string): Promise<RecordedRequest> {
  return h.fake.waitForRequest(
    (r) =>
      r.method === "PATCH" &&
      r.path.includes(`/${it1.token}/messages/@original`) &&
      pattern.test((r.body as { content?: string })?.content ?? ""),
    what,
    60_000,
  );
}

const historyFetches = (channelId: string) =>
  h.fake.requests.filter((r) => r.method === "GET" && r.path === `/channels/${channelId}/messages`);

async function pngSize(data: Uint8Array): Promise<{ width: number; height: number }> {
  const image = await loadImage(data);
  return { width: image.width, height: image.height };
}

describe("/train refusals", () => {
  it("needs Manage Server", async () => {
    const content = await refusal(train("start", {}, { memberPermissions: MEMBER_PERMISSIONS }));
    expect(content).toBe("You need the **Manage Server** permission to use this command.");
  });

  it("is registered for admins only, with Japanese names for the subcommands and every option", () => {
    const registered = h.fake.commands.get("global")!.find((c) => c.name === "train") as {
      default_member_permissions: string;
      name_localizations: Record<string, string>;
      options: {
        name: string;
        type: number;
        name_localizations: Record<string, string>;
        description_localizations: Record<string, string>;
        options?: { name: string; name_localizations: Record<string, string>; description_localizations: Record<string, string> }[];
      }[];
    };
    expect(registered.default_member_permissions).toBe(String(Permission.ManageGuild));
    expect(registered.name_localizations).toEqual({ ja: "学習" });
    expect(registered.options.map((o) => [o.name, o.type, o.name_localizations.ja])).toEqual([
      ["start", 1, "開始"],
      ["status", 1, "状況"],
      ["stop", 1, "停止"],
    ]);
    const start = registered.options[0].options!;
    expect(start.map((o) => o.name)).toEqual(["channels", "max_messages", "minutes", "preset", "base", "resume"]);
    for (const o of start) {
      expect(o.name_localizations.ja, o.name).toBeTruthy();
      expect(o.description_localizations.ja, o.name).toBeTruthy();
    }
  });

  it("says in its preset choices how much text each preset needs, before anything is read (en and ja)", () => {
    const registered = h.fake.commands.get("global")!.find((c) => c.name === "train") as {
      options: { options?: { name: string; choices?: { name: string; value: string; name_localizations?: Record<string, string> }[] }[] }[];
    };
    const preset = registered.options[0].options!.find((o) => o.name === "preset")!;
    const byValue = Object.fromEntries(preset.choices!.map((c) => [c.value, c]));
    for (const [value, need] of Object.entries({ tiny: corpusRequirement("tiny"), baby: corpusRequirement("baby") })) {
      const characters = need.characters.toLocaleString("en-US");
      expect(byValue[value].name).toContain(`needs 10+ messages, ${characters}+ characters`);
      expect(byValue[value].name_localizations?.ja).toContain(`10 件・${characters} 文字以上が必要`);
      expect(byValue[value].name.length).toBeLessThanOrEqual(100); // Discord's limit for a choice's name
    }
    expect(corpusRequirement("baby").characters).toBe(1302);
  });

  it("needs Read Message History in each channel it reads", async () => {
    const canRead = () =>
      (h.bot.client.channels.cache.get(random) as TextChannel | undefined)?.permissionsFor(h.bot.client.user)?.has("ReadMessageHistory");
    h.fake.denyBotInChannel(random, Permission.ReadMessageHistory);
    try {
      // wait until the bot has seen the overwrite (CHANNEL_UPDATE)
      await vi.waitFor(() => expect(canRead()).toBe(false));
      const content = await refusal(train("start", { channels: `<#${general}> <#${random}>` }));
      expect(content).toBe(
        `I need the **Read Message History** permission in <#${random}> to read its history. Please ask a server admin to give it to me.`,
      );
      const here = await refusal(
        h.fake.interact({
          command: "train",
          subcommand: "start",
          memberPermissions: ADMIN,
          appPermissions: MEMBER_PERMISSIONS & ~Permission.ReadMessageHistory,
          locale: "ja",
        }),
      );
      expect(here).toBe(
        `<#${general}> の履歴を読むには、ボットに「メッセージ履歴を読む」の権限が必要です。サーバー管理者に付与を依頼してください。`,
      );
    } finally {
      h.fake.denyBotInChannel(random, 0n);
    }
    await vi.waitFor(() => expect(canRead()).toBe(true));
    expect(historyFetches(general)).toHaveLength(0);
  });

  it("names a channel it cannot find", async () => {
    expect(await refusal(train("start", { channels: "#nowhere" }))).toBe(
      "I can't find the channel `#nowhere` in this server. Give channels as #mentions, separated by spaces.",
    );
  });

  it("refuses options out of range (Discord checks them too)", async () => {
    expect(await refusal(train("start", { minutes: 99 }))).toBe("minutes must be a whole number from 1 to 10 (you gave 99).");
    expect(await refusal(train("start", { max_messages: 5 }, { locale: "ja" }))).toBe(
      "最大メッセージ数（max_messages）には 50〜20000 の整数を指定してください（指定された値: 5）。",
    );
  });

  it("says how much text is missing, with the numbers, and leaves the guild's model alone", async () => {
    const it1 = train("start", {}, { guildId: guild2 });
    const content = await lateRefusal(it1);
    expect(content).toBe(
      "Not enough text to learn from: 3 messages with 16 characters are stored for this server (3 read just now). " +
        "The baby preset needs at least 10 messages and 1,302 characters: add channels or raise max_messages.",
    );
    expect(h.training.current(guild2)).toBeUndefined();
    expect((await h.registry.forGuild(guild2)).name).toBe("default model");
    expect(await h.bot.store.runs.latest(guild2)).toBeUndefined();
  });
});

describe("/train start", () => {
  let final: RecordedRequest;
  let it1: FakeInteraction;

  it("reads the channels page by page, trains in a worker, and installs the model for this guild only", async () => {
    expect((await h.registry.forGuild(guild1)).name).toBe("default model");
    const before2 = await h.registry.forGuild(guild2);

    it1 = train("start", { channels: `<#${general}>, <#${random}>`, preset: "tiny" });
    expect(((await it1.acknowledged()).body as { type: number }).type).toBe(5);
    final = await editMatching(it1, /^✅ Training finished/, "the final /train edit");

    // 1. the history: every page asked for 100 messages before the oldest of the previous page
    for (const channel of [general, random]) {
      const fetches = historyFetches(channel);
      expect(fetches.length).toBeGreaterThanOrEqual(2);
      expect(fetches.every((r) => r.query.get("limit") === "100")).toBe(true);
      expect(fetches[0].query.get("before")).toBe(it1.id);
      for (let i = 1; i < fetches.length; i++) {
        const previous = fetches[i - 1].response as { id: string }[];
        const oldest = previous.reduce((min, m) => (BigInt(m.id) < BigInt(min) ? m.id : min), previous[0].id);
        expect(fetches[i].query.get("before")).toBe(oldest);
      }
    }
    expect(historyFetches(general)).toHaveLength(4); // 340 messages: 100 + 100 + 100 + 40
    expect(historyFetches(random)).toHaveLength(2); // 150: 100 + 50

    // 2. only people's messages with text were stored
    const texts = await h.bot.store.messages.texts(guild1);
    expect(texts).toHaveLength(450);
    expect(texts.some((t) => /BOTSAYS|SYSTEM/.test(t))).toBe(false);
    expect(texts.every((t) => t.trim().length > 0)).toBe(true);
    expect(texts[0]).toBe(human(0)); // oldest first
    expect(await h.bot.store.messages.count(guild1, random)).toBe(150);

    // 3. the new model answers in guild 1; guild 2 keeps its model
    const model1 = await h.registry.forGuild(guild1);
    expect(model1.name).toBe("server model #1");
    expect(model1.meta.step).toBe(STEPS);
    expect(model1.meta.preset).toBe("tiny");
    expect(model1.tokenizer.kind).toBe("charbpe");
    // the kana of #random's messages are whole tokens, not byte-fallback pieces (ids 0…255)
    const kana = model1.tokenizer.encode("こんにちは").ids;
    expect(kana.length).toBeLessThanOrEqual(5);
    expect(kana.every((id) => id > model1.tokenizer.eotId)).toBe(true);
    expect(await h.registry.forGuild(guild2)).toBe(before2);
    expect(await h.registry.hasOwnModel(guild2)).toBe(false);

    // 4. the run and its loss points are in the store
    const run = (await h.bot.store.runs.latest(guild1))!;
    expect(run.status).toBe("done");
    const points = await h.bot.store.runs.points(guild1, run.id);
    expect(points.at(-1)?.step).toBe(STEPS);
    expect(points.filter((p) => p.valLoss !== null).length).toBeGreaterThanOrEqual(3);
    expect((await h.bot.store.models.latestInfo(guild1))?.runId).toBe(run.id);
    expect(h.training.current(guild1)).toBeUndefined();
  });

  it("said so in the reply, with the final loss curve, pinging nobody", async () => {
    const content = (final.body as { content: string }).content;
    expect(content).toMatch(
      new RegExp(
        `^✅ Training finished: ${STEPS} steps in .+, val loss \\d+\\.\\d{3}\\. This server now uses its new model \\(server model #1\\): mention me to chat with it!$`,
      ),
    );
    expect(final.files.map((f) => f.filename)).toEqual(["loss.png"]);
    const size = await pngSize(final.files[0].data);
    expect(size.width).toBeGreaterThan(500);
    expect(size.height).toBeGreaterThan(300);
    const edits = h.fake.requests.filter((r) => r.path.includes(`/${it1.token}`));
    for (const edit of edits.filter((r) => r.method === "PATCH"))
      expect((edit.body as { allowed_mentions: unknown }).allowed_mentions).toEqual({ parse: [], replied_user: false });
  });

  it("chat now answers with the guild's model", async () => {
    const said = h.fake.say({ content: `<@${h.fake.botUser.id}> what about cats?` });
    const reply = await h.fake.waitForRequest(
      (r) => (r.body as { message_reference?: { message_id?: string } })?.message_reference?.message_id === said.id,
    );
    expect(h.fake.pingsOf(reply.body)).toEqual({ everyone: false, users: [], roles: [], repliedUser: false });
  });

  it("/model shows the server's own model with its training's loss curve, also after a restart", async () => {
    const it2 = h.fake.interact({ command: "model", subcommand: "show" });
    const reply: ShownMessage = await it2.reply();
    const lines = reply.content.split("\n");
    expect(lines[0]).toBe("**server model #1**: this server's own model, trained here on 450 messages.");
    expect(lines[1]).toMatch(
      /^tiny preset · [\d,]+ parameters · 2 layers × 2 heads, 16 wide, context of 16 tokens · character BPE tokenizer with [\d,]+ tokens$/,
    );
    expect(lines[2]).toMatch(
      new RegExp(
        `^Trained ${STEPS} steps · [\\d,]+ tokens seen · in \\d+ s · val loss \\d\\.\\d{3} · train loss \\d\\.\\d{3} · made <t:\\d+:R>$`,
      ),
    );
    expect(lines[3]).toMatch(/^Loss curve: the training run's records \(\d+ points\)\.$/);
    expect(reply.files.map((f) => f.filename)).toEqual(["model.png", "loss.png"]);
    for (const f of reply.files) expect((await pngSize(f.data)).width).toBeGreaterThan(500);

    // a new registry on the same store: nothing cached, the curve comes from the run's points
    const fresh = new ModelRegistry({ models: h.bot.store.models, defaultModelPath: h.config.defaultModelPath });
    const report = await guildModelReport(fresh, h.bot.store, guild1);
    expect(report.own).toBe(true);
    expect(report.curveSource).toBe("run");
    expect(report.curve.at(-1)?.step).toBe(STEPS);
    const other = await guildModelReport(fresh, h.bot.store, guild2);
    expect(other.own).toBe(false);
  });
});

describe("/train while one is running", () => {
  it("refuses a second training, shows the status, and stop keeps the last checkpoint", async () => {
    h.training.overrides = { steps: 10_000_000, evalInterval: 25, evalBatches: 2 };
    const it1 = train("start", { preset: "tiny", max_messages: 200 });
    await it1.acknowledged();
    // wait (without a time limit in the assertion) until the worker has evaluated at least once
    await vi.waitFor(() => expect(h.training.current(guild1)?.lastCheckpoint?.step ?? 0).toBeGreaterThan(0), {
      timeout: 60_000,
      interval: 50,
    });

    // 1. one training per guild
    const second = await refusal(train("start", { preset: "tiny" }));
    expect(second).toMatch(
      /^A training is already running in this server \(one at a time\):\n🧠 Training this server's model \(tiny preset, 5 min\) on [\d,]+ messages/,
    );
    expect(second).toMatch(/step \*\*[\d,]+\*\* \/ 10,000,000 · loss \d\.\d{3}/);
    expect(second.endsWith("Use `/train status` to follow it or `/train stop` to stop it.")).toBe(true);
    // …but another guild is not blocked by it (it is refused for its own reason)
    expect(await lateRefusal(train("start", {}, { guildId: guild2 }))).toMatch(/^Not enough text to learn from/);

    // 2. status: the progress and the live curve, only for the asker
    const status = await train("status", {}, { locale: "ja" }).reply();
    expect(status.ephemeral).toBe(true);
    expect(status.content).toMatch(/^🧠 このサーバーのモデルを学習しています（プリセット tiny、5 分）: メッセージ [\d,]+ 件/);
    expect(status.files.map((f) => f.filename)).toEqual(["loss.png"]);
    expect((await pngSize(status.files[0].data)).width).toBeGreaterThan(500);

    // 3. stop: the worker ends after its step; the last checkpoint becomes the guild's model
    const stop = train("stop");
    expect(((await stop.acknowledged()).body as { type: number }).type).toBe(5);
    const stopped = await stop.reply();
    const model = await h.registry.forGuild(guild1);
    expect(model.name).toBe("server model #2");
    expect(stopped.content).toBe(
      `⏹️ Training stopped at step ${model.meta.step.toLocaleString("en-US")} of 10,000,000. The last checkpoint (step ${model.meta.step.toLocaleString("en-US")}, val loss ${model.meta.valLoss!.toFixed(3)}) is now this server's model (server model #2).`,
    );
    expect(model.meta.step).toBeGreaterThan(0);
    expect((await h.bot.store.runs.latest(guild1))?.status).toBe("stopped");
    const original = await editMatching(it1, /^⏹️ Training stopped at step/, "the /train message's final edit");
    expect(original.files.map((f) => f.filename)).toEqual(["loss.png"]);
    expect((await h.registry.forGuild(guild2)).name).toBe("default model");
    expect(h.training.current(guild1)).toBeUndefined();
  });

  it("status and stop say when nothing is running", async () => {
    const status = await refusal(train("status"));
    expect(status).toMatch(/^No training is running\. The last one ended \(stopped\) <t:\d+:R> after [\d,]+ steps\.$/);
    expect(await refusal(train("stop", {}, { guildId: guild2 }))).toBe(
      "No training is running, and this server has never trained a model. An admin can start one with `/train start`.",
    );
  });
});

describe("every message the bot sent", () => {
  it("carried allowed_mentions with parse []", () => {
    const sent = h.fake.messagesSent();
    expect(sent.length).toBeGreaterThan(10);
    for (const request of sent) {
      const body = (request.path.endsWith("/callback") ? (request.body as { data: unknown }).data : request.body) as {
        allowed_mentions?: { parse?: unknown };
      };
      expect(body.allowed_mentions?.parse, `${request.method} ${request.path}`).toEqual([]);
    }
  });
});
