/** `cli sources`: the documents of a training corpus sharing the longest stretches with a text, and a missing corpus refused in one line. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXCERPT_CHARS } from "../../src/app/sources.ts";
import { cliInProcess as cli } from "../helpers/cli-in-process.ts";

let dir: string;

const LONG = "A document that goes on and on about lighthouses, keepers, and the whales they sang to at night.";

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "cli-sources-"));
  writeFileSync(path.join(dir, "corpus.txt"), `The cat sat on the mat.\n\n${LONG}\n\n吾輩は猫である。名前はまだ無い。`);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("cli sources", () => {
  it("numbers the documents by their place in the corpus, the longest stretch first, cut to the verbatim rule", async () => {
    const { code, out } = await cli("sources", "--text", `they said: ${LONG}`, "--corpus", path.join(dir, "corpus.txt"), "--lang", "en");
    expect(code).toBe(0);
    const lines = out.trim().split("\n");
    expect(lines[0]).toContain("(3 searched)");
    expect(lines[1]).toBe(`1. document 2 · ${[...LONG].length} characters shared: ${LONG.slice(0, EXCERPT_CHARS)}…`);
    expect(out).not.toContain(LONG.slice(0, EXCERPT_CHARS + 1));
    const ja = await cli("sources", "--text", "名前はまだ決めていない", "--corpus", path.join(dir, "corpus.txt"), "--lang", "ja");
    expect(ja.out).toContain("文書 3 · 5文字が共通: 吾輩は猫である。名前はまだ無い。");
  });

  it("refuses a corpus that is not there in one line", async () => {
    const { code, err } = await cli("sources", "--text", "x", "--corpus", path.join(dir, "nothing.txt"));
    expect(code).toBe(1);
    expect(err.trim().split("\n")).toEqual([`error: corpus not found: ${path.join(dir, "nothing.txt")}`]);
  });
});
