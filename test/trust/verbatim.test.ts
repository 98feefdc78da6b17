import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { MIN_RUN, VerbatimIndex, verbatimIndexFor } from "../../src/app/verbatim.ts";
import { asyncSqliteStore } from "../../src/store/async-store.ts";
import { openStore } from "../../src/store/index.ts";

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

describe("the index of a server's stored messages follows edits and deletes", () => {
  const first = "Meet me at the old mill by the river at seven, bring the blue map along";
  const edited = "Meet me at the new bridge by the lake at nine, and bring the red lantern";
  const other = "The quick brown fox jumps over the lazy dog while the band plays on and on";

  it("an edited message is cut as its new text, no longer as its old one; a deleted one no longer at all", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "verbatim-"));
    const store = openStore(path.join(dir, "bot.db"));
    const shared = asyncSqliteStore(store);
    const indexNow = async () => (await verbatimIndexFor(shared, "g"))!;
    try {
      store.messages.add({ id: "1", guildId: "g", channelId: "c", authorId: "a", text: first, createdAt: 1 });
      expect((await indexNow()).redact(`so: ${first}`).cut).toBe(true);

      // 1. an edit keeps the count the same: the index must still be rebuilt
      store.messages.updateText("g", "1", edited);
      expect((await indexNow()).redact(`so: ${first}`).cut).toBe(false);
      expect((await indexNow()).redact(`so: ${edited}`).cut).toBe(true);

      // 2. a delete and an add of another message also keep the count
      store.messages.delete("g", "1");
      store.messages.add({ id: "2", guildId: "g", channelId: "c", authorId: "a", text: other, createdAt: 2 });
      expect((await indexNow()).redact(`so: ${edited}`).cut).toBe(false);
      expect((await indexNow()).redact(`so: ${other}`).cut).toBe(true);
    } finally {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
