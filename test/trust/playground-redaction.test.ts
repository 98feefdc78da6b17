/**
 * A text pasted into the playground's training panel is never handed back word for word: a
 * tiny model trained in the page on one repeated line learns it by heart (checked on the model
 * itself, with no redaction), and the real /generate, /trace and chat of the web server then show
 * the copied run as "[…]". Forgetting the kept texts deletes them.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GENERATE_DEFAULTS, generateText } from "../../src/app/generate-text.ts";
import { CUT_MARK } from "../../src/app/redaction.ts";
import { TRAINING_TEXT_AUTHOR } from "../../src/app/training-texts.ts";
import { MIN_RUN } from "../../src/app/verbatim.ts";
import { postJson, startTestPlayground, type TestPlayground } from "../web/harness.ts";

// one distinctive line, as ten documents: the tiny model learns it by heart
const LINE = "the purple walrus sings of copper lanterns under the quiet harbour";
const PASTED = Array.from({ length: 12 }, () => LINE).join("\n");
const PROMPT = "the purple walrus";
/** the part of the line after the prompt, as long as the redaction's shortest run */
const COPY = LINE.slice(PROMPT.length, PROMPT.length + MIN_RUN);

let pg: TestPlayground;
const api = (p: string) => new URL(p, pg.url).href;

beforeAll(async () => {
  pg = await startTestPlayground({ steps: 600, evalInterval: 200, evalBatches: 2 });
  const started = await postJson(api("/api/train"), { source: "text", text: PASTED, preset: "tiny", minutes: 1, lang: "en" });
  expect(started.body).toMatchObject({ training: true });
  const outcome = await pg.training.current("local")!.done;
  expect(outcome.status).toBe("done");
}, 180_000);

afterAll(async () => {
  await pg?.close();
});

describe("a text trained on in the playground", () => {
  it("is learned by heart by the model (greedy, unredacted): the test below has something to cut", async () => {
    const handle = await pg.registry.forGuild("local");
    const raw = generateText(handle, PROMPT, { ...GENERATE_DEFAULTS, maxTokens: 60, temperature: 0 });
    expect(raw.text).toContain(COPY);
  });

  it("is cut as […] by the web /generate, /trace and chat", async () => {
    // /generate greedy (what the model reproduces, as above); /trace and chat sample, so a few
    // seeds each (fixed: the same replies on every run): none may show the copy, and some must
    // show where it was cut
    const surfaces: Record<string, () => Promise<{ status: number; body: Record<string, unknown> }>> = {
      generate: () => postJson(api("/api/command"), { line: `/generate ${PROMPT} tokens:60 temperature:0`, lang: "en" }),
      ...Object.fromEntries(
        [1, 2, 3, 4].map((seed) => [
          `trace seed ${seed}`,
          () => postJson(api("/api/command"), { line: `/trace ${PROMPT} tokens:20 seed:${seed}`, lang: "en" }),
        ]),
      ),
      ...Object.fromEntries(
        [1, 2, 3, 4].map((seed) => [`chat seed ${seed}`, () => postJson(api("/api/chat"), { messages: [PROMPT], seed, lang: "en" })]),
      ),
    };
    const cutOn = new Set<string>();
    for (const [name, ask] of Object.entries(surfaces)) {
      const reply = await ask();
      expect(reply.status, `${name}: ${JSON.stringify(reply.body)}`).toBe(200);
      const text = String(reply.body.text);
      expect(text, name).not.toContain(COPY);
      if (text.includes(CUT_MARK)) cutOn.add(name.split(" ")[0]);
    }
    expect([...cutOn].sort()).toEqual(["chat", "generate", "trace"]);
    expect(pg.errors).toEqual([]);
  });

  it("is kept once however often it was pasted, and forgotten on request", async () => {
    const kept = (await pg.store.messages.recent("local", { limit: 100 })).filter((m) => m.authorId === TRAINING_TEXT_AUTHOR);
    expect(kept.map((m) => m.text)).toEqual([LINE]);
    const forgot = await postJson(api("/api/train/texts/forget"), { lang: "en" });
    expect(forgot.body.text).toMatch(/^Forgot 1 kept passage\./);
    expect(await pg.store.messages.count("local")).toBe(0);
    const again = await postJson(api("/api/train/texts/forget"), { lang: "en" });
    expect(again.body.text).toBe("No training texts were kept.");
  });
});
