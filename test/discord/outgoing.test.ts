import { describe, expect, it } from "vitest";
import { cutText, inertMentions, messageOptions, MESSAGE_LIMIT } from "../../src/adapters/discord/outgoing.ts";
import { codeSpan, percent } from "../../src/adapters/discord/token-format.ts";
import { discordMessage } from "../../src/adapters/discord/reply-format.ts";
import { langOfLocale, langOfText, strings } from "../../src/adapters/discord/i18n.ts";
import type { PredictResult } from "../../src/app/predict.ts";
import { SHIPPED_MODEL } from "../../src/app/model-identity.ts";
import { predictResultReply } from "../../src/app/replies/predict.ts";
import { runNow } from "../../src/app/reply.ts";
import type { Lang } from "../../src/lang.ts";
import { scriptedHandle } from "./tiny-model.ts";

describe("cutText", () => {
  it("leaves short text alone", () => {
    expect(cutText("hello")).toBe("hello");
    expect(cutText("x".repeat(MESSAGE_LIMIT))).toBe("x".repeat(MESSAGE_LIMIT));
  });

  it("cuts at the last line break within the limit and adds …", () => {
    const text = `${"a".repeat(1500)}\n${"b".repeat(300)}\n${"c".repeat(500)}`;
    const cut = cutText(text);
    expect(cut.length).toBeLessThanOrEqual(MESSAGE_LIMIT);
    expect(cut).toBe(`${"a".repeat(1500)}\n${"b".repeat(300)}…`);
  });

  it("cuts at a word boundary when there is no line break", () => {
    const words = Array.from({ length: 400 }, (_, i) => `word${i}`).join(" ");
    const cut = cutText(words);
    expect(cut.length).toBeLessThanOrEqual(MESSAGE_LIMIT);
    expect(cut.endsWith("…")).toBe(true);
    expect(words.startsWith(cut.slice(0, -1))).toBe(true);
    expect(words[cut.length - 1]).toBe(" "); // the next character was the space it cut at
  });

  it("never splits a surrogate pair and closes an open code block", () => {
    const emoji = `\`\`\`\n${"😀".repeat(1500)}`;
    const cut = cutText(emoji, 100);
    expect(cut.length).toBeLessThanOrEqual(100);
    expect(cut).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
    expect(cut.endsWith("…\n```")).toBe(true);
  });
});

describe("mentions", () => {
  it("inertMentions breaks every mention form", () => {
    expect(inertMentions("@everyone @here <@123> <@!123> <@&456>")).toBe(
      "@\u200beveryone @\u200bhere <@\u200b123> <@\u200b!123> <@\u200b&456>",
    );
  });

  it("every message option set pings nobody", () => {
    expect(messageOptions("hi").allowedMentions).toEqual({ parse: [], repliedUser: false });
    expect(messageOptions({ content: "x".repeat(3000) }).content!.length).toBeLessThanOrEqual(MESSAGE_LIMIT);
  });
});

describe("languages", () => {
  it("picks Japanese for ja locales and Japanese text", () => {
    expect(langOfLocale("ja")).toBe("ja");
    expect(langOfLocale("en-US")).toBe("en");
    expect(langOfLocale(undefined)).toBe("en");
    expect(langOfText("こんにちは")).toBe("ja");
    expect(langOfText("今日")).toBe("ja");
    expect(langOfText("hello")).toBe("en");
  });

  it("names permissions as Discord does", () => {
    expect(strings("en").botLacks(["ReadMessageHistory"])).toContain("**Read Message History**");
    expect(strings("ja").userLacks(["ManageGuild"])).toContain("「サーバー管理」");
    expect(strings("en").userLacks(["ManageGuild", "ReadMessageHistory"])).toContain("**Manage Server** and **Read Message History**");
  });
});

describe("the /predict message", () => {
  const handle = { ...scriptedHandle(""), identity: SHIPPED_MODEL };
  const predictSummary = (r: PredictResult, lang: Lang) =>
    discordMessage(predictResultReply({ handle, lang, heavy: runNow, redactor: null }, r, [])).content!;
  const result: PredictResult = {
    text: "hello @everyone",
    inputIds: [],
    inputTokens: [],
    unknown: 2,
    dropped: 0,
    temperature: 1,
    candidates: [
      { id: 1, token: " ", prob: 0.5, logit: 1 },
      { id: 2, token: "\n", prob: 0.3, logit: 0 },
      { id: 3, token: "`", prob: 0.0004, logit: -3 },
    ],
  };

  it("lists candidates with visible whitespace and percentages", () => {
    const text = predictSummary(result, "en");
    expect(text.split("\n")).toEqual([
      "Most likely next tokens after “hello @\u200beveryone” (default model):",
      " 1. `␣` █████░░░░░ 50.0%",
      " 2. `↵` ███░░░░░░░ 30.0%",
      " 3. `` ` `` ░░░░░░░░░░ <0.1%",
      "2 characters are unknown to this model (shown as <unk>).",
    ]);
  });

  it("speaks Japanese", () => {
    const text = predictSummary({ ...result, unknown: 0, temperature: 0.5 }, "ja");
    expect(text.split("\n")[0]).toBe("「hello @\u200beveryone」の次に来そうなトークン（既定のモデル、温度 0.5）:");
  });

  it("formats small pieces", () => {
    expect(codeSpan("a")).toBe("`a`");
    expect(percent(0.1234)).toBe("12.3%");
    expect(percent(0)).toBe("0.0%");
  });
});
