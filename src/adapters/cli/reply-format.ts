/**
 * A Reply (src/app/reply.ts) as terminal text: the body on stdout (the answer, for pipes), the
 * notes and the footer on stderr (what is said about it). No markup: the Discord markdown of
 * the sentences and explanations (**bold**, *italic*, `code`, \-escapes) is read as plain text. A table's columns are padded by display width, so wide (CJK)
 * characters line up; a probability in a table is a percentage and a bar; code lines (already
 * aligned) as they are, without fences.
 */
import { type Part, type Reply, utcTime } from "../../app/reply.ts";
import { displayWidth, padToWidth } from "./display-width.ts";

const BAR_WIDTH = 40;

export function terminalText(reply: Reply): { out: string; notes: string } {
  const out = reply.body.flatMap((block) =>
    "line" in block ? [partsText(block.line)] : "table" in block ? tableLines(block.table) : block.code,
  );
  const notes = [...reply.notices.map((n) => n.text), ...(reply.footer ? [partsText(reply.footer)] : [])];
  return { out: lines(out), notes: lines(notes) };
}

function lines(list: string[]): string {
  return list.length === 0 ? "" : `${list.join("\n")}\n`;
}

/** Each row indented; each column but the last padded to its widest cell. */
function tableLines(rows: readonly Part[][]): string[] {
  const cells = rows.map((row) => row.map(cellText));
  const widths: number[] = [];
  for (const row of cells) row.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, displayWidth(c))));
  return cells.map((row) => `  ${row.map((c, i) => (i === row.length - 1 ? c : padToWidth(c, widths[i]))).join("  ")}`);
}

function cellText(part: Part): string {
  if (part.kind === "prob") return `${(part.value * 100).toFixed(1).padStart(5)}%  ${"█".repeat(Math.round(part.value * BAR_WIDTH))}`;
  return partText(part);
}

function partsText(parts: readonly Part[]): string {
  return parts.map(partText).join("");
}

function partText(part: Part): string {
  switch (part.kind) {
    case "text":
      return plainText(part.text);
    case "quote":
      return part.text;
    case "token":
      return part.text || "∅";
    case "prob":
      return `${(part.value * 100).toFixed(1)}%`;
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

/** Discord markdown as the terminal shows it: `**b**` → b, `*i*` → i, `` `c` `` → c, `\|` → | (an escaped mark stays). */
export function plainText(markdown: string): string {
  return markdown.replace(/\\([\\`*_~|[\]])|\*\*|`|\*(?=\S)((?:\\.|[^*\\\n])+?)\*/g, (_m, escaped?: string, italic?: string) =>
    escaped !== undefined ? escaped : italic !== undefined ? plainText(italic) : "",
  );
}
