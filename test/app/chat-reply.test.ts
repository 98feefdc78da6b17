/**
 * Chat as one use case for the bot and the playground (src/app/replies/chat.ts): the model's
 * words as a quote (mentions inert on Discord), the friendly line when it writes nothing, a run
 * copied from a stored text cut with the note — the same Reply, formatted by each surface.
 */
import { describe, expect, it } from "vitest";
import { discordMessage } from "../../src/adapters/discord/reply-format.ts";
import { webReply } from "../../src/adapters/web/reply-format.ts";
import { CUT_MARK, type Redactor } from "../../src/app/redaction.ts";
import { chatReply } from "../../src/app/replies/chat.ts";
import { type ReplyContext, runNow } from "../../src/app/reply.ts";
import { SENTENCES } from "../../src/app/sentences.ts";
import { handleFromCheckpoint } from "../../src/app/model-handle.ts";
import { loadCheckpointBytes } from "../../src/model/checkpoint.ts";
import { scriptedHandle, tinyCheckpointBytes } from "../discord/tiny-model.ts";

const context = (writes: string, redactor: Redactor | null = null, lang: "en" | "ja" = "en"): ReplyContext => ({
  handle: scriptedHandle(writes),
  lang,
  heavy: runNow,
  redactor,
});

/** A redactor that finds `stored` wherever it is written whole. */
const storedText = (stored: string): Redactor => ({
  copiedRuns: (written) => {
    const at = [...written].join("").indexOf(stored);
    return at < 0 ? [] : [[[...written.slice(0, at)].length, [...written.slice(0, at)].length + [...stored].length]];
  },
});

describe("chat", () => {
  it("answers with the model's words, shown literally: on Discord with mentions inert", async () => {
    const { reply, generated, cut } = await chatReply(context("@everyone hi"), ["hello there"], 1);
    expect(cut).toBe(false);
    expect(generated.text).toBe("@everyone hi");
    expect(generated.steps.length).toBeGreaterThan(0);
    expect(reply.body).toEqual([{ line: [{ kind: "quote", text: "@everyone hi" }] }]);
    expect(reply.notices).toEqual([]);
    expect(discordMessage(reply).content).toBe("@\u200beveryone hi");
    expect(webReply(reply).text).toBe("@everyone hi");
  });

  it("says the friendly line, in the reader's language, when the model writes nothing", async () => {
    for (const lang of ["en", "ja"] as const) {
      const { reply } = await chatReply(context("", null, lang), ["今日はどう？"], 1);
      expect(discordMessage(reply).content).toBe(SENTENCES[lang].chatFallback);
      expect(webReply(reply).text).toBe(SENTENCES[lang].chatFallback);
    }
  });

  it("cuts a run copied from a stored text, with the note (small text on Discord)", async () => {
    const stored = "the secret words of someone here";
    const open = await chatReply(context(`well, ${stored}`), ["tell me"], 1);
    expect(webReply(open.reply).text).toContain(stored);
    const { reply, cut } = await chatReply(context(`well, ${stored}`, storedText(stored)), ["tell me"], 1);
    expect(cut).toBe(true);
    for (const text of [discordMessage(reply).content!, webReply(reply).text]) {
      expect(text).not.toContain(stored);
      expect(text).toContain(CUT_MARK);
    }
    expect(discordMessage(reply).content!.split("\n").at(-1)).toBe(`-# ${SENTENCES.en.verbatimCut}`);
    expect(webReply(reply).text.split("\n").at(-1)).toBe(SENTENCES.en.verbatimCut);
  });

  it("the same conversation and seed give the same reply", async () => {
    const handle = handleFromCheckpoint(loadCheckpointBytes(tinyCheckpointBytes(3), "tiny"), "tiny");
    const rc: ReplyContext = { handle, lang: "en", heavy: runNow, redactor: null };
    const a = await chatReply(rc, ["hello", "how are you"], 7);
    const b = await chatReply(rc, ["hello", "how are you"], 7);
    expect(a.reply).toEqual(b.reply);
    expect(a.generated.steps.map((s) => s.chosen)).toEqual(b.generated.steps.map((s) => s.chosen));
  });
});
