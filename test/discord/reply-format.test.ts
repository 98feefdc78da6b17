/**
 * Discord's 2000 characters are the Discord formatter's business: a long explanation is split
 * between its pieces (paragraphs, the table, the table's lines) into messages that each fit,
 * every piece whole, nothing lost and nothing said twice; a reply that fits is one message, the
 * same as before.
 */
import { describe, expect, it } from "vitest";
import { MESSAGE_LIMIT } from "../../src/adapters/discord/outgoing.ts";
import { discordMessage, discordMessages } from "../../src/adapters/discord/reply-format.ts";
import { webReply } from "../../src/adapters/web/reply-format.ts";
import { terminalText } from "../../src/adapters/cli/reply-format.ts";
import type { Explanation } from "../../src/app/explain/index.ts";
import { explanationBlocks } from "../../src/app/replies/explain.ts";
import { quote, type Reply } from "../../src/app/reply.ts";

/** An explanation of `paragraphs` numbered paragraphs of about 180 characters and a table of `rows` numbered rows. */
function longExplanation(paragraphs: number, rows: number): Omit<Explanation, "pictures"> {
  return {
    topic: "loss",
    lang: "en",
    title: "The loss",
    modelLine: "Model: **test model**",
    paragraphs: Array.from(
      { length: paragraphs },
      (_, i) => `Paragraph ${i}: ${"the model reads every token once and ".repeat(5)}end ${i}.`,
    ),
    table: ["token      p(next)", ...Array.from({ length: rows }, (_, i) => `row ${String(i).padStart(3)}   ${(i / rows).toFixed(3)}`)],
  };
}

const picture = { name: "loss.png", png: new Uint8Array([1, 2, 3]) };
const replyOf = (e: Omit<Explanation, "pictures">): Reply => ({ body: explanationBlocks(e), notices: [], pictures: [picture] });

/** How many times `piece` occurs in `text`. */
const count = (text: string, piece: string) => text.split(piece).length - 1;

describe("a long explanation on Discord", () => {
  const e = longExplanation(24, 150);
  const messages = discordMessages(replyOf(e));
  const contents = messages.map((m) => m.content!);

  it("is split into messages of at most 2000 characters", () => {
    expect(contents.length).toBeGreaterThan(3);
    for (const c of contents) expect(c.length).toBeLessThanOrEqual(MESSAGE_LIMIT);
  });

  it("keeps every paragraph and table line whole, in exactly one message, once, in order", () => {
    const all = contents.join("\n");
    for (const piece of [e.modelLine, `**${e.title}**`, ...e.paragraphs, ...e.table!.slice(1)]) {
      expect(count(all, piece), piece).toBe(1);
      expect(
        contents.filter((c) => c.includes(piece)),
        piece,
      ).toHaveLength(1);
    }
    const at = e.paragraphs.map((p) => all.indexOf(p));
    expect(at).toEqual([...at].sort((a, b) => a - b));
    expect(all).not.toContain("…");
  });

  it("starts each message at a piece and never with a blank line; code parts are fenced", () => {
    const starts = [e.modelLine, ...e.paragraphs, "```"];
    for (const c of contents) {
      expect(
        starts.some((s) => c.startsWith(s)),
        c.slice(0, 40),
      ).toBe(true);
      expect(count(c, "```") % 2, c.slice(0, 40)).toBe(0);
    }
    // the table is longer than a message: its lines are split between two or more fenced parts
    expect(contents.filter((c) => c.includes("row ")).length).toBeGreaterThanOrEqual(2);
  });

  it("attaches the pictures to the first message only", () => {
    expect(messages[0].files).toEqual([{ name: "loss.png", data: picture.png }]);
    for (const m of messages.slice(1)) expect(m.files).toBeUndefined();
  });

  it("is shown whole, in one text, by the page and the terminal", () => {
    const web = webReply(replyOf(e)).text;
    const terminal = terminalText(replyOf(e)).out;
    for (const piece of [...e.paragraphs, ...e.table!]) {
      expect(count(web, piece)).toBe(1);
      expect(count(terminal, piece)).toBe(1);
    }
    expect(count(web, "```")).toBe(2);
    expect(terminal).not.toContain("```");
  });
});

describe("a reply that fits", () => {
  it("is one message, the same as the single-message formatter's", () => {
    const e = longExplanation(3, 10);
    const [only, ...more] = discordMessages(replyOf(e));
    expect(more).toEqual([]);
    expect(only).toEqual(discordMessage(replyOf(e)));
    expect(only.content).toBe(`${e.modelLine}\n\n**${e.title}**\n${e.paragraphs.join("\n\n")}\n\`\`\`\n${e.table!.join("\n")}\n\`\`\``);
  });

  it("one block too long (a long /generate) is still cut in one message, the notes and footer kept", () => {
    const reply: Reply = {
      body: [{ line: [quote("Once", true), quote(" upon a time".repeat(400))] }],
      notices: [{ kind: "verbatim-cut", text: "cut note" }],
      footer: [{ kind: "text", text: "footer · seed 7" }],
      pictures: [],
    };
    const messages = discordMessages(reply);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toEqual(discordMessage(reply));
    expect(messages[0].content!.split("\n").slice(-2)).toEqual(["-# cut note", "-# footer · seed 7"]);
  });
});
