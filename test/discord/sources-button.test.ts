/**
 * The /sources button under an explain-mode chat reply, end to end on the fake Discord: the
 * reply carries it (a plain reply does not); pressed, the presser alone (ephemeral) gets the
 * stored messages of this server sharing the longest stretch with that reply — the presser's
 * own marked theirs, nobody else named, nothing pinged; in Japanese for a Japanese client.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MessageJSON } from "../fake-discord/entities.ts";
import { type Harness, startHarness } from "./harness.ts";
import { scriptedHandle } from "./tiny-model.ts";

const WRITES = "hello back to you and the garden";
let h: Harness;

beforeAll(async () => {
  h = await startHarness({
    seed: (store, fake) =>
      store.messages.addMany([
        {
          id: "11",
          guildId: fake.guild.id,
          channelId: fake.guild.channels[0].id,
          authorId: fake.alice.id,
          text: "I said hello back to you yesterday",
          createdAt: Date.now(),
        },
        {
          id: "12",
          guildId: fake.guild.id,
          channelId: fake.guild.channels[0].id,
          authorId: fake.bob.id,
          text: "the garden is green",
          createdAt: Date.now(),
        },
      ]),
  });
});
afterAll(async () => {
  await h?.stop();
});

const isReplyTo = (channel: string, id: string) => (r: { method: string; path: string; body: unknown }) =>
  r.method === "POST" &&
  r.path === `/channels/${channel}/messages` &&
  (r.body as { message_reference?: { message_id?: string } } | undefined)?.message_reference?.message_id === id;

/** bob's chat, answered by the scripted model; the bot's message as the channel holds it. */
async function chatAsBob(): Promise<{ body: Record<string, unknown>; message: MessageJSON }> {
  // a fresh script each time: the scripted model writes its text once
  h.registry.override = scriptedHandle(WRITES);
  const channel = h.fake.channelId;
  const said = h.fake.say({ content: `<@${h.fake.botUser.id}> hello there`, author: h.fake.bob });
  const request = await h.fake.waitForRequest(isReplyTo(channel, said.id));
  const message = h.fake
    .history(channel)
    .find((m) => m.author.id === h.fake.botUser.id && (m.message_reference as { message_id?: string })?.message_id === said.id)!;
  return { body: request.body as Record<string, unknown>, message };
}

const buttonIds = (components: unknown) =>
  ((components as { components?: { custom_id?: string }[] }[] | undefined) ?? []).flatMap((row) =>
    (row.components ?? []).map((c) => c.custom_id),
  );

describe("the /sources button", () => {
  it("is under explain-mode replies only, and answers the presser with that reply's sources", async () => {
    h.registry.override = scriptedHandle(WRITES);
    try {
      // a plain reply: no button
      const plain = await chatAsBob();
      expect(buttonIds(plain.body.components)).toEqual([]);
      await h.fake.interact({ command: "settings", subcommand: "explain", options: { mode: "on" }, user: h.fake.bob }).reply();
      const { body, message } = await chatAsBob();
      expect(buttonIds(body.components)).toEqual(["chat-sources"]);
      expect(message.content).toContain(WRITES);

      const pressed = h.fake.press({ message, customId: "chat-sources", user: h.fake.bob });
      // deferred as ephemeral (flags 64): the answer is the presser's alone
      const ack = await pressed.acknowledged();
      expect(Number((ack.body as { data?: { flags?: number } }).data?.flags ?? 0) & 64).toBe(64);
      const shown = await pressed.reply();
      // alice's message shares "hello back to you"; bob's own shares " the garden" and is marked his
      expect(shown.content).toContain("hello back to you");
      expect(shown.content).toMatch(/garden/);
      expect(shown.content).toMatch(/yours/i);
      expect(shown.content).not.toContain(h.fake.alice.id);
      expect(shown.content).not.toContain(h.fake.alice.username);
      expect(h.fake.pingsOf(shown.body)).toEqual({ everyone: false, users: [], roles: [], repliedUser: false });

      const ja = await h.fake.press({ message, customId: "chat-sources", user: h.fake.bob, locale: "ja" }).reply();
      expect(ja.content).toContain("このサーバーの保存メッセージ");
    } finally {
      h.registry.override = undefined;
    }
  });
});
