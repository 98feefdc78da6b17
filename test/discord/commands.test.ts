/**
 * /attention, /generate, /trace, /tokens and /model end to end: the real bot against the fake
 * Discord, on the tiny default model. Pictures are decoded to check they are real PNGs.
 */
import { loadImage } from "@napi-rs/canvas";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FakeInteraction, ShownMessage } from "../fake-discord/index.ts";
import { type Harness, median, startHarness } from "./harness.ts";
import { scriptedHandle } from "./tiny-model.ts";

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h?.stop();
});

async function pictureSize(reply: ShownMessage, name: string): Promise<{ width: number; height: number }> {
  const file = reply.files.find((f) => f.filename === name);
  expect(file, `attachment ${name}`).toBeDefined();
  const image = await loadImage(file!.data);
  return { width: image.width, height: image.height };
}

/** The deferral first (type 5, public), then the edit of the original with the answer. */
async function deferredReply(it1: FakeInteraction): Promise<ShownMessage> {
  const ack = await it1.acknowledged();
  expect((ack.body as { type: number }).type).toBe(5);
  const reply = await it1.reply();
  expect(reply.request.method).toBe("PATCH");
  expect(reply.ephemeral).toBe(false);
  return reply;
}

/** A refusal: the first callback, ephemeral, one line, no files. */
async function refusal(it1: FakeInteraction): Promise<string> {
  const reply = await it1.reply();
  expect(reply.request.path.endsWith("/callback")).toBe(true);
  expect((reply.request.body as { type: number }).type).toBe(4);
  expect(reply.ephemeral).toBe(true);
  expect(reply.files).toHaveLength(0);
  expect(reply.content.split("\n")).toHaveLength(1);
  return reply.content;
}

describe("/attention", () => {
  it("draws every layer × head when no head is given", async () => {
    const reply = await deferredReply(h.fake.interact({ command: "attention", options: { text: "hello world" } }));
    expect(reply.content).toBe(
      "Attention of all 2 layers × 2 heads for “hello world” (default model). Add layer and head to see one of them large.",
    );
    const size = await pictureSize(reply, "attention.png");
    expect(size.width).toBeGreaterThanOrEqual(1000);
    expect(size.height).toBeGreaterThan(200);
  });

  it("draws one head large when a head is given (layer 0 by default)", async () => {
    const one = await deferredReply(h.fake.interact({ command: "attention", options: { text: "hello world", layer: 1, head: 1 } }));
    expect(one.content).toMatch(/^Attention of layer 1, head 1 for “hello world” \(default model\)/);
    const defaultLayer = await deferredReply(h.fake.interact({ command: "attention", options: { text: "hello", head: 0 } }));
    expect(defaultLayer.content).toMatch(/^Attention of layer 0, head 0/);
    const size = await pictureSize(defaultLayer, "attention.png");
    expect(size.width).toBeGreaterThanOrEqual(1000);
    expect(size.height).toBeGreaterThan(300);
  });

  it("answers in Japanese", async () => {
    const reply = await deferredReply(
      h.fake.interact({ command: "attention", options: { text: "こんにちは", layer: 0, head: 1 }, locale: "ja" }),
    );
    expect(reply.content).toMatch(/^「こんにちは」のレイヤー 0・ヘッド 1 のアテンション（既定のモデル）/);
  });

  it.each([
    [{ layer: 2, head: 0 }, "en-US", "Layer 2 does not exist: this model has layers 0–1."],
    [{ layer: 7 }, "ja", "レイヤー 7 はありません。このモデルのレイヤーは 0〜1 です。"],
    [{ head: 5 }, "en-US", "Head 5 does not exist: this model has heads 0–1 in each layer."],
    [{ layer: 0, head: 2 }, "ja", "ヘッド 2 はありません。このモデルの各レイヤーのヘッドは 0〜1 です。"],
  ])("refuses a layer/head that does not exist: %o (%s)", async (options, locale, line) => {
    expect(await refusal(h.fake.interact({ command: "attention", options: { text: "hello", ...options }, locale }))).toBe(line);
  });

  it("refuses empty text", async () => {
    expect(await refusal(h.fake.interact({ command: "attention", options: { text: "   " } }))).toBe("The text is empty.");
  });
});

describe("/generate", () => {
  it("shows the prompt in bold and the continuation, with a footer; the same seed writes the same text", async () => {
    const first = await deferredReply(h.fake.interact({ command: "generate", options: { prompt: "hello", tokens: 20, seed: 3 } }));
    const lines = first.content.split("\n");
    expect(first.content.startsWith("**hello**")).toBe(true);
    expect(lines.at(-1)).toMatch(/^-# default model · \d+ tokens? · temperature 0\.8 · top_k 40 · top_p 0\.95 · seed 3$/);
    expect(first.body.allowed_mentions).toEqual({ parse: [], replied_user: false });
    expect(first.files).toHaveLength(0);
    const again = await deferredReply(h.fake.interact({ command: "generate", options: { prompt: "hello", tokens: 20, seed: 3 } }));
    expect(again.content).toBe(first.content);
  });

  it("makes mentions in the prompt and in the model's text inert", async () => {
    h.registry.override = scriptedHandle(`@everyone look <@${h.fake.bob.id}>`);
    try {
      const reply = await deferredReply(
        h.fake.interact({ command: "generate", options: { prompt: `hi <@${h.fake.alice.id}> `, seed: 1, temperature: 0 } }),
      );
      expect(reply.content).toContain("@\u200beveryone");
      expect(reply.content).not.toMatch(/<@\d/);
      expect(reply.content.startsWith(`**hi <@\u200b${h.fake.alice.id}>** @\u200beveryone`)).toBe(true);
      expect(reply.content.split("\n")).toContain("(the model ended its message here)");
      expect(h.fake.pingsOf(reply.body)).toEqual({ everyone: false, users: [], roles: [], repliedUser: false });
      expect((reply.request.response as { mention_everyone: boolean }).mention_everyone).toBe(false);
    } finally {
      h.registry.override = undefined;
    }
  });

  it.each([
    [{ tokens: 500 }, "en-US", "tokens must be a whole number from 1 to 200 (you gave 500)."],
    [{ tokens: 0 }, "ja", "トークン数（tokens）には 1〜200 の整数を指定してください（指定された値: 0）。"],
    [{ temperature: -1 }, "en-US", "temperature must be a number from 0 to 10 (you gave -1)."],
    [{ top_p: 0 }, "en-US", "top_p must be a number from 0.01 to 1 (you gave 0)."],
  ])("refuses %o (%s) with one line", async (options, locale, line) => {
    expect(await refusal(h.fake.interact({ command: "generate", options: { prompt: "hi", ...options }, locale }))).toBe(line);
  });
});

describe("/trace", () => {
  it("shows the text and a picture of each step", async () => {
    const reply = await deferredReply(h.fake.interact({ command: "trace", options: { prompt: "hello", tokens: 6, seed: 2 } }));
    expect(reply.content.startsWith("**hello**")).toBe(true);
    expect(reply.content.split("\n").at(-1)).toMatch(/^-# default model · [1-6] steps? · seed 2 · each row of the picture is one step/);
    const size = await pictureSize(reply, "trace.png");
    expect(size.width).toBeGreaterThan(500);
    expect(size.height).toBeGreaterThan(200);
  });

  it("refuses more steps than the picture can show", async () => {
    expect(await refusal(h.fake.interact({ command: "trace", options: { prompt: "hello", tokens: 21 } }))).toBe(
      "tokens must be a whole number from 1 to 20 (you gave 21).",
    );
  });
});

describe("/tokens", () => {
  it("draws the tokens and counts them in one line", async () => {
    const V = (await h.registry.defaultModel()).tokenizer.vocabSize;
    const reply = await deferredReply(h.fake.interact({ command: "tokens", options: { text: "hello こんにちは" } }));
    expect(reply.content).toBe(`11 characters → **11 tokens** (default model: character tokenizer, vocabulary of ${V}).`);
    const size = await pictureSize(reply, "tokens.png");
    expect(size.width).toBeGreaterThan(500);
    expect(size.height).toBeGreaterThan(100);
  });

  it("says how many characters the model does not know, in Japanese", async () => {
    const V = (await h.registry.defaultModel()).tokenizer.vocabSize;
    const reply = await deferredReply(h.fake.interact({ command: "tokens", options: { text: "abc€€" }, locale: "ja" }));
    expect(reply.content.split("\n")).toEqual([
      `5 文字 → **5 トークン**（既定のモデル: 文字単位のトークナイザー、語彙 ${V}）。`,
      "このモデルが知らない文字が 2 個ありました（<unk> と表示）。",
    ]);
  });

  it("refuses empty text", async () => {
    expect(await refusal(h.fake.interact({ command: "tokens", options: { text: " " }, locale: "ja" }))).toBe("テキストが空です。");
  });
});

describe("/model", () => {
  it("shows the default model's card, and says the server has no model of its own", async () => {
    const V = (await h.registry.defaultModel()).tokenizer.vocabSize;
    const reply = await deferredReply(h.fake.interact({ command: "model", subcommand: "show" }));
    const lines = reply.content.split("\n");
    expect(lines[0]).toBe("**default model**: this server has not trained its own model yet (an admin can run `/train start`).");
    expect(lines[1]).toMatch(
      new RegExp(`^\\d[\\d,]* parameters · 2 layers × 2 heads, 16 wide, context of 16 tokens · character tokenizer with ${V} tokens$`),
    );
    expect(lines[2]).toMatch(/^Trained 0 steps · val loss 3\.500 · train loss –/);
    expect(lines[3]).toBe("No loss curve was recorded for this model.");
    expect(reply.files.map((f) => f.filename)).toEqual(["model.png"]);
    const size = await pictureSize(reply, "model.png");
    expect(size.width).toBeGreaterThan(500);
  });

  it("answers in Japanese", async () => {
    const reply = await deferredReply(h.fake.interact({ command: "model", subcommand: "show", locale: "ja" }));
    expect(reply.content.split("\n")[0]).toBe(
      "**既定のモデル**: このサーバーはまだ自分のモデルを学習していません（管理者が `/train start` で学習できます）。",
    );
  });
});

describe("timing", () => {
  it("measures interaction → reply for /predict and /attention (printed, not asserted)", async () => {
    const times: Record<string, number[]> = { predict: [], attention: [] };
    for (let i = 0; i < 15; i++) {
      for (const [command, options] of [
        ["predict", { text: `sample ${i}`, k: 10 }],
        ["attention", { text: `sample text ${i}` }],
      ] as const) {
        const it1 = h.fake.interact({ command, options });
        const reply = await it1.reply();
        times[command].push(reply.request.at - it1.sentAt);
      }
    }
    const ms = (v: number) => `${v.toFixed(1)} ms`;
    for (const [command, values] of Object.entries(times)) {
      console.log(
        `/${command} against the fake (15 runs, tiny model): interaction → final reply median ${ms(median(values))}, worst ${ms(Math.max(...values))}`,
      );
    }
    expect(times.attention).toHaveLength(15);
  });
});

describe("every message the bot sent", () => {
  it("carried allowed_mentions with parse []", () => {
    const sent = h.fake.messagesSent();
    expect(sent.length).toBeGreaterThan(30);
    for (const request of sent) {
      const body = (request.path.endsWith("/callback") ? (request.body as { data: unknown }).data : request.body) as {
        allowed_mentions?: { parse?: unknown };
      };
      expect(body.allowed_mentions?.parse, `${request.method} ${request.path}`).toEqual([]);
    }
  });
});
