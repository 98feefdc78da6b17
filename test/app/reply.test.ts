/**
 * One Reply, three media: every surface shows the numbers and the cuts of the same Reply. The
 * redaction happens in the use case, so a stored text the model writes back is cut in the
 * Discord message, the page's JSON and the terminal alike; Discord's formatter keeps to 2000
 * characters; the terminal's tables line up with wide (CJK) characters.
 */
import { describe, expect, it } from "vitest";
import { displayWidth } from "../../src/adapters/cli/display-width.ts";
import { terminalText } from "../../src/adapters/cli/reply-format.ts";
import { MESSAGE_LIMIT } from "../../src/adapters/discord/outgoing.ts";
import { discordMessage } from "../../src/adapters/discord/reply-format.ts";
import { webReply } from "../../src/adapters/web/reply-format.ts";
import { handleFromCheckpoint, type ModelHandle } from "../../src/app/model-handle.ts";
import { SHIPPED_MODEL } from "../../src/app/model-identity.ts";
import { predictNext } from "../../src/app/predict.ts";
import { CUT_MARK, type Redactor } from "../../src/app/redaction.ts";
import { generateReply, traceReply } from "../../src/app/replies/generate.ts";
import { predictReply } from "../../src/app/replies/predict.ts";
import { prob, quote, rank, type Reply, type ReplyContext, runNow, token } from "../../src/app/reply.ts";
import { SENTENCES } from "../../src/app/sentences.ts";
import { MIN_RUN, VerbatimIndex } from "../../src/app/verbatim.ts";
import { loadCheckpointBytes } from "../../src/model/checkpoint.ts";
import { scriptedHandle, tinyCheckpointBytes } from "../discord/tiny-model.ts";

const context = (handle: ModelHandle, redactor: Redactor | null = null, lang: "en" | "ja" = "en"): ReplyContext => ({
  handle: { ...handle, identity: SHIPPED_MODEL },
  lang,
  heavy: runNow,
  redactor,
});

/** The three media's text of one Reply. */
function formatted(reply: Reply): { discord: string; web: string; terminal: string } {
  const t = terminalText(reply);
  return { discord: discordMessage(reply).content!, web: webReply(reply).text, terminal: t.out + t.notes };
}

describe("one Reply for every surface", () => {
  it("/predict: Discord, the page and the terminal show the same candidates with the same percentages, those of the use case", async () => {
    const handle = handleFromCheckpoint(loadCheckpointBytes(tinyCheckpointBytes(3), "tiny"), "tiny");
    const reply = await predictReply(context(handle), { text: "今日は", k: 6 })();
    const direct = predictNext(handle, "今日は", { k: 6 }).candidates.map((c) => (c.prob * 100).toFixed(1));
    const table = reply.body.find((b) => "table" in b)!;
    expect("table" in table && table.table.map((row) => row.find((p) => p.kind === "prob")!)).toEqual(
      predictNext(handle, "今日は", { k: 6 }).candidates.map((c) => prob(c.prob)),
    );
    const shown = formatted(reply);
    // the percentages each medium prints on its candidate rows, in order
    const percents = {
      discord: [...shown.discord.matchAll(/ (\d+\.\d)%$/gm)].map((m) => m[1]),
      web: [...shown.web.matchAll(/ (\d+\.\d) %$/gm)].map((m) => m[1]),
      terminal: [...shown.terminal.matchAll(/ (\d+\.\d)% {2}█*$/gm)].map((m) => m[1]),
    };
    expect(percents).toEqual({ discord: direct, web: direct, terminal: direct });
    expect(reply.pictures.map((p) => p.name)).toEqual(["predict.png"]);
  });

  describe("a stored text the model writes back is cut in every medium, by the use case", () => {
    // /generate against the real index of stored messages (a run of MIN_RUN characters);
    // /trace writes at most 20 tokens, fewer than MIN_RUN characters of a character model, so its
    // stored text is found by a redactor that matches it whole, whatever its length
    const long = "the secret words of someone here, told in confidence";
    const short = "secret words";
    const whole = (text: string): Redactor => ({
      copiedRuns: (written) => {
        const at = written.indexOf(text);
        return at < 0 ? [] : [[[...written.slice(0, at)].length, [...written.slice(0, at)].length + [...text].length]];
      },
    });
    for (const [command, present, stored, redactor, cutShows] of [
      ["generate", generateReply, long, new VerbatimIndex([long]), long.slice(0, MIN_RUN)],
      ["trace", traceReply, short, whole(short), short],
    ] as const) {
      it(`/${command}`, async () => {
        const options = { prompt: "hi", tokens: command === "trace" ? 20 : 60, seed: 1 };
        // without stored texts the model's words are shown: the cut below is the redaction's doing
        const open = formatted(await present(context(scriptedHandle(stored)), options)());
        for (const text of Object.values(open)) expect(text).toContain(stored);
        const reply = await present(context(scriptedHandle(stored), redactor), options)();
        expect(reply.notices.map((n) => n.kind)).toContain("verbatim-cut");
        for (const [medium, text] of Object.entries(formatted(reply))) {
          expect(text, medium).not.toContain(cutShows);
          expect(text, medium).toContain(CUT_MARK);
          expect(text, medium).toContain(SENTENCES.en.verbatimCut);
        }
      });
    }
  });

  it("Discord's formatter cuts a long body to 2000 characters and keeps the notes and the footer whole", () => {
    const reply: Reply = {
      body: [{ line: [quote("Once", true), quote(" upon a time".repeat(400))] }],
      notices: [{ kind: "verbatim-cut", text: SENTENCES.en.verbatimCut }],
      footer: [{ kind: "text", text: "footer · seed 7" }],
      pictures: [],
    };
    const content = discordMessage(reply).content!;
    expect(content.length).toBeLessThanOrEqual(MESSAGE_LIMIT);
    expect(content.split("\n").slice(-2)).toEqual([`-# ${SENTENCES.en.verbatimCut}`, "-# footer · seed 7"]);
    expect(content).toContain("…\n-# ");
    // the page has no such limit: it shows everything
    expect(webReply(reply).text.length).toBeGreaterThan(4000);
  });

  it("the terminal pads table columns by display width, so wide characters line up", () => {
    const labels = ["猫", "ab", "東京都", "x"];
    const reply: Reply = {
      body: [{ table: labels.map((l, i) => [rank(i + 1), token(l), prob(0.1 * (i + 1))]) }],
      notices: [],
      pictures: [],
    };
    const rows = terminalText(reply).out.trimEnd().split("\n");
    expect(rows).toHaveLength(4);
    // the column where each row's percentage starts, in terminal columns
    const columns = rows.map((row) => displayWidth(row.slice(0, row.search(/\d+\.\d%/))));
    expect(new Set(columns).size).toBe(1);
    expect(displayWidth("東京都")).toBe(6);
    expect(displayWidth("ab␣")).toBe(3);
  });
});
