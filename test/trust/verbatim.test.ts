import { describe, expect, it } from "vitest";
import { MIN_RUN, VerbatimIndex } from "../../src/app/verbatim.ts";

const stored = [
  "My phone number is 555-0100 and I live at 12 Example Street, call me anytime",
  "短いメッセージ",
  "昨日は雨だったけど、今日は晴れだった。明日はどうなるかな、雪が降るといいなあ。みんなで雪だるまを作りたい。",
];

describe("verbatim guard", () => {
  const index = new VerbatimIndex(stored);

  it(`finds a run of ${MIN_RUN}+ characters copied from a stored message, and cuts it`, () => {
    const copied = "number is 555-0100 and I live at 12 Example Street";
    const generated = `sure! ${copied}, bye`;
    const runs = index.copiedRuns(generated);
    expect(runs).toHaveLength(1);
    expect([...generated].slice(runs[0][0], runs[0][1]).join("")).toContain(copied);
    const { text, cut } = index.redact(generated);
    expect(cut).toBe(true);
    expect(text).not.toContain("555-0100");
    expect(text.startsWith("sure!")).toBe(true);
    expect(text).toContain("[…]");
  });

  it("works for Japanese, character by character", () => {
    const { text, cut } = index.redact(`ねえ、${stored[2].slice(3, 50)}って言ってたよ`);
    expect(cut).toBe(true);
    expect(text).toBe("ねえ、[…]って言ってたよ");
  });

  it(`leaves shorter overlaps (${MIN_RUN - 1} characters) and unrelated text alone`, () => {
    const short = stored[0].slice(0, MIN_RUN - 1);
    expect(index.redact(`x ${short} y`)).toEqual({ text: `x ${short} y`, cut: false });
    expect(index.redact("It rained yesterday, but today it is sunny.").cut).toBe(false);
    expect(new VerbatimIndex([]).redact(stored[0]).cut).toBe(false);
  });
});
