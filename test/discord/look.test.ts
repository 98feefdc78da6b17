/** /lens, /why and /ablate end to end: the real bot against the fake Discord, pictures attached, bad heads refused in the user's language. */
import { loadImage } from "@napi-rs/canvas";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FakeInteraction, ShownMessage } from "../fake-discord/index.ts";
import { type Harness, startHarness } from "./harness.ts";

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h?.stop();
});

/** The deferral first (type 5, public), then the edit of the original with the answer. */
async function deferredReply(it1: FakeInteraction): Promise<ShownMessage> {
  const ack = await it1.acknowledged();
  expect((ack.body as { type: number }).type).toBe(5);
  const reply = await it1.reply();
  expect(reply.request.method).toBe("PATCH");
  expect(reply.ephemeral).toBe(false);
  return reply;
}

async function pictureWidth(reply: ShownMessage, name: string): Promise<number> {
  const file = reply.files.find((f) => f.filename === name);
  expect(file, `attachment ${name}`).toBeDefined();
  return (await loadImage(file!.data)).width;
}

describe("/lens, /why, /ablate", () => {
  it("answer with their picture and lines, in English and Japanese", async () => {
    const lens = await deferredReply(h.fake.interact({ command: "lens", options: { text: "hello world" } }));
    expect(lens.content).toMatch(/^The next token after “hello world”, read at every depth of default model/);
    expect(await pictureWidth(lens, "lens.png")).toBeGreaterThanOrEqual(1000);
    const why = await deferredReply(h.fake.interact({ command: "why", options: { text: "hello world" }, locale: "ja" }));
    expect(why.content).toMatch(/いちばん後押ししたトークン — 勾配×入力/);
    expect(await pictureWidth(why, "why.png")).toBeGreaterThanOrEqual(1000);
    const ablate = await deferredReply(h.fake.interact({ command: "ablate", options: { text: "hello world", heads: "1.1" } }));
    expect(ablate.content).toMatch(/With heads 1\.1 off/);
    expect(await pictureWidth(ablate, "ablate.png")).toBeGreaterThanOrEqual(1000);
  });

  it("/predict heads: a line says which heads are off", async () => {
    const reply = await deferredReply(h.fake.interact({ command: "predict", options: { text: "hello", heads: "1" }, locale: "ja" }));
    expect(reply.content.split("\n").at(-1)).toBe("（ヘッド 1.0,1.1 を止めたモデルの予測です）");
    expect(await pictureWidth(reply, "predict.png")).toBeGreaterThanOrEqual(1000);
  });

  it("refuse heads the model lacks, naming its counts, as a private line", async () => {
    const it1 = h.fake.interact({ command: "ablate", options: { text: "hello", heads: "0.5" }, locale: "ja" });
    await it1.acknowledged();
    const reply = await it1.reply();
    expect(reply.ephemeral).toBe(true);
    expect(reply.files).toHaveLength(0);
    expect(reply.content).toBe("ヘッド 5 はありません。このモデルの各レイヤーのヘッドは 0〜1 です。");
  });
});
