/**
 * A Reply (src/app/reply.ts) as a Discord message: markdown for the sentence table's **bold**,
 * code spans for tokens, quotes as plain text (markdown escaped, mentions inert), the footer (and
 * the note about a cut copy) in small text ("-# "), the body cut so the whole fits Discord's 2000 characters
 * with the notes and the footer kept, and the pictures as attachments.
 */
import type { NoticeKind, Part, Reply } from "../../app/reply.ts";
import { bold, discordTime, plainText } from "./format.ts";
import { cutText, MESSAGE_LIMIT, type Outgoing } from "./outgoing.ts";
import { codeSpan, percent, probabilityBar } from "./token-format.ts";

/** Notes shown in small text; the others (unknown characters, how a generation ended) as plain lines. */
const SMALL_NOTICES: readonly NoticeKind[] = ["verbatim-cut"];

export function discordMessage(reply: Reply): Outgoing {
  // 1. the body: each line's parts side by side, each table row on its own line
  const body = reply.body
    .map((block) => ("line" in block ? partsText(block.line) : block.table.map((row) => row.map(partText).join(" ")).join("\n")))
    .join("\n");
  // 2. what must stay whole: the notes (the cut copy in small text, as an aside), then the footer in small text
  const tail = [
    ...reply.notices.map((n) => (SMALL_NOTICES.includes(n.kind) ? `-# ${n.text}` : n.text)),
    ...(reply.footer ? [`-# ${partsText(reply.footer)}`] : []),
  ].join("\n");
  const content = tail === "" ? cutText(body) : body === "" ? cutText(tail) : `${cutText(body, MESSAGE_LIMIT - tail.length - 1)}\n${tail}`;
  return { content, files: reply.pictures.map((p) => ({ name: p.name, data: p.png })) };
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
  }
}
