/**
 * The scriptable console as the README promises it: empty input is an error (exit ≠ 0, one
 * line), and explanations are plain text — no Discord markdown, the title once.
 */
import { describe, expect, it } from "vitest";
import { plainText } from "../../src/adapters/cli/reply-format.ts";
import { cliInProcess as cli } from "../helpers/cli-in-process.ts";

describe("empty input", () => {
  it.each([
    ["predict", "--text"],
    ["predict", "--text=   "],
    ["tokens", "--text"],
    ["generate", "--prompt"],
  ])("%s %s '': one line naming the flag, exit 2, nothing predicted", async (command, flag) => {
    const argv = flag.includes("=") ? [command, flag] : [command, flag, ""];
    const r = await cli(...argv);
    expect(r.code).toBe(2);
    expect(r.out).toBe("");
    expect(r.err).toMatch(new RegExp(`^error: ${command}: --\\w+ \\w+ is empty; give it some text, e\\.g\\. --\\w+ "The cat sat"\\n$`));
  });
});

describe("plainText", () => {
  it("reads Discord markdown as the terminal shows it", () => {
    expect(plainText("It is *local*: **bold** and `/explain loss`")).toBe("It is local: bold and /explain loss");
    expect(plainText("predicts <\\|endoftext\\|> and \\*stars\\*")).toBe("predicts <|endoftext|> and *stars*");
    expect(plainText("2 * 3 = 6, a*b")).toBe("2 * 3 = 6, a*b");
  });
});

describe("cli explain", () => {
  it.each(["en", "ja"])("%s: the model line, the title once, the text without markdown", async (lang) => {
    const r = await cli("explain", "attribution", "--lang", lang);
    expect(r.code).toBe(0);
    const lines = r.out.split("\n");
    const title = lines[2];
    expect(title).toBe(lang === "ja" ? "なぜこのトークン？ 2つの調べ方" : "Why this token? Two ways to ask");
    expect(lines.filter((l) => l.includes(title))).toHaveLength(1);
    expect(r.out).not.toMatch(/\*\*|`|\\\||\*[^*\s][^*]*\*/);
    expect(r.out).toContain("<|endoftext|>");
  });
});
