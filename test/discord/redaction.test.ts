/**
 * The bot end to end: a stored message the model writes back word for word is cut from /generate
 * and from a chat reply — the stored texts the runner hands to the use case are the guild's own.
 * The model here always writes the stored message (a scripted handle), so the copy is real.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CUT_MARK } from "../../src/app/redaction.ts";
import { SENTENCES } from "../../src/app/sentences.ts";
import { MIN_RUN } from "../../src/app/verbatim.ts";
import { type Harness, startHarness } from "./harness.ts";
import { scriptedHandle } from "./tiny-model.ts";

const STORED = "the secret words of someone here, told in confidence to a few";
let h: Harness;

beforeAll(async () => {
  h = await startHarness({
    seed: (store, fake) =>
      store.messages.addMany([
        {
          id: "1",
          guildId: fake.guild.id,
          channelId: fake.guild.channels[0].id,
          authorId: fake.alice.id,
          text: STORED,
          createdAt: Date.now(),
        },
      ]),
  });
});

afterAll(async () => {
  await h?.stop();
});

describe("a stored message the model writes back is cut on Discord", () => {
  // a fresh script for each test: the scripted model writes the message once, from its start
  beforeEach(() => {
    h.registry.override = scriptedHandle(STORED);
  });

  it("/generate: the text cut, the note in small text", async () => {
    const it1 = h.fake.interact({ command: "generate", options: { prompt: "hi", tokens: 80, seed: 1 } });
    const reply = await it1.reply();
    expect(reply.content).not.toContain(STORED.slice(0, MIN_RUN));
    expect(reply.content).toContain(CUT_MARK);
    expect(reply.content).toContain(`-# ${SENTENCES.en.verbatimCut}`);
  });

  it("chat: the reply cut, the note in small text", async () => {
    const said = h.fake.say({ content: `<@${h.fake.botUser.id}> tell me` });
    const reply = await h.fake.waitForRequest(
      (r) => (r.body as { message_reference?: { message_id?: string } })?.message_reference?.message_id === said.id,
    );
    const content = (reply.body as { content: string }).content;
    expect(content).not.toContain(STORED.slice(0, MIN_RUN));
    expect(content).toContain(CUT_MARK);
    expect(content).toContain(SENTENCES.en.verbatimCut);
  });
});
