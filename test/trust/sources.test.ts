/**
 * /sources on the bot, against the fake Discord with a real SQLite file: the asker's own message
 * is marked theirs and another's is not named, another server's messages stay out, and after
 * /forget-me or a delete on Discord the message is not shown again.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "../discord/harness.ts";
import { openStore } from "../../src/store/index.ts";

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ guilds: 2 });
  const store = openStore(h.config.databasePath);
  const [first, second] = h.fake.guilds;
  const message = (guildId: string, id: string, authorId: string, text: string) => ({
    id,
    guildId,
    channelId: h.fake.channelId,
    authorId,
    text,
    createdAt: Date.now() - 1000,
  });
  store.messages.addMany([
    message(first.id, "7001", h.fake.alice.id, "the lighthouse keeper sang every night"),
    message(first.id, "7002", h.fake.bob.id, "a lighthouse keeper sang to the whales"),
    message(second.id, "7003", h.fake.bob.id, "the lighthouse keeper sang every night, in the other server"),
  ]);
  store.close();
});
afterAll(async () => {
  await h?.stop();
});

const ask = (user = h.fake.alice) =>
  h.fake.interact({ command: "sources", options: { text: "the lighthouse keeper sang every night" }, user }).reply();

describe("/sources", () => {
  it("marks the asker's own message, hides the other author, and keeps to this server", async () => {
    const reply = await ask();
    const lines = reply.content.split("\n");
    const alices = lines.find((l) => l.includes("your message"));
    expect(alices).toContain("**the lighthouse keeper sang every night**");
    expect(lines.find((l) => l.includes("author hidden"))).toContain("a **lighthouse keeper sang** to the whales");
    expect(reply.content).not.toContain("other server");
    expect(reply.content).not.toContain(h.fake.bob.id);
    expect(reply.content).not.toContain(h.fake.bob.username);
    // to Bob, Alice's message is the hidden one
    const toBob = await ask(h.fake.bob);
    expect(toBob.content.split("\n").find((l) => l.includes("**the lighthouse keeper sang every night**"))).toContain("author hidden");
  });

  it("no longer shows a message after /forget-me, nor one deleted on Discord", async () => {
    await h.fake.interact({ command: "forget-me", options: {} }).reply(); // alice
    const after = await ask();
    expect(after.content).not.toContain("your message");
    expect(after.content).not.toContain("every night**");
    const session = h.fake.gateway.sessionFor(h.fake.guild.id);
    h.fake.gateway.dispatch(session, "MESSAGE_DELETE", { id: "7002", channel_id: h.fake.channelId, guild_id: h.fake.guild.id });
    const deadline = Date.now() + 5000;
    for (;;) {
      const reply = await ask();
      if (!reply.content.includes("whales") && !reply.content.includes("author hidden")) {
        expect(reply.content).toContain("None shares");
        break;
      }
      if (Date.now() > deadline) throw new Error(`still shown: ${reply.content}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  });
});
