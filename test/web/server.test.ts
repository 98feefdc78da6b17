/**
 * The playground's server over real HTTP: the same replies and pictures as the use cases, clear
 * 4xx errors that change nothing, the body limits, and a training followed by server-sent events.
 */
import { readFileSync } from "node:fs";
import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { predictNext } from "../../src/app/predict.ts";
import { predictPicture } from "../../src/app/pictures.ts";
import { MAX_BODY_BYTES } from "../../src/adapters/web/server.ts";
import { strings } from "../../src/adapters/discord/i18n.ts";
import { SENTENCES } from "../../src/app/sentences.ts";
import { postJson, startTestPlayground, type TestPlayground, TRAINING_TEXT_FILE, readEvents } from "./harness.ts";

let pg: TestPlayground;
const api = (path: string) => new URL(path, pg.url).href;

beforeAll(async () => {
  pg = await startTestPlayground();
});
afterAll(async () => {
  await pg.close();
});

/** The width and height in a PNG's header. */
function pngSize(bytes: Uint8Array) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  expect([...bytes.subarray(1, 4)]).toEqual([0x50, 0x4e, 0x47]); // "PNG"
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

describe("the page", () => {
  it("serves the chat page, its script and style, with a content security policy", async () => {
    for (const [path, type] of [
      ["/", "text/html"],
      ["/app.js", "text/javascript"],
      ["/style.css", "text/css"],
    ]) {
      const response = await fetch(api(path));
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toContain(type);
      expect(response.headers.get("content-security-policy")).toContain("script-src 'self'");
    }
  });

  it("lists the same slash commands as the bot, with their options, and the model's name", async () => {
    const body = (await (await fetch(api("/api/commands?lang=ja"))).json()) as {
      commands: { name: string; options: { name: string }[] }[];
      model: string;
    };
    expect(body.commands.map((c) => c.name)).toEqual([
      "predict",
      "attention",
      "lens",
      "neurons",
      "why",
      "ablate",
      "sources",
      "generate",
      "trace",
      "tokens",
      "model",
      "explain",
      "train",
    ]);
    expect(body.commands.find((c) => c.name === "predict")!.options.map((o) => o.name)).toEqual(["text", "k", "temperature", "heads"]);
    expect(body.model).toBe("既定のモデル");
  });

  it("serves the pictures' Japanese font", async () => {
    const response = await fetch(api("/fonts/regular.ttf"));
    expect(response.status).toBe(200);
    expect((await response.arrayBuffer()).byteLength).toBeGreaterThan(1_000_000);
  });
});

describe("commands and chat", () => {
  it("/predict answers with the bot's very picture", async () => {
    const { status, body } = await postJson(api("/api/command"), { line: "/predict The cat k:5", lang: "en" });
    expect(status).toBe(200);
    expect(body.text).toMatch(/^Most likely next tokens after “The cat” \(default model\):/);
    const [image] = body.images as { url: string; width: number; height: number }[];
    const png = new Uint8Array(await (await fetch(api(image.url))).arrayBuffer());
    expect(pngSize(png)).toEqual({ width: image.width, height: image.height });
    // the same use case and picture the bot posts, byte for byte
    const handle = await pg.registry.forGuild("local");
    const direct = await predictPicture(predictNext(handle, "The cat", { k: 5 }), "en", "default model");
    expect(Buffer.from(png).equals(Buffer.from(direct))).toBe(true);
  });

  it("/attention, /tokens, /trace, /model and /explain answer with pictures; /generate with text", async () => {
    for (const line of [
      "/attention The cat sat",
      "/attention text:The cat sat layer:1 head:0",
      "/tokens 今日は良い天気",
      "/trace Once tokens:4 seed:3",
      "/model",
      "/explain topic:attention",
    ]) {
      const { status, body } = await postJson(api("/api/command"), { line, lang: "en" });
      expect(status, line).toBe(200);
      expect((body.images as unknown[]).length, line).toBeGreaterThan(0);
    }
    const a = await postJson(api("/api/command"), { line: "/generate Once upon tokens:12 seed:7", lang: "en" });
    const b = await postJson(api("/api/command"), { line: "/generate Once upon tokens:12 seed:7", lang: "en" });
    expect(a.status).toBe(200);
    expect(a.body.text).toBe(b.body.text); // the same seed writes the same text
    expect(a.body.text).toMatch(/^\*\*Once upon\*\*/);
    const list = await postJson(api("/api/command"), { line: "/explain", lang: "ja" });
    expect(list.body.text).toMatch(/[ぁ-ん]/);
  });

  it("chat answers the conversation, whatever characters it holds", async () => {
    for (const message of ["Hello! How are you?", "こんにちは", "😀 @everyone <@123> ``` **", "<img src=x onerror=alert(1)>"]) {
      const { status, body } = await postJson(api("/api/chat"), { messages: ["hi", message], lang: "en" });
      expect(status, message).toBe(200);
      expect(typeof body.text).toBe("string");
      expect((body.text as string).length).toBeGreaterThan(0);
    }
  });

  it("a failure on the server's side is the bot's sentence, in the reader's language, and is logged", async () => {
    const forGuild = pg.registry.forGuild;
    pg.registry.forGuild = async () => {
      throw new Error("the model file vanished");
    };
    try {
      for (const lang of ["en", "ja"] as const) {
        const response = await fetch(api("/api/chat"), {
          method: "POST",
          headers: { "content-type": "application/json", "accept-language": lang },
          body: JSON.stringify({ messages: ["hi"] }),
        });
        expect(response.status).toBe(500);
        expect(((await response.json()) as { error: string }).error).toBe(SENTENCES[lang].commandFailed("/api/chat"));
        expect(SENTENCES[lang].commandFailed("/predict")).toBe(strings(lang).commandFailed("predict"));
      }
      expect(pg.errors.map((e) => String(e))).toContain("Error: the model file vanished");
    } finally {
      pg.registry.forGuild = forGuild;
      pg.errors.splice(0); // logged as it should be: later tests expect no errors of their own
    }
  });

  it("chat with a seed gives the same reply again; a bad seed is refused naming it", async () => {
    const ask = (seed: unknown) => postJson(api("/api/chat"), { messages: ["Once upon a time"], seed, lang: "en" });
    const first = await ask(7);
    expect(first.status).toBe(200);
    expect((await ask(7)).body.text).toBe(first.body.text);
    const replies = new Set(await Promise.all([1, 2, 3, 4, 5].map(async (seed) => (await ask(seed)).body.text)));
    expect(replies.size).toBeGreaterThan(1); // the seed is used, not ignored
    const bad = await ask(-1);
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/seed must be a whole number from 0 up \(you gave -1\)/);
  });
});

describe("bad requests get a 4xx with a clear message", () => {
  it("names the command or the option and the value, in the page's language", async () => {
    const cases: [unknown, RegExp][] = [
      [{ line: "/nope", lang: "en" }, /There is no \/nope\. The commands are: \/predict/],
      [{ line: "/predict The cat k:500", lang: "en" }, /k must be a whole number from 1 to 50 \(you gave 500\)/],
      [{ line: "/predict The cat k:500", lang: "ja" }, /候補数（k）には 1〜50 の整数を指定してください（指定された値: 500）/],
      [{ line: "/predict", lang: "en" }, /\/predict needs text/],
      [{ line: "/attention The cat layer:9", lang: "en" }, /Layer 9 does not exist: this model has layers 0–3/],
      [{ line: "/train preset:huge", lang: "en" }, /preset must be one of tiny, baby \(you gave huge\)/],
      [{ line: "/model extra words", lang: "en" }, /action must be one of show, list, use, rename, delete \(you gave extra words\)/],
      [{ line: "/model use", lang: "en" }, /\/model use needs ref/],
      [{ line: "/model use gpt-9", lang: "ja" }, /「gpt-9」というモデルはここにありません。使えるモデル: default/],
      [{ line: `/predict ${"a".repeat(7000)}`, lang: "en" }, /The text is too long: 7000 characters, the limit is 6000/],
      [{ line: 42, lang: "en" }, /line must be the text of a command/],
    ];
    for (const [body, expected] of cases) {
      const { status, body: answer } = await postJson(api("/api/command"), body);
      expect(status, JSON.stringify(body).slice(0, 60)).toBe(400);
      expect(answer.error).toMatch(expected);
    }
    for (const messages of [[], [""], "hi", [1, 2]]) {
      const { status } = await postJson(api("/api/chat"), { messages, lang: "en" });
      expect(status).toBe(400);
    }
  });

  it("refuses a body over the limit (413), another type (415), broken JSON (400), a wrong method (405), unknown paths (404)", async () => {
    const big = await postJson(api("/api/command"), { line: `/tokens ${"x".repeat(MAX_BODY_BYTES)}` });
    expect(big.status).toBe(413);
    expect(big.body.error).toMatch(/at most 65536 bytes/);
    const typed = await fetch(api("/api/command"), { method: "POST", headers: { "content-type": "text/plain" }, body: "/predict hi" });
    expect(typed.status).toBe(415);
    const broken = await fetch(api("/api/command"), { method: "POST", headers: { "content-type": "application/json" }, body: "{" });
    expect(broken.status).toBe(400);
    expect((await fetch(api("/api/chat"))).status).toBe(405);
    expect((await fetch(api("/nothing"))).status).toBe(404);
    expect((await fetch(api("/images/abc.png"))).status).toBe(404);
    expect((await fetch(api("/../package.json"))).status).toBe(404);
  });

  it("answers only to its own host names (no DNS rebinding)", async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const url = new URL(pg.url);
      request({ host: url.hostname, port: url.port, path: "/api/commands", headers: { host: "evil.example:80" } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
        .on("error", reject)
        .end();
    });
    expect(status).toBe(421);
  });

  it("refuses training texts that are too short or too long, and nothing is stored", async () => {
    const short = await postJson(api("/api/train"), { source: "text", text: "one line only", preset: "tiny", minutes: 1, lang: "en" });
    expect(short.status).toBe(400);
    expect(short.body.error).toMatch(/Not enough text to learn from: 13 characters/);
    const long = await postJson(api("/api/train"), { source: "text", text: "a".repeat(1_000_001), preset: "tiny", minutes: 1, lang: "en" });
    expect(long.status).toBe(400);
    expect(long.body.error).toMatch(/too long to train on here: 1,000,001 characters/);
    const bad = await postJson(api("/api/train"), { source: "text", text: "x", preset: "tiny", minutes: 99, lang: "en" });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/minutes must be a whole number from 1 to 10 \(you gave 99\)/);
    expect(await pg.store.runs.latest("local")).toBeUndefined();
    expect(pg.training.current("local")).toBeUndefined();
    const idle = await readEvents(api("/api/train/events?lang=en"));
    expect(idle).toEqual([["idle", { text: "No training is running. Start one with `/train`." }]]);
  });
});

describe("/train", () => {
  it("opens the panel for a text of one's own", async () => {
    const { body } = await postJson(api("/api/command"), { line: "/train", lang: "en" });
    expect(body.panel).toBe("train");
  });

  it("trains on a pasted text while events report progress, then keeps the model in the store's local space", async () => {
    const text = readFileSync(TRAINING_TEXT_FILE, "utf8");
    const started = await postJson(api("/api/train"), { source: "text", text, preset: "tiny", minutes: 1, lang: "en" });
    expect(started.status).toBe(200);
    expect(started.body.training).toBe(true);
    // a second training while one runs is answered with the running one
    const again = await postJson(api("/api/command"), { line: "/train start source:corpus", lang: "en" });
    expect(again.body.text).toMatch(/already running/);

    const events = await readEvents(api("/api/train/events?lang=en"));
    const progress = events.filter(([e]) => e === "progress");
    expect(progress.length).toBeGreaterThanOrEqual(1);
    const [lastEvent, end] = events[events.length - 1];
    expect(lastEvent).toBe("end");
    expect(end.status).toBe("done");
    expect(end.text).toMatch(/^Training finished: 40 steps/);

    const stored = await pg.store.models.latestInfo("local");
    expect(stored?.step).toBe(40);
    const curve = await fetch(api("/api/train/curve.png?lang=en"));
    expect(curve.status).toBe(200);
    expect(pngSize(new Uint8Array(await curve.arrayBuffer())).width).toBeGreaterThan(100);
    // the playground now answers with its own model
    const model = await postJson(api("/api/command"), { line: "/model", lang: "en" });
    expect(model.body.text).toMatch(/your model #\d+\*\*: trained here/);
    expect(pg.errors).toEqual([]);
  });
});
