/**
 * /sources (issue #20 item 5) on a real SQLite store: the suffix automaton against a brute-force
 * longest common substring, the right message with the right stretch, what is never shown (a
 * forgotten message, one past the retention period, another server's), authors hidden from
 * everyone but themselves, the verbatim rule over the whole reply, and the playground's texts.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { setRetentionDays } from "../../src/app/guild-policy.ts";
import { LOCAL_SPACE } from "../../src/app/model-identity.ts";
import { forgetAuthor } from "../../src/app/privacy.ts";
import { redactorFor } from "../../src/app/redaction.ts";
import { sourcesReply } from "../../src/app/replies/sources.ts";
import { allParts, type Reply, type ReplyContext, runNow } from "../../src/app/reply.ts";
import { TextAutomaton } from "../../src/app/shared-stretch.ts";
import { EXCERPT_CHARS, excerptOf, findSources, loadSources, sourceScopeFor } from "../../src/app/sources.ts";
import { keepTrainingTexts } from "../../src/app/training-texts.ts";
import { VerbatimIndex } from "../../src/app/verbatim.ts";
import { asyncSqliteStore } from "../../src/store/async-store.ts";
import { openStore, type Store } from "../../src/store/index.ts";
import { seededRandom } from "../../src/tensor/random.ts";
import { scriptedHandle } from "../discord/tiny-model.ts";

const GUILD = "111";
const OTHER_GUILD = "222";
const ALICE = "900001";
const BOB = "900002";
const DAY = 24 * 60 * 60 * 1000;
const NOW = Date.UTC(2026, 11, 1);

/** The longest common substring by trying every pair of starts (code points). */
function bruteForce(text: string, message: string): number {
  const a = [...text];
  const b = [...message];
  let best = 0;
  for (let i = 0; i < a.length; i++) {
    for (let j = 0; j < b.length; j++) {
      let n = 0;
      while (i + n < a.length && j + n < b.length && a[i + n] === b[j + n]) n++;
      best = Math.max(best, n);
    }
  }
  return best;
}

describe("the text's suffix automaton", () => {
  it("finds the longest shared stretch of random texts as trying every pair does, placed in both", () => {
    const random = seededRandom(4);
    const word = (n: number, alphabet: string) =>
      Array.from({ length: n }, () => alphabet[Math.floor(random.next() * alphabet.length)]).join("");
    for (let trial = 0; trial < 200; trial++) {
      const alphabet = trial % 2 === 0 ? "abc" : "猫犬はがを😀";
      const text = word(1 + Math.floor(random.next() * 40), alphabet);
      const message = word(Math.floor(random.next() * 40), alphabet);
      const automaton = new TextAutomaton(text);
      expect(automaton.size).toBeLessThanOrEqual(2 * [...text].length + 1);
      const found = automaton.longestShared(message);
      expect(found.length, `${text} / ${message}`).toBe(bruteForce(text, message));
      const stretch = [...message].slice(found.messageStart, found.messageStart + found.length).join("");
      expect([...text].slice(found.textStart, found.textStart + found.length).join("")).toBe(stretch);
    }
  });
});

describe("an excerpt", () => {
  it("shows at most EXCERPT_CHARS code points: the stretch with what surrounds it, or the stretch cut", () => {
    const chars = [..."0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"];
    const short = excerptOf(chars, 30, 5);
    expect(short.shared).toBe("uvwxy");
    expect([...(short.before + short.shared + short.after)]).toHaveLength(EXCERPT_CHARS);
    expect(short.before.endsWith("t") && short.after.startsWith("z")).toBe(true);
    // at the start of the message, the room goes after the stretch
    expect(excerptOf(chars, 0, 3)).toMatchObject({ before: "", shared: "012", cutBefore: false, cutAfter: true });
    const long = excerptOf(chars, 2, 50);
    expect(long).toMatchObject({ before: "", after: "", cutBefore: true, cutAfter: true });
    expect([...long.shared]).toHaveLength(EXCERPT_CHARS);
  });
});

describe("/sources on a server's stored messages", () => {
  let store: Store;
  const add = (guildId: string, id: string, authorId: string, text: string, createdAt = NOW - DAY) =>
    store.messages.add({ id, guildId, channelId: "c1", authorId, text, createdAt });

  beforeEach(() => {
    store = openStore(":memory:");
    add(GUILD, "m1", ALICE, "yesterday the cat sat on the warm mat all day");
    add(GUILD, "m2", BOB, "dogs like to run in the park after rain");
    add(GUILD, "m3", BOB, "猫は窓のそばでずっと眠っていた");
  });
  afterEach(() => store.close());

  const scope = (asker: string | null, guild = GUILD) => sourceScopeFor(asyncSqliteStore(store), guild, asker, () => NOW);
  /** the scope's messages as they are now, searched */
  const search = async (asker: string | null, text: string, guild = GUILD) => findSources(await loadSources(scope(asker, guild)), text);
  const context = async (asker: string): Promise<ReplyContext> => ({
    handle: scriptedHandle("x"),
    lang: "en",
    heavy: runNow,
    redactor: await redactorFor(asyncSqliteStore(store), GUILD),
    sources: scope(asker),
  });
  const replyText = (reply: Reply) =>
    allParts(reply)
      .map((p) => ("text" in p ? p.text : ""))
      .join("");

  it("finds the message sharing the longest stretch, with that stretch and what surrounds it", async () => {
    const result = await search(BOB, "I saw that the cat sat on the mat. Dogs like to run.");
    expect(result.searched).toBe(3);
    expect(result.matches.map((m) => m.id)).toEqual(["m1", "m2"]);
    const [first, second] = result.matches;
    expect(first.length).toBe([..." the cat sat on the "].length);
    expect(first.excerpt.shared).toBe(" the cat sat on the ");
    expect(first.excerpt.before + first.excerpt.shared + first.excerpt.after).toBe("yesterday the cat sat on the warm mat a");
    expect(first.textStart).toBe("I saw that".length);
    expect(second.excerpt.shared).toBe("ogs like to run");
    const ja = await search(BOB, "うちの猫は窓のそばで眠る");
    expect(ja.matches.map((m) => [m.id, m.excerpt.shared])).toEqual([["m3", "猫は窓のそばで"]]);
  });

  it("says whose message it is only to its author", async () => {
    const text = "the cat sat on the warm mat";
    const lines = (reply: Reply) => reply.body.map((b) => ("line" in b ? b.line.map((p) => ("text" in p ? p.text : "")).join("") : ""));
    const toCarol = await sourcesReply(await context("900003"), { text })();
    const toAlice = await sourcesReply(await context(ALICE), { text })();
    const toBob = await sourcesReply(await context(BOB), { text })();
    // m1 (Alice's) comes first, then m2 (Bob's: " the " in common)
    expect(
      lines(toCarol)
        .slice(1, 3)
        .map((l) => l.includes("a message (author hidden)")),
    ).toEqual([true, true]);
    expect(replyText(toCarol)).not.toContain("your message");
    expect(
      lines(toAlice)
        .slice(1, 3)
        .map((l) => l.includes("your message")),
    ).toEqual([true, false]);
    expect(
      lines(toBob)
        .slice(1, 3)
        .map((l) => l.includes("your message")),
    ).toEqual([false, true]);
    for (const reply of [toCarol, toBob, toAlice]) {
      expect(JSON.stringify(reply)).not.toContain(ALICE);
      expect(JSON.stringify(reply)).not.toContain(BOB);
    }
    // the shared stretch is the bold quote
    expect(allParts(toAlice)).toContainEqual({ kind: "quote", text: "the cat sat on the warm mat", strong: true });
  });

  it("never shows a forgotten message, a deleted one, an edited one's old text, or one past the retention period", async () => {
    const text = "yesterday the cat sat on the warm mat, and dogs like to run in the park";
    await forgetAuthor(asyncSqliteStore(store), GUILD, ALICE);
    expect((await search(ALICE, text)).matches.map((m) => m.id)).toEqual(["m2"]);
    add(GUILD, "m4", BOB, "the cat sat on the warm mat again");
    store.messages.updateText(GUILD, "m2", "編集: 全部消した");
    expect((await search(ALICE, text)).matches.map((m) => m.id)).toEqual(["m4"]);
    store.messages.delete(GUILD, "m4");
    add(GUILD, "m5", BOB, "the cat sat on the warm mat long ago", NOW - 40 * DAY);
    expect((await search(ALICE, text)).matches.map((m) => m.id)).toEqual(["m5"]);
    // 30 days kept: m5 is past it, even before the periodic sweep deletes it
    await setRetentionDays(asyncSqliteStore(store), GUILD, 30);
    const reply = await sourcesReply(await context(ALICE), { text })();
    expect(replyText(reply)).not.toContain("long ago");
    expect((await search(ALICE, text)).matches).toEqual([]);
    expect(store.messages.count(GUILD)).toBe(3);
  });

  it("never shows another server's messages", async () => {
    add(OTHER_GUILD, "x1", ALICE, "a secret of the other server, told word for word");
    const result = await search(ALICE, "a secret of the other server, told word for word");
    expect(result.matches.map((m) => m.id)).not.toContain("x1");
    expect((await search(ALICE, "a secret of the other server", OTHER_GUILD)).matches.map((m) => m.id)).toEqual(["x1"]);
  });

  it("keeps the verbatim rule: no run of MIN_RUN characters of any stored message anywhere in the reply", async () => {
    const long = "this is a long stored message that someone wrote here about their private weekend plans";
    add(GUILD, "m6", BOB, long);
    // the asker pastes the whole message (and more): still no copy comes back, not even in the quote of the text
    const reply = await sourcesReply(await context(ALICE), { text: `they said: ${long}!` })();
    const shown = replyText(reply);
    expect(shown).toContain("characters shared");
    const index = new VerbatimIndex(store.messages.texts(GUILD));
    expect(index.copiedRuns(shown)).toEqual([]);
    expect(allParts(reply)).toContainEqual({ kind: "quote", text: [...long].slice(0, EXCERPT_CHARS).join(""), strong: true });
  });

  it("says so when nothing is stored here", async () => {
    const reply = await sourcesReply(
      { handle: scriptedHandle("x"), lang: "ja", heavy: runNow, redactor: null, sources: null },
      { text: "猫" },
    )();
    expect(replyText(reply)).toContain("保存されていません");
  });
});

describe("/sources in the playground", () => {
  it("searches the texts trained there, named as such", async () => {
    const store = openStore(":memory:");
    const shared = asyncSqliteStore(store);
    await keepTrainingTexts(shared, LOCAL_SPACE, ["The quick brown fox jumps over the lazy dog.", "吾輩は猫である。名前はまだ無い。"]);
    const rc: ReplyContext = {
      handle: scriptedHandle("x"),
      lang: "ja",
      heavy: runNow,
      redactor: await redactorFor(shared, LOCAL_SPACE),
      sources: sourceScopeFor(shared, LOCAL_SPACE, null),
    };
    const reply = await sourcesReply(rc, { text: "名前はまだ決めていない" })();
    const parts = allParts(reply);
    expect(parts).toContainEqual({ kind: "quote", text: "名前はまだ", strong: true });
    expect(parts.some((p) => p.kind === "text" && p.text.includes("ここで学習した文章"))).toBe(true);
    store.close();
  });
});
