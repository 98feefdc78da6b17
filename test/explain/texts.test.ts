/** The texts: both languages cover the same topics, the learning path, bad input, tables, formatting. */
import { beforeAll, describe, expect, it } from "vitest";
import { checkTopic, explainText, explainTopic, explainWords, listTopics, TOPICS } from "../../src/app/explain/index.ts";
import { InputError, MAX_INPUT_CHARS } from "../../src/app/prompt.ts";
import type { ModelHandle } from "../../src/app/model-handle.ts";
import { TEXTS } from "../../src/explain/index.ts";
import { displayWidth, tableLines } from "../../src/explain/table.ts";
import { big, duration, pct, power, quote, sig } from "../../src/explain/format.ts";
import { fontCovers } from "../../src/render/fonts.ts";
import { loadHandle, trainTestModel } from "./helpers.ts";

let handle: ModelHandle;
beforeAll(() => {
  handle = loadHandle(trainTestModel());
});

describe("both languages", () => {
  it("have the same set of topics, each with a line in the learning path", () => {
    const sorted = [...TOPICS].sort();
    expect(Object.keys(TEXTS.ja.topics).sort()).toEqual(sorted);
    expect(Object.keys(TEXTS.en.topics).sort()).toEqual(sorted);
    expect(Object.keys(TEXTS.ja.path.items).sort()).toEqual(sorted);
    expect(Object.keys(TEXTS.en.path.items).sort()).toEqual(sorted);
    expect(new Set(TOPICS).size).toBe(19);
  });

  it("list the learning path in the same order", () => {
    const ja = listTopics("ja");
    const en = listTopics("en");
    expect(ja.items.map((i) => i.topic)).toEqual([...TOPICS]);
    expect(en.items.map((i) => i.topic)).toEqual([...TOPICS]);
    for (const list of [ja, en]) {
      TOPICS.forEach((topic, i) => expect(list.lines).toContain(`${i + 1}. \`${topic}\` — ${list.items[i].line}`));
    }
    expect(ja.lines.join("\n")).toMatch(/[\u3040-\u30ff]/);
    expect(en.lines.join("\n")).not.toMatch(/[\u3040-\u30ff]/);
    // it starts with learning and ends with compute, the article's order
    expect(TOPICS[0]).toBe("learning");
    expect(TOPICS[TOPICS.length - 1]).toBe("compute");
  });

  it("have their own default sentences", () => {
    expect(TEXTS.ja.defaults.sentence).toBe("昨日は雨だったけど、今日は晴れだった。");
    expect(TEXTS.en.defaults.prompt).toBe("It rained yesterday, but");
  });
});

describe("bad input", () => {
  it("an unknown topic is an InputError naming the topics", async () => {
    expect(() => checkTopic("transformers")).toThrow(InputError);
    expect(() => checkTopic("transformers")).toThrow(
      /unknown topic "transformers": choose one of learning, loss, bits-per-byte, derivative/,
    );
    await expect(explainTopic(handle, "nope" as never, { lang: "en" })).rejects.toMatchObject({ code: "unknown-topic" });
  });

  it("a text over the limit is an InputError with the numbers", () => {
    const long = "a".repeat(MAX_INPUT_CHARS + 1);
    expect(() => explainText(handle, "loss", { lang: "ja", text: long })).toThrow(InputError);
    expect(() => explainText(handle, "loss", { lang: "ja", text: long })).toThrow(
      `the text has ${MAX_INPUT_CHARS + 1} characters, the limit is ${MAX_INPUT_CHARS}`,
    );
  });

  it("an unknown language is an InputError", () => {
    expect(() => explainText(handle, "loss", { lang: "fr" as never })).toThrow(/unknown language "fr"/);
    expect(() => listTopics("de" as never)).toThrow(InputError);
  });
});

describe("monospace tables", () => {
  it("pad by display width, so Japanese columns line up", () => {
    const lines = tableLines({
      header: ["トークン", "p"],
      rows: [
        ["雨", "12.0%"],
        ["the", "3.1%"],
      ],
    });
    const widths = lines.map(displayWidth);
    expect(new Set(widths).size).toBe(1);
    expect(displayWidth("雨だ")).toBe(4);
    expect(displayWidth("ab")).toBe(2);
  });

  it("cannot close their code block early", () => {
    const lines = tableLines({ header: ["x"], rows: [["```"]] });
    expect(lines.join("\n")).not.toContain("```");
  });
});

describe("number formatting", () => {
  it("reads naturally in each language", () => {
    expect(big(175e9, "en")).toBe("175 billion");
    expect(big(175e9, "ja")).toBe("1750億");
    expect(big(483_363, "en")).toBe("483,000");
    expect(power(3.15e23)).toBe("3.2×10²³");
    expect(pct(0.4231)).toBe("42.3%");
    expect(pct(0.0042)).toBe("0.42%");
    expect(sig(-0.0066983, 4)).toBe("-0.006698");
    expect(duration(90, "en")).toBe("90 s");
    expect(duration(4e13, "ja")).toBe("127万年");
  });

  it("quotes user text safely", () => {
    expect(quote("@everyone hi")).not.toContain("@everyone");
    expect(quote("**bold** and `code`")).toBe("\\*\\*bold\\*\\* and \\`code\\`");
    expect(quote("line one\nline two")).toBe("line one ↵ line two");
    expect(quote("x".repeat(100), 10)).toHaveLength(10);
  });
});

/** Every string in a value: functions are called with sample arguments. */
function strings(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (typeof value === "function") return strings((value as (...args: unknown[]) => unknown)("good", "1.5"));
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === "object") return Object.values(value).flatMap(strings);
  return [];
}

describe("picture labels", () => {
  it.each(TOPICS)("%s: every character drawn is in the bundled font (no boxes on a machine without fonts)", (topic) => {
    for (const lang of ["ja", "en"] as const) {
      const words = explainWords(handle, topic, { lang });
      const missing = strings(words.pictures)
        .flatMap((s) => [...s])
        .filter((ch) => !fontCovers(ch.codePointAt(0)!) && ch !== "…");
      expect(missing).toEqual([]);
    }
  });
});
