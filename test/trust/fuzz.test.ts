/**
 * Hostile input: every command and the chat path get strange texts and out-of-range options.
 * Every one must get a reply (or a clear error), never crash the bot, never ping anyone, never
 * go over Discord's 2000 characters. Fixed seed; FUZZ_COUNT=N for a longer soak.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seededRandom } from "../../src/tensor/random.ts";
import { type Harness, startHarness } from "../discord/harness.ts";
import { scriptedHandle } from "../discord/tiny-model.ts";

const COUNT = Number(process.env.FUZZ_COUNT ?? 200);
const rng = seededRandom(20261128);
const pick = <T>(xs: readonly T[]): T => xs[rng.int(xs.length)];

/** A random code point from many planes, lone surrogates included. */
function randomChar(): string {
  const ranges: [number, number][] = [
    [0x20, 0x7e],
    [0x0, 0x1f],
    [0x3040, 0x30ff],
    [0x4e00, 0x9fff],
    [0xd800, 0xdfff],
    [0x1f300, 0x1faff],
    [0x10000, 0x10ffff],
    [0xe000, 0xf8ff],
    [0x200b, 0x202e],
  ];
  const [lo, hi] = pick(ranges);
  const cp = lo + rng.int(hi - lo + 1);
  return cp >= 0xd800 && cp <= 0xdfff ? String.fromCharCode(cp) : String.fromCodePoint(cp);
}

const TEXTS: (() => string)[] = [
  () => "",
  () => "   \n\t ",
  () => "a".repeat(6000),
  () => "昨日は雨だったけど、".repeat(600),
  () => Array.from({ length: 1 + rng.int(80) }, randomChar).join(""),
  () => "\uD800\uDC00\uDBFF x \uDC00",
  () => "\u200B\u200D\u202E\u2066abc\u2069\u202C",
  () => "👩🏽‍💻👨‍👩‍👧‍👦🇯🇵🏳️‍🌈",
  () => "@everyone @here <@&123456789012345678> <@123456789012345678> <#123456789012345678>",
  () => "```js\nconsole.log(1)\n``` **bold** __u__ ||spoiler|| > quote",
  () => "<|endoftext|><|endoftext|>",
];
const text = () => pick(TEXTS)();
const number = () => pick([0, -1, 1, 2, 3, 51, 999, 1e9, -1e9, 0.5, 2.5, 1e-9]);

const COMMANDS: (() => { command: string; options: Record<string, string | number> })[] = [
  () => ({ command: "predict", options: { text: text(), k: number(), temperature: number() } }),
  () => ({ command: "attention", options: { text: text(), layer: number(), head: number() } }),
  () => ({
    command: "generate",
    options: { prompt: text(), tokens: number(), temperature: number(), top_k: number(), top_p: number(), seed: number() },
  }),
  () => ({ command: "trace", options: { prompt: text(), tokens: number(), seed: number() } }),
  () => ({ command: "tokens", options: { text: text() } }),
  () => ({ command: "explain", options: { topic: pick(["tokens", "loss", "attention", "generation"]), text: text() } }),
  () => ({ command: "model", subcommand: "show", options: {} }),
  () => ({ command: "model", subcommand: "list", options: {} }),
  () => ({ command: "model", subcommand: "use", options: { ref: text() } }),
];

let h: Harness;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

beforeAll(async () => {
  process.on("unhandledRejection", onUnhandled);
  h = await startHarness();
});
afterAll(async () => {
  process.off("unhandledRejection", onUnhandled);
  await h?.stop();
});

describe("fuzz", () => {
  it(`${COUNT} hostile commands and chat messages each get a safe reply`, { timeout: Math.max(180_000, COUNT * 900) }, async () => {
    const seen = { replies: 0, refusals: 0, chats: 0 };
    for (let i = 0; i < COUNT; i++) {
      if (i % 5 === 4) {
        // the model answers with mentions of its own: they must come out inert
        h.registry.override = scriptedHandle(`@everyone hi <@${h.fake.alice.id}> <@&123456789012345678>`);
        const said = h.fake.say({ content: `<@${h.fake.botUser.id}> ${text()}`.slice(0, 4000) });
        await h.fake.waitForRequest(
          (r) =>
            r.method === "POST" &&
            (r.body as { message_reference?: { message_id?: string } } | undefined)?.message_reference?.message_id === said.id,
        );
        h.registry.override = undefined;
        seen.chats++;
        continue;
      }
      const { command, options, subcommand } = pick(COMMANDS)() as {
        command: string;
        options: Record<string, string | number>;
        subcommand?: string;
      };
      const reply = await h.fake.interact({ command, options, subcommand, locale: pick(["en-US", "ja"]) }).reply();
      expect(reply.content.length, `${command} ${JSON.stringify(options).slice(0, 200)}`).toBeLessThanOrEqual(2000);
      expect(reply.content.length + reply.files.length).toBeGreaterThan(0);
      if (reply.ephemeral) seen.refusals++;
      else seen.replies++;
    }
    const sent = h.fake.messagesSent();
    for (const request of sent) {
      expect(h.fake.pingsOf(request.body), `${request.method} ${request.path}`).toEqual({
        everyone: false,
        users: [],
        roles: [],
        repliedUser: false,
      });
      expect(String((request.body as { content?: string }).content ?? "").length).toBeLessThanOrEqual(2000);
    }
    const crashes = h.logs.filter((l) => l.level === "error");
    console.log(
      `fuzz: ${COUNT} inputs → ${seen.replies} answers, ${seen.refusals} clear refusals, ${seen.chats} chat replies; ${sent.length} messages checked for pings; ${crashes.length} errors logged`,
    );
    expect(unhandled).toEqual([]);
    expect(crashes.map((c) => c.message)).toEqual([]);
  });
});
