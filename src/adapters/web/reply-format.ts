/**
 * A Reply (src/app/reply.ts) as the playground's JSON (WebReply): one text the page shows as
 * text, with **bold** marks for the sentence table's bold, the prompt of a continuation and each
 * token, code in ``` fences (the page shows it monospace); the notes and the footer as its last
 * lines; the pictures as they are. A reply with tables also carries its blocks in order, each
 * table as rows of cells (the same markup), for the page to lay out as a table.
 */
import { type Part, type Reply, utcTime } from "../../app/reply.ts";
import type { WebBlock, WebReply } from "./command-spec.ts";

export function webReply(reply: Reply): WebReply {
  // the body's blocks, the lines between two tables joined into one text block
  const blocks: WebBlock[] = [];
  const addLines = (lines: string[]) => {
    const previous = blocks[blocks.length - 1];
    if (previous && "text" in previous) previous.text += `\n${lines.join("\n")}`;
    else blocks.push({ text: lines.join("\n") });
  };
  for (const block of reply.body) {
    if ("line" in block) addLines([partsText(block.line)]);
    else if ("table" in block) blocks.push({ table: block.table.map((row) => row.map(partText)) });
    else addLines(["```", ...block.code, "```"]);
  }
  const tail = [...reply.notices.map((n) => n.text), ...(reply.footer ? [partsText(reply.footer)] : [])];
  if (tail.length > 0) addLines(tail);
  const text = blocks.flatMap((b) => ("text" in b ? [b.text] : b.table.map((row) => row.join(" ")))).join("\n");
  return {
    text,
    ...(blocks.some((b) => "table" in b) && { blocks }),
    ...(reply.pictures.length > 0 && { images: reply.pictures.map((p) => ({ name: p.name, png: p.png, ...(p.fine && { fine: true }) })) }),
  };
}

function partsText(parts: readonly Part[]): string {
  return parts.map(partText).join("");
}

function partText(part: Part): string {
  switch (part.kind) {
    case "text":
      return part.text;
    case "quote":
      return part.strong && part.text !== "" ? `**${part.text}**` : part.text;
    case "token":
      return `**${part.text || "∅"}**`;
    case "prob":
      return `${(part.value * 100).toFixed(1)} %`;
    case "rank":
      return `${part.value}.`;
    case "model":
      return part.name;
    case "time":
      return utcTime(part.ms);
    case "channel":
      return `#${part.id}`;
  }
}
