/**
 * A Reply (src/app/reply.ts) as Discord messages: markdown for the sentence table's **bold**,
 * code spans for tokens, quotes as plain text (markdown escaped, mentions inert), code blocks in
 * ``` fences, the footer (and the note about a cut copy) in small text ("-# "), the pictures as
 * attachments of the first message.
 *
 * Discord's 2000 characters are this file's business, not the use case's:
 *   1. a reply that fits is one message: its blocks one per line, then the notes and the footer
 *   2. a longer one is split between its blocks (an explanation's paragraphs, its table) into as
 *      many messages as it takes, each block whole; code longer than a message is split between
 *      its lines, each part in its own fences; blank lines at a message's edges are dropped
 *   3. the notes and the footer stay whole at the end of the last message; a single block too
 *      long for its message (a long /generate) is cut there at a line or word with "…"
 */
import type { Block, NoticeKind, Part, Reply } from "../../app/reply.ts";
import { bold, discordTime, plainText } from "./format.ts";
import { cutText, MESSAGE_LIMIT, type Outgoing } from "./outgoing.ts";
import { codeSpan, percent, probabilityBar } from "./token-format.ts";

/** Notes shown in small text; the others (unknown characters, how a generation ended) as plain lines. */
const SMALL_NOTICES: readonly NoticeKind[] = ["verbatim-cut"];
const FENCE = "```";

/** The reply as Discord messages, in order (one unless it is longer than a message; see above). */
export function discordMessages(reply: Reply, limit = MESSAGE_LIMIT): Outgoing[] {
  const tail = tailText(reply);
  const blocks = reply.body.flatMap((b) => blockTexts(b, limit));
  // 1. each message a list of whole blocks (greedy), 3. the tail's room kept in the last one
  const messages: string[][] = [];
  let current: string[] = [];
  for (const whole of blocks) {
    const block = cutText(whole, limit);
    if (current.length > 0 && joined([...current, block]).length > limit) {
      messages.push(current);
      current = [];
    }
    if (current.length > 0 || block !== "") current.push(block);
  }
  messages.push(current);
  for (const [i, m] of messages.entries()) messages[i] = trimBlank(m);
  while (tail !== "") {
    const last = messages[messages.length - 1];
    if (last.length === 0 || joined([...last, tail]).length <= limit) break;
    if (last.length === 1) {
      last[0] = cutText(last[0], limit - tail.length - 1);
      break;
    }
    messages.push([last.pop()!]);
  }
  if (tail !== "") messages[messages.length - 1].push(tail);
  const contents = messages.map(joined).filter((c) => c !== "");
  if (contents.length === 0) contents.push("");
  return contents.map((content, i) => ({
    content: cutText(content, limit),
    ...(i === 0 && { files: reply.pictures.map((p) => ({ name: p.name, data: p.png })) }),
  }));
}

/**
 * The reply as one message, for a message edited in place: the body cut to fit with the notes
 * and the footer kept whole (a reply that fits is the same as discordMessages' one message).
 */
export function discordMessage(reply: Reply): Outgoing {
  const body = reply.body.map((b) => blockTexts(b, Number.POSITIVE_INFINITY).join("\n")).join("\n");
  const tail = tailText(reply);
  const content = tail === "" ? cutText(body) : body === "" ? cutText(tail) : `${cutText(body, MESSAGE_LIMIT - tail.length - 1)}\n${tail}`;
  return { content, files: reply.pictures.map((p) => ({ name: p.name, data: p.png })) };
}

/** What must stay whole: the notes (the cut copy in small text, as an aside), then the footer in small text. */
function tailText(reply: Reply): string {
  return [
    ...reply.notices.map((n) => (SMALL_NOTICES.includes(n.kind) ? `-# ${n.text}` : n.text)),
    ...(reply.footer ? [`-# ${partsText(reply.footer)}`] : []),
  ].join("\n");
}

/** A block as message text: one text, or for code longer than `limit` several fenced parts. */
function blockTexts(block: Block, limit: number): string[] {
  if ("line" in block) return [partsText(block.line)];
  if ("table" in block) return [block.table.map((row) => row.map(partText).join(" ")).join("\n")];
  const parts: string[][] = [[]];
  const room = limit - 2 * (FENCE.length + 1);
  for (const line of block.code) {
    const part = parts[parts.length - 1];
    if (part.length > 0 && joined([...part, line]).length > room) parts.push([line]);
    else part.push(line);
  }
  return parts.map((lines) => `${FENCE}\n${lines.join("\n")}\n${FENCE}`);
}

const joined = (blocks: readonly string[]) => blocks.join("\n");

/** Without the blank lines (paragraph gaps) at either end. */
function trimBlank(blocks: string[]): string[] {
  let start = 0;
  let end = blocks.length;
  while (start < end && blocks[start] === "") start++;
  while (end > start && blocks[end - 1] === "") end--;
  return blocks.slice(start, end);
}

function partsText(parts: readonly Part[]): string {
  return parts.map(partText).join("");
}

function partText(part: Part): string {
  switch (part.kind) {
    case "text":
      return part.text;
    case "quote":
      return part.strong ? bold(part.text) : plainText(part.text);
    case "token":
      return codeSpan(part.text || "∅");
    case "prob":
      return `${probabilityBar(part.value)} ${percent(part.value)}`;
    case "rank":
      return `${String(part.value).padStart(2, " ")}.`;
    case "model":
      return plainText(part.name);
    case "time":
      return discordTime(part.ms);
    case "channel":
      return `<#${part.id}>`;
  }
}
