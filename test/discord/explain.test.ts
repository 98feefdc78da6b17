/** /explain end to end: the real bot against the fake Discord, on the tiny default model. */
import { loadImage } from "@napi-rs/canvas";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "./harness.ts";
import { loadDefaultModel } from "../../src/app/load-model.ts";
import { scriptedHandle } from "./tiny-model.ts";

let h: Harness;
const waitFor = async (ok: () => boolean) => {
  for (let i = 0; i < 200 && !ok(); i++) await new Promise((r) => setTimeout(r, 25));
};
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

describe("/explain", () => {
  it("attention: text with the live numbers plus a PNG", async () => {
    const interaction = h.fake.interact({ command: "explain", options: { topic: "attention", text: "hello world" } });
    const ack = await interaction.acknowledged();
    expect((ack.body as { type: number }).type).toBe(5);
    const reply = await interaction.reply();
    expect(reply.content.length).toBeGreaterThan(100);
    expect(reply.content.length).toBeLessThanOrEqual(2000);
    expect(reply.content).toMatch(/default model/);
    expect(reply.files.length).toBeGreaterThanOrEqual(1);
    const image = await loadImage(reply.files[0].data);
    expect(image.width).toBeGreaterThan(300);
  });

  it("in Japanese for a Japanese user, and the topic list without a topic", async () => {
    const ja = await h.fake.interact({ command: "explain", options: { topic: "loss" }, locale: "ja" }).reply();
    expect(ja.content).toMatch(/[\u3040-\u30ff]/);
    const list = await h.fake.interact({ command: "explain", options: {} }).reply();
    expect(list.content).toMatch(/`learning`/);
    expect(list.content).toMatch(/`compute`/);
  });

  it("a long explanation comes in several messages, each within 2000 characters, the table whole", async () => {
    // the shipped model reads the whole text: its loss table (a row per token) is a message long
    h.registry.override = await loadDefaultModel();
    const long = "It rained yesterday, but today it is sunny. ".repeat(40);
    const interaction = h.fake.interact({ command: "explain", options: { topic: "loss", text: long } });
    const first = await interaction.reply().finally(() => (h.registry.override = undefined));
    await waitFor(() => interaction.followUps.length > 0);
    const contents = [first.content, ...interaction.followUps.map((m) => m.content)];
    for (const c of contents) expect(c.length).toBeLessThanOrEqual(2000);
    expect(contents.join("\n").length).toBeGreaterThan(2000);
    expect(first.files.length).toBeGreaterThanOrEqual(1);
    // nothing cut: no "…" mark of a cut, every code block closed in its own message
    for (const c of contents) expect(c.split("```").length % 2, c.slice(0, 60)).toBe(1);
    expect(contents.join("\n")).not.toMatch(/…\n```$|more\n```/);
  });

  it("every message it sent had mentions switched off", () => {
    const sent = h.fake.messagesSent();
    expect(sent.length).toBeGreaterThan(0);
    for (const request of sent) {
      const where = `${request.method} ${request.path}`;
      // the texts of /explain hold no mentions today: the switch itself must be off
      expect((request.body as { allowed_mentions?: { parse?: unknown } }).allowed_mentions?.parse, where).toEqual([]);
      expect(h.fake.pingsOf(request.body), where).toEqual({ everyone: false, users: [], roles: [], repliedUser: false });
    }
  });
});

describe("/settings explain", () => {
  const channelMessagePost = (channel: string, replyTo: string) => (r: { method: string; path: string; body: unknown }) =>
    r.method === "POST" &&
    r.path === `/channels/${channel}/messages` &&
    (r.body as { message_reference?: { message_id?: string } } | undefined)?.message_reference?.message_id === replyTo;

  it("turns a per-user breakdown with the trace picture on and off", async () => {
    const on = await h.fake.interact({ command: "settings", subcommand: "explain", options: { mode: "on" }, user: h.fake.bob }).reply();
    expect(on.ephemeral).toBe(true);
    expect(on.content).toMatch(/Explain mode is \*\*on\*\*/);

    const channel = h.fake.channelId;
    // a model that always writes the same words: the reply is never empty, whatever the seed
    h.registry.override = scriptedHandle("hello back to you");
    try {
      const said = h.fake.say({ content: `<@${h.fake.botUser.id}> hello there`, author: h.fake.bob });
      const reply = await h.fake.waitForRequest(channelMessagePost(channel, said.id));
      const content = (reply.body as { content: string }).content;
      expect(content).toMatch(/How I chose each token/);
      expect(content).toMatch(/\(\d+(\.\d)?%\)/);
      expect(content.length).toBeLessThanOrEqual(2000);
      expect(reply.files.map((f) => f.filename)).toContain("trace.png");

      // alice never switched it on: her replies stay plain
      const aliceSaid = h.fake.say({ content: `<@${h.fake.botUser.id}> hello there` });
      const plain = await h.fake.waitForRequest(channelMessagePost(channel, aliceSaid.id));
      expect((plain.body as { content: string }).content).not.toMatch(/How I chose/);

      await h.fake.interact({ command: "settings", subcommand: "explain", options: { mode: "off" }, user: h.fake.bob }).reply();
      const again = h.fake.say({ content: `<@${h.fake.botUser.id}> hello again`, author: h.fake.bob });
      const off = await h.fake.waitForRequest(channelMessagePost(channel, again.id));
      expect((off.body as { content: string }).content).not.toMatch(/How I chose/);
    } finally {
      h.registry.override = undefined;
    }
  });
});
