/**
 * A Reply (src/app/reply.ts) as the playground's JSON (WebReply): one text the page shows as
 * text, with **bold** marks for the sentence table's bold, the prompt of a continuation and each
 * token, code in ``` fences (the page shows it monospace); the notes and the footer as its last
 * lines; the pictures as they are.
 */
import { type Part, type Reply, utcTime } from "../../app/reply.ts";
import type { WebReply } from "./command-spec.ts";

export function webReply(reply: Reply): WebReply {
  const lines = reply.body.flatMap((block) =>
    "line" in block
      ? [partsText(block.line)]
      : "table" in block
        ? block.table.map((row) => row.map(partText).join(" "))
        : ["```", ...block.code, "```"],
  );
  lines.push(...reply.notices.map((n) => n.text));
  if (reply.footer) lines.push(partsText(reply.footer));
  return {
    text: lines.join("\n"),
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
