/**
 * The `rollout` and `sources` explanations with live numbers: rollout's figures are the use
 * case's (nextTokenAttention) on the prompt; sources searches the space's stored messages for
 * what the model wrote — a stored copy of it is found, its length said, at most EXCERPT_CHARS of
 * it shown and the continuation itself cut under the verbatim rule; other weights write another
 * text and find other numbers.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { nextTokenAttention } from "../../src/app/attention-views.ts";
import { explainText, explainWords } from "../../src/app/explain/index.ts";
import { SOURCES_SEED, SOURCES_TOKENS } from "../../src/app/explain/across.ts";
import { generateText } from "../../src/app/generate-text.ts";
import type { ModelHandle } from "../../src/app/model-handle.ts";
import { redactorFor } from "../../src/app/redaction.ts";
import { loadSources, sourceScopeFor } from "../../src/app/sources.ts";
import { MIN_RUN, VerbatimIndex } from "../../src/app/verbatim.ts";
import { textsFor } from "../../src/explain/index.ts";
import { pct } from "../../src/explain/format.ts";
import { asyncSqliteStore } from "../../src/store/async-store.ts";
import { openStore } from "../../src/store/index.ts";
import { scriptedHandle } from "../discord/tiny-model.ts";

/** An explanation's every piece, as one text. */
const wholeText = (e: { modelLine: string; title: string; paragraphs: string[]; table?: string[] }) =>
  [e.modelLine, e.title, ...e.paragraphs, ...(e.table ?? [])].join("\n");
import { loadHandle, numbersIn, perturbedHandle, trainTestModel } from "./helpers.ts";

const GUILD = "4242";
let checkpoint: Uint8Array;
let handle: ModelHandle;

beforeAll(() => {
  checkpoint = trainTestModel();
  handle = loadHandle(checkpoint);
});

describe("rollout", () => {
  it("quotes the use case's numbers on the prompt: the predicted token, the last layer's and the rollout's strongest", () => {
    for (const lang of ["en", "ja"] as const) {
      const prompt = textsFor(lang).defaults.prompt;
      const next = nextTokenAttention(handle, prompt);
      const e = explainText(handle, "rollout", { lang });
      const whole = wholeText(e);
      expect(whole).toContain(pct(next.predicted.prob));
      expect(whole).toContain(pct(Math.max(...next.rollout)));
      expect(whole).toContain(pct(Math.max(...next.layers[next.layers.length - 1])));
      expect(whole).toContain(pct(next.rollout[next.rollout.length - 1]));
    }
  });
});

describe("sources", () => {
  /** A store whose guild holds, among others, a message that is exactly what the model writes after the prompt. */
  function storeWithCopy(model: ModelHandle, lang: "ja" | "en") {
    const written = generateText(model, textsFor(lang).defaults.prompt, { maxTokens: SOURCES_TOKENS, seed: SOURCES_SEED }).text;
    const store = openStore(":memory:");
    const at = Date.now() - 1000;
    store.messages.addMany([
      { id: "1", guildId: GUILD, channelId: "c", authorId: "u1", text: `someone wrote:${written} and more`, createdAt: at },
      { id: "2", guildId: GUILD, channelId: "c", authorId: "u2", text: "an unrelated message about the weather", createdAt: at },
    ]);
    return { store, written };
  }

  for (const lang of ["en", "ja"] as const) {
    it(`finds the stored copy of what the model wrote and says its length; another model, other numbers (${lang})`, async () => {
      const { store, written } = storeWithCopy(handle, lang);
      const shared = asyncSqliteStore(store);
      const sources = await loadSources(sourceScopeFor(shared, GUILD, "u9"));
      const options = { lang, sources, redactor: await redactorFor(shared, GUILD) };
      const e = explainText(handle, "sources", options);
      const length = [...written].length;
      expect(wholeText(e)).toContain(lang === "en" ? `**${length} characters**` : `**${length}文字**`);
      expect(wholeText(e)).toContain(lang === "en" ? "Among the 2 stored messages" : "保存メッセージ2件のうち");
      // another model writes another text, which shares less with this copy: other numbers
      const other = perturbedHandle(checkpoint);
      const otherText = wholeText(explainText(other, "sources", { lang, sources }));
      expect(numbersIn(otherText)).not.toEqual(numbersIn(wholeText(e)));
      store.close();
    });
  }

  it("keeps the verbatim rule: a long copy is found and named, but neither the continuation nor the excerpt hands it back", async () => {
    const STORED = "the secret words of someone here, told in trust"; // 47 characters: the model writes it whole
    const store = openStore(":memory:");
    store.messages.add({ id: "1", guildId: GUILD, channelId: "c", authorId: "u1", text: STORED, createdAt: Date.now() - 1000 });
    const shared = asyncSqliteStore(store);
    for (const lang of ["en", "ja"] as const) {
      const scripted = scriptedHandle(STORED);
      const e = explainText(scripted, "sources", {
        lang,
        sources: await loadSources(sourceScopeFor(shared, GUILD, "u9")),
        redactor: await redactorFor(shared, GUILD),
      });
      expect(wholeText(e)).toContain(lang === "en" ? `**${[...STORED].length} characters**` : `**${[...STORED].length}文字**`);
      expect(wholeText(e)).toContain(lang === "en" ? "a copy, which the bot cuts" : "丸写しです");
      expect(new VerbatimIndex([STORED]).copiedRuns(wholeText(e))).toEqual([]);
      expect(wholeText(e)).toContain(STORED.slice(0, MIN_RUN - 1));
    }
    store.close();
  });

  it("says nothing is stored where nothing is, and draws how the text was written", () => {
    const words = explainWords(handle, "sources", { lang: "en" });
    expect(words.body).toContain("Nothing is stored here");
  });
});
