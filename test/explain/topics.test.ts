/**
 * Every topic in both languages: it renders within Discord's limits, names the model, its
 * pictures are real PNGs, and its numbers are the model's (another model → other numbers).
 */
import { beforeAll, describe, expect, it } from "vitest";
import {
  explainText,
  explainTopic,
  type Explanation,
  explanationMessage,
  TOPICS,
  type TopicName,
  explanationText,
} from "../../src/app/explain/index.ts";
import type { ModelHandle } from "../../src/app/model-handle.ts";
import { LOCAL_SPACE, type ModelIdentity, SHIPPED_MODEL, storedModel } from "../../src/app/model-identity.ts";
import { explanationBlocks } from "../../src/app/replies/explain.ts";
import { MESSAGE_LIMIT } from "../../src/adapters/discord/outgoing.ts";
import { discordMessages } from "../../src/adapters/discord/reply-format.ts";
import { MAX_INPUT_CHARS } from "../../src/app/prompt.ts";
import { trainModel } from "../../src/app/train-model.ts";
import { smallCorpus } from "../helpers/corpus.ts";
import { decodePng, isPng, loadHandle, MODEL_NAME, numbersIn, perturbedHandle, reshapedHandle, trainTestModel } from "./helpers.ts";

const LANGS = ["ja", "en"] as const;
/** Topics whose numbers come from the model's shape and training record, not its weight values. */
const SHAPE_TOPICS: TopicName[] = ["parameters", "compute"];
/** Topics whose numbers come from the space's stored messages (none here): test/explain/across.test.ts checks them with a store. */
const STORE_TOPICS: TopicName[] = ["sources"];

let checkpoint: Uint8Array;
let handle: ModelHandle;

beforeAll(() => {
  checkpoint = trainTestModel();
  handle = loadHandle(checkpoint);
});

/**
 * The numbers of an explanation, without its first line (the model line). For `derivative`
 * only its table: the text also gives timings, which differ from run to run anyway.
 */
function figures(handleToUse: ModelHandle, topic: TopicName, lang: "ja" | "en"): string[] {
  const e = explainText(handleToUse, topic, { lang });
  if (topic === "derivative") return numbersIn(e.table?.join("\n") ?? "");
  return numbersIn(`${explanationText(e)}\n${e.table?.join("\n") ?? ""}`.split("\n").slice(1).join("\n"));
}

/** The explanation's Discord messages' texts. */
function onDiscord(e: Omit<Explanation, "pictures">): string[] {
  return discordMessages({ body: explanationBlocks(e), notices: [], pictures: [] }).map((m) => m.content!);
}

/** Every Discord message within the limit, every paragraph and table line in them once. */
function expectAllOnDiscord(e: Omit<Explanation, "pictures">): void {
  const messages = onDiscord(e);
  for (const m of messages) expect(m.length).toBeLessThanOrEqual(MESSAGE_LIMIT);
  const all = messages.join("\n");
  for (const piece of [e.modelLine, ...e.paragraphs, ...(e.table ?? [])]) expect(all.split(piece)).toHaveLength(2);
}

describe.each(LANGS)("explanations in %s", (lang) => {
  it.each(TOPICS)("%s: one Discord message, model named, pictures are sane PNGs", async (topic) => {
    const e = await explainTopic(handle, topic, { lang });
    expect(e.topic).toBe(topic);
    expect(e.lang).toBe(lang);
    expect(e.title.length).toBeGreaterThan(3);
    expect(onDiscord(e)).toEqual([explanationMessage(e)]);
    expect(e.modelLine).toContain(MODEL_NAME);
    expect(explanationText(e).split("\n")[0]).toBe(e.modelLine);
    if (e.table) expect(e.table.join("\n")).not.toContain("```");
    // Japanese texts are written in Japanese, English ones in English
    const kana = /[\u3040-\u30ff]/.test(explanationText(e));
    expect(kana).toBe(lang === "ja");
    expect(e.pictures.length).toBeGreaterThanOrEqual(1);
    for (const picture of e.pictures) {
      expect(picture.name).toMatch(/^[a-z-]+\.png$/);
      expect(isPng(picture.png)).toBe(true);
      const decoded = await decodePng(picture.png);
      expect(decoded.width).toBeGreaterThanOrEqual(600);
      expect(decoded.width).toBeLessThanOrEqual(1600);
      expect(decoded.height).toBeGreaterThanOrEqual(200);
      expect(decoded.height).toBeLessThanOrEqual(3600);
      expect(decoded.colours).toBeGreaterThan(20); // text, lines and shading, not a blank canvas
    }
  });

  it.each(TOPICS.filter((t) => !SHAPE_TOPICS.includes(t) && !STORE_TOPICS.includes(t)))(
    "%s: the numbers are this model's (changed weights → changed numbers)",
    (topic) => {
      const original = figures(handle, topic, lang);
      expect(original.length).toBeGreaterThan(3);
      expect(figures(perturbedHandle(checkpoint), topic, lang)).not.toEqual(original);
      // the same weights give the same numbers: nothing random, nothing left over from a previous call
      expect(figures(loadHandle(checkpoint), topic, lang)).toEqual(original);
    },
  );

  it.each(SHAPE_TOPICS)("%s: the numbers are this model's (other shape and training record → other numbers)", (topic) => {
    const original = figures(handle, topic, lang);
    expect(figures(reshapedHandle(checkpoint), topic, lang)).not.toEqual(original);
  });

  it("says whose model it is: a server's (its messages), the playground's (the texts given there), or the shipped one", () => {
    const firstLine = (identity: ModelIdentity) => explanationText(explainText({ ...handle, identity }, "loss", { lang })).split("\n")[0];
    const server = firstLine(storedModel("123456", 2));
    expect(server).toMatch(
      lang === "ja"
        ? /このサーバーのモデル #2.*このサーバーのメッセージで学習/
        : /server model #2.*this server's own model, trained on this server's messages/,
    );
    const playground = firstLine(storedModel(LOCAL_SPACE, 2));
    expect(playground).toMatch(
      lang === "ja"
        ? /あなたのモデル #2.*ここで渡した文章で学習.*プレイグラウンド/
        : /your model #2.*the playground's own model, trained on the texts given here/,
    );
    expect(playground).not.toMatch(/server|サーバー/);
    const shipped = firstLine(SHIPPED_MODEL);
    expect(shipped).toContain(lang === "ja" ? "既定のモデル" : "default model");
    expect(shipped).not.toMatch(/server|サーバー|playground|プレイグラウンド|default model.*default model/);
    if (lang === "ja") expect(shipped).not.toContain("default model");
  });

  it.each(TOPICS)("%s: the longest allowed text: Discord gets it all, within its limit", (topic) => {
    const long = (lang === "ja" ? "昨日は雨だったけど、今日は晴れだった。" : "It rained yesterday, but today it is sunny. ")
      .repeat(400)
      .slice(0, MAX_INPUT_CHARS);
    expectAllOnDiscord(explainText(handle, topic, { lang, text: long }));
  });
});

describe("user text inside explanations", () => {
  it("cannot ping anyone or break the markdown", () => {
    for (const topic of ["loss", "tokens", "attention", "generation"] as const) {
      const e = explainText(handle, topic, { lang: "en", text: "@everyone look **here** `x` <@123>" });
      const message = `${explanationText(e)}\n${e.table?.join("\n") ?? ""}`;
      expect(message).not.toMatch(/@everyone|@here|<@\d/);
      expect(message).not.toContain("**here**");
    }
  });

  it("a blank text means the topic's default sentence", () => {
    expect(explanationText(explainText(handle, "loss", { lang: "ja", text: "   " }))).toContain("昨日は雨だったけど");
    expect(explanationText(explainText(handle, "loss", { lang: "en" }))).toContain("It rained yesterday");
  });
});

describe("other kinds of models and texts", () => {
  it("a character-level model with no training record (an imported checkpoint) still explains everything", async () => {
    const char = loadHandle(
      trainModel(smallCorpus(), { preset: "tiny", tokenizer: "char", vocabSize: 0, steps: 5, seed: 2, evalInterval: 5 }).checkpoint,
      "imported",
    );
    const bare: ModelHandle = { ...char, meta: { ...char.meta, extra: {} } };
    for (const lang of LANGS) {
      for (const topic of TOPICS) {
        expectAllOnDiscord(explainText(bare, topic, { lang }));
      }
      expect(explanationText(explainText(bare, "learning", { lang }))).toMatch(
        lang === "ja" ? /学習の記録が残っていない/ : /no record of its training curve/,
      );
      expect(explanationText(explainText(bare, "compute", { lang }))).toMatch(
        lang === "ja" ? /今測りました/ : /timed on this machine just now/,
      );
      expect(explanationText(explainText(bare, "learning-rate", { lang }))).toMatch(
        lang === "ja" ? /標準のスケジュール/ : /the default schedule/,
      );
      expect(explanationText(explainText(bare, "tokens", { lang }))).toMatch(lang === "ja" ? /1文字ずつ/ : /character by character/);
    }
    const pictures = (await explainTopic(bare, "learning", { lang: "en" })).pictures;
    expect(isPng(pictures[0].png)).toBe(true); // the "nothing to show" picture
  });

  it.each(TOPICS)("%s: a one-token text works", (topic) => {
    const e = explainText(handle, topic, { lang: "en", text: "a" });
    expect(explanationText(e).length).toBeGreaterThan(100);
  });
});
