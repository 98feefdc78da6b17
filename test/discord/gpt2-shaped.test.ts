/**
 * Every command on a model of GPT-2 small's structure (12 layers × 12 heads, GPT-2's 50,257
 * tokens, 1,024 positions; random weights, narrower: test/helpers/gpt2-shaped.ts), chosen as an
 * imported model of the host's MODELS_DIR and answering from its host thread: through the fake
 * Discord and the playground's API, each answered within Discord's limits (2,000 characters,
 * 10 files, 25 MB), each picture a PNG.
 *   GPT2_FULL=1 npx vitest run test/discord/gpt2-shaped.test.ts     GPT-2 small's own width (slow: by hand)
 *   SCREENS_DIR=/work/screens …                                      also keeps every picture there
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { loadImage } from "@napi-rs/canvas";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countParams } from "../../src/model/params.ts";
import type { ShownMessage } from "../fake-discord/index.ts";
import { GPT2_SHAPE, writeGpt2Shaped } from "../helpers/gpt2-shaped.ts";
import { postJson, startTestPlayground, type TestPlayground } from "../web/harness.ts";
import { type Harness, startHarness } from "./harness.ts";

const NAME = "gpt2-shaped";
const { C, L, H, V, T } = GPT2_SHAPE;
const PARAMS = countParams({ vocabSize: V, blockSize: T, nLayer: L, nHead: H, nEmbd: C, bias: true, gelu: "tanh" } as never);
const MB = 1024 * 1024;
/** how long one answer may take, and one test: at full width /ablate alone is 146 passes of 124 M parameters */
const FULL = process.env.GPT2_FULL === "1";
const ANSWER_MS = FULL ? 1_200_000 : 120_000;
const TEST_MS = FULL ? 7_200_000 : 600_000;
const TEXT = "The capital of France is Paris, and the capital of Japan is 東京";

/** [command (with its subcommand, if any), options, what the answer must say] */
const COMMANDS: [string, Record<string, string | number>, RegExp][] = [
  ["predict", { text: TEXT }, /Most likely next tokens/],
  ["attention", { text: TEXT }, new RegExp(`${L} layers × ${H} heads`)],
  ["attention", { text: TEXT, layer: 11 }, /layer 11/],
  ["attention", { text: TEXT, layer: 5, head: 7 }, /head 7/],
  ["attention", { text: TEXT, view: "rollout" }, /rollout|all layers/i],
  ["attention", { text: TEXT, view: "next" }, /./],
  ["trace", { prompt: "Once upon a time", tokens: 6, seed: 1 }, /Once upon a time/],
  ["generate", { prompt: "Once upon a time", tokens: 20, seed: 1 }, /Once upon a time/],
  ["tokens", { text: TEXT }, /tokens/],
  ["model show", {}, new RegExp(NAME)],
  ["model list", {}, new RegExp(NAME)],
  ["explain", { topic: "parameters" }, new RegExp(PARAMS.toLocaleString("en"))],
  ["lens", { text: TEXT }, /read at every depth/],
  ["why", { text: TEXT }, /gradient/],
  ["ablate", { text: TEXT, heads: "0.1,11.11" }, /With heads 0\.1,11\.11 off/],
  ["neurons", { text: TEXT }, /./],
  ["sources", { text: TEXT }, /./],
];

const screens = process.env.SCREENS_DIR;
function keep(name: string, png: Uint8Array): void {
  if (!screens) return;
  mkdirSync(screens, { recursive: true });
  writeFileSync(path.join(screens, name), png);
}

/** The answer is within Discord's limits and its pictures decode; returns their widths. */
async function withinLimits(what: string, content: string, files: { filename?: string; data: Uint8Array }[]): Promise<number[]> {
  expect(content.length, what).toBeGreaterThan(0);
  expect(content.length, what).toBeLessThanOrEqual(2000);
  expect(files.length, what).toBeLessThanOrEqual(10);
  expect(
    files.reduce((n, f) => n + f.data.length, 0),
    what,
  ).toBeLessThanOrEqual(25 * MB);
  const widths: number[] = [];
  for (const f of files) {
    widths.push((await loadImage(Buffer.from(f.data))).width);
    keep(`gpt2-${what.replace(/[^a-z0-9]+/gi, "-")}-${f.filename}`, f.data);
  }
  return widths;
}

/** A command's options other than its text, for a name ("layer 11 head 7"). */
function shownOptions(options: Record<string, string | number>): string {
  return Object.entries(options)
    .filter(([k]) => k !== "text" && k !== "prompt")
    .map(([k, v]) => `${k} ${v}`)
    .join(" ");
}

let h: Harness;
let pg: TestPlayground;

beforeAll(async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "gpt2-shaped-"));
  const modelsDir = path.join(dir, "models");
  mkdirSync(path.join(modelsDir, NAME), { recursive: true });
  writeGpt2Shaped(path.join(modelsDir, NAME));
  // hostMinParams 0: the narrow model answers from its host thread, as GPT-2 small does
  const registry = { modelsDir, hostMinParams: 0 };
  h = await startHarness({ dir, registry, seed: (store, fake) => store.models.choose(fake.guild.id, { kind: "imported", name: NAME }) });
  pg = await startTestPlayground(undefined, registry);
  pg.store.models.choose("local", { kind: "imported", name: NAME });
}, TEST_MS);

afterAll(async () => {
  await pg?.close();
  await h?.stop();
});

describe(`every command on a GPT-2-shaped model (${L} × ${H} heads, ${C} wide, ${V} tokens, ${T} positions)`, () => {
  it("answers from the imported model's host thread", async () => {
    const handle = await h.registry.forGuild(h.fake.guild.id);
    expect(handle.identity).toMatchObject({ kind: "imported", displayName: NAME });
    expect(handle.host).toBeDefined();
    expect(handle.model.config).toMatchObject({ nLayer: L, nHead: H, nEmbd: C, vocabSize: V, blockSize: T });
  });

  it("through the fake Discord: each slash command answered within Discord's limits", { timeout: TEST_MS }, async () => {
    for (const [command, options, says] of COMMANDS) {
      const what = `discord ${command} ${shownOptions(options)}`;
      const [name, subcommand] = command.split(" ");
      const interaction = h.fake.interact({ command: name, ...(subcommand && { subcommand }), options });
      await interaction.acknowledged();
      const started = performance.now();
      const reply: ShownMessage = await interaction.reply(ANSWER_MS);
      console.log(`${what}: answered in ${((performance.now() - started) / 1000).toFixed(1)} s`);
      expect(reply.ephemeral, `${what}: ${reply.content}`).toBe(false);
      expect(reply.content, what).toMatch(says);
      const widths = await withinLimits(what, reply.content, reply.files);
      // the overview of 144 heads stays legible: a picture at least as wide as Discord shows it
      if (command === "attention") expect(widths[0], what).toBeGreaterThanOrEqual(800);
    }
  });

  it("through the fake Discord: chat answers a mention", { timeout: TEST_MS }, async () => {
    const said = h.fake.say({ content: `<@${h.fake.botUser.id}> hello there, how are you?` });
    const reply = await h.fake.waitForRequest(
      (r) =>
        r.method === "POST" &&
        r.path === `/channels/${h.fake.channelId}/messages` &&
        (r.body as { message_reference?: { message_id?: string } }).message_reference?.message_id === said.id,
      "the chat reply",
      ANSWER_MS,
    );
    const content = (reply.body as { content: string }).content;
    await withinLimits("discord chat", content, []);
  });

  it("through the playground's API: each command and chat answered", { timeout: TEST_MS }, async () => {
    for (const [command, options, says] of COMMANDS) {
      const line = `/${command} ${Object.entries(options)
        .map(([k, v]) => `${k}:${v}`)
        .join(" ")}`;
      const { status, body } = await postJson(new URL("/api/command", pg.url).href, { line, lang: "en" });
      expect(status, `${line}: ${JSON.stringify(body).slice(0, 300)}`).toBe(200);
      expect(String(body.text), line).toMatch(says);
      const images = (body.images as { url: string }[] | undefined) ?? [];
      const files = await Promise.all(
        images.map(async (img, i) => ({
          filename: `${i}.png`,
          data: new Uint8Array(await (await fetch(new URL(img.url, pg.url))).arrayBuffer()),
        })),
      );
      await withinLimits(`web ${command} ${shownOptions(options)}`, String(body.text), files);
    }
    const chat = await postJson(new URL("/api/chat", pg.url).href, { messages: ["hello there"], lang: "en" });
    expect(chat.status).toBe(200);
  });
});
