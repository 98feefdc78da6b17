/** How a typed line becomes a command's options, and the errors that name what is wrong. */
import { describe, expect, it } from "vitest";
import { parseCommandLine } from "../../src/adapters/web/command-spec.ts";
import { InputError } from "../../src/app/prompt.ts";
import { WEB_COMMANDS } from "../../src/adapters/web/commands/index.ts";
import { quoteTail } from "../../src/app/reply.ts";

const specs = WEB_COMMANDS.map((c) => c.spec);
const parse = (line: string) => {
  const { spec, options } = parseCommandLine(line, specs);
  return { command: spec.name, options };
};
const refusal = (line: string) => {
  try {
    parseCommandLine(line, specs);
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return { code: (err as InputError).code, values: (err as InputError).values };
  }
  throw new Error(`"${line}" was accepted`);
};

describe("parseCommandLine", () => {
  it("fills the first text option with the words before any option", () => {
    expect(parse("/predict The cat sat")).toEqual({ command: "predict", options: { text: "The cat sat" } });
    expect(parse("/predict The cat  k:5 temperature=0.5")).toEqual({
      command: "predict",
      options: { text: "The cat", k: 5, temperature: 0.5 },
    });
    expect(parse("/PREDICT text:a: b k:3")).toEqual({ command: "predict", options: { text: "a: b", k: 3 } });
  });

  it("keeps values with spaces, Japanese, emoji and markup as they are", () => {
    expect(parse("/tokens 今日は 😀 <b>x</b> @everyone")).toEqual({ command: "tokens", options: { text: "今日は 😀 <b>x</b> @everyone" } });
    expect(parse("/attention text:猫が座った layer:1 head:0").options).toEqual({ text: "猫が座った", layer: 1, head: 0 });
  });

  it("takes choices by their value, in any case", () => {
    expect(parse("/train start preset:TINY minutes:2 source:corpus").options).toEqual({
      action: "start",
      preset: "tiny",
      minutes: 2,
      source: "corpus",
    });
    expect(parse("/explain topic:attention language:ja").options).toEqual({ topic: "attention", language: "ja" });
    expect(parse("/model")).toEqual({ command: "model", options: {} });
  });

  it("refuses, naming the problem", () => {
    expect(refusal("hello")).toMatchObject({ code: "not-a-command" });
    expect(refusal("/nope x")).toMatchObject({ code: "unknown-command", values: { name: "nope" } });
    expect(refusal("/predict")).toMatchObject({ code: "option-missing", values: { option: "text" } });
    expect(refusal("/predict a k:1 k:2")).toMatchObject({ code: "option-twice", values: { option: "k" } });
    expect(refusal("/predict a k:0")).toMatchObject({
      code: "bad-option",
      values: { option: "k", value: "0", kind: "integer", min: 1, max: 50 },
    });
    expect(refusal("/predict a k:2.5")).toMatchObject({ code: "bad-option", values: { option: "k", kind: "integer" } });
    expect(refusal("/predict a temperature:hot")).toMatchObject({ code: "bad-option", values: { option: "temperature", kind: "number" } });
    expect(refusal("/train preset:huge")).toMatchObject({ code: "bad-option", values: { kind: "choice", choices: "tiny, baby" } });
    expect(refusal("/model please")).toMatchObject({ code: "bad-option", values: { option: "action", value: "please" } });
    expect(refusal("/explain please")).toMatchObject({ code: "bad-option", values: { option: "topic" } });
    expect(refusal(`/tokens ${"x".repeat(6001)}`)).toMatchObject({ code: "too-long", values: { length: 6001, limit: 6000 } });
  });
});

describe("quoteTail", () => {
  it("keeps the end of a text on one line, cut by code points (an emoji stays whole)", () => {
    expect(quoteTail("The cat\nsat")).toBe("The cat↵sat");
    const quoted = quoteTail("😀".repeat(70));
    expect([...quoted]).toHaveLength(61);
    expect(quoted.startsWith("…😀")).toBe(true);
    expect(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(quoted)).toBe(false);
  });
});
