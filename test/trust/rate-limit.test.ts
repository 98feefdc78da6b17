import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RateLimiter } from "../../src/app/rate-limit.ts";
import { type Harness, startHarness } from "../discord/harness.ts";

describe("RateLimiter", () => {
  it("allows a burst, then says how long to wait, then refills", () => {
    const limiter = new RateLimiter({ burst: 2, refillSeconds: 10 });
    expect(limiter.take("a", 0)).toBe(0);
    expect(limiter.take("a", 0)).toBe(0);
    expect(limiter.take("a", 0)).toBe(10);
    expect(limiter.take("b", 0)).toBe(0); // per user
    expect(limiter.take("a", 4000)).toBe(6);
    expect(limiter.take("a", 10_000)).toBe(0);
  });
});

describe("expensive commands on Discord", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ rateLimiter: new RateLimiter({ burst: 2, refillSeconds: 60 }) });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it("are limited per user with a polite, translated 'try again in N s'", async () => {
    for (let i = 0; i < 2; i++) {
      const ok = await h.fake.interact({ command: "attention", options: { text: "hello" } }).reply();
      expect(ok.files.length).toBe(1);
    }
    const limited = await h.fake.interact({ command: "attention", options: { text: "hello" } }).reply();
    expect(limited.ephemeral).toBe(true);
    expect(limited.content).toMatch(/try again in \d+ s/);
    const ja = await h.fake.interact({ command: "generate", options: { prompt: "hi" }, locale: "ja" }).reply();
    expect(ja.content).toMatch(/\d+ 秒後にもう一度/);
    // another user is not affected; cheap commands are not limited
    const bob = await h.fake.interact({ command: "attention", options: { text: "hello" }, user: h.fake.bob }).reply();
    expect(bob.files.length).toBe(1);
    const tokens = await h.fake.interact({ command: "tokens", options: { text: "hello" } }).reply();
    expect(tokens.files.length).toBe(1);
  });
});

describe("chat on Discord", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ rateLimiter: new RateLimiter({ burst: 2, refillSeconds: 60 }) });
  });
  afterAll(async () => {
    await h?.stop();
  });

  const replyTo = (id: string) =>
    h.fake.waitForRequest(
      (r) => (r.body as { message_reference?: { message_id?: string } } | undefined)?.message_reference?.message_id === id,
    );

  it("is limited per user like expensive commands: a burst is answered, then 'try again in N s'", async () => {
    const mention = `<@${h.fake.botUser.id}>`;
    for (let i = 0; i < 2; i++) {
      const said = h.fake.say({ content: `${mention} hello ${i}` });
      const answer = (await replyTo(said.id)).body as { content: string };
      expect(answer.content).not.toMatch(/try again in/);
    }
    const third = h.fake.say({ content: `${mention} hello again` });
    const limited = (await replyTo(third.id)).body as { content: string };
    expect(limited.content).toMatch(/try again in \d+ s/);
    // another user still gets an answer
    const bobs = h.fake.say({ content: `${mention} hi`, author: h.fake.bob });
    expect(((await replyTo(bobs.id)).body as { content: string }).content).not.toMatch(/try again in/);
  });
});
