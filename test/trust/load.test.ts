/**
 * Load: 200 interactions (/predict, /attention, chat) arrive at once while a training run is
 * going. Every one must be acknowledged within Discord's 3 seconds (the fake refuses late
 * callbacks) and answered. Times are printed, not asserted.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MEMBER_PERMISSIONS, Permission } from "../fake-discord/index.ts";
import { type Harness, startHarness } from "../discord/harness.ts";

let h: Harness;
beforeAll(async () => {
  // a long run, so it is still training while the load arrives; stopped at the end
  h = await startHarness({ training: { steps: 100_000, evalInterval: 50, evalBatches: 2 } });
});
afterAll(async () => {
  await h?.stop();
});

const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];

describe("load", () => {
  it("200 interactions at once during training: all acknowledged in time and answered", { timeout: 180_000 }, async () => {
    const channel = h.fake.channelId;
    h.fake.seedHistory(
      channel,
      Array.from({ length: 300 }, (_, i) => ({ content: `message ${i}: the weather is nice today and tea is good` })),
    );
    const admin = MEMBER_PERMISSIONS | Permission.ManageGuild;
    await h.fake.interact({ command: "train", subcommand: "start", options: { preset: "tiny" }, memberPermissions: admin }).reply();
    const guild = h.fake.guild.id;
    for (let i = 0; i < 200 && h.training.current(guild)?.snapshot().phase !== "training"; i++) await new Promise((r) => setTimeout(r, 50));
    expect(h.training.current(guild)?.snapshot().phase).toBe("training");

    const started = performance.now();
    const jobs = Array.from({ length: 200 }, (_, i) => {
      const t0 = performance.now();
      if (i % 4 === 3) {
        const said = h.fake.say({ content: `<@${h.fake.botUser.id}> hello ${i}` });
        return h.fake
          .waitForRequest(
            (r) =>
              r.method === "POST" &&
              (r.body as { message_reference?: { message_id?: string } } | undefined)?.message_reference?.message_id === said.id,
            "a chat reply",
            120_000,
          )
          .then(() => ({ ack: null as number | null, answer: performance.now() - t0, ephemeral: false }));
      }
      const command = i % 4 === 0 ? "attention" : "predict";
      const interaction = h.fake.interact({ command, options: { text: `hello world ${i}` } });
      const ack = interaction.acknowledged().then(() => performance.now() - t0);
      return Promise.all([ack, interaction.reply(120_000)]).then(([a, reply]) => ({
        ack: a,
        answer: performance.now() - t0,
        ephemeral: reply.ephemeral,
      }));
    });
    const results = await Promise.all(jobs);
    const total = performance.now() - started;
    const acks = results.flatMap((r) => (r.ack === null ? [] : [r.ack]));
    const answers = results.map((r) => r.answer);
    console.log(
      `load: 200 at once during training — acknowledged: median ${percentile(acks, 0.5).toFixed(0)} ms, p99 ${percentile(acks, 0.99).toFixed(0)} ms; ` +
        `answered: median ${percentile(answers, 0.5).toFixed(0)} ms, p99 ${percentile(answers, 0.99).toFixed(0)} ms; all in ${total.toFixed(0)} ms`,
    );
    expect(results).toHaveLength(200);
    expect(results.every((r) => !r.ephemeral)).toBe(true); // answers, not errors
    expect(Math.max(...acks)).toBeLessThan(3000); // Discord's rule (the fake also refuses late callbacks)
    expect(h.training.current(guild)?.snapshot().phase).toBe("training");
    h.training.stop(guild);
  });
});
