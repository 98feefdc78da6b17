/**
 * Monospace tables (Discord and the page show them in a code block, a terminal as they are). Japanese characters take two columns in a
 * monospace font, so padding counts display width, not string length.
 */

export type Align = "left" | "right";

export interface Table {
  header: string[];
  rows: string[][];
  /** per column; default left for the first column, right for the others */
  align?: Align[];
  /** rows under a rule (totals, results) */
  footer?: string[][];
}

/** Whether a code point takes two columns (East Asian Wide / Fullwidth, emoji). */
function isWide(code: number): boolean {
  return (
    (code >= 0x1100 && code <= 0x115f) ||
    (code >= 0x2e80 && code <= 0x303e) ||
    (code >= 0x3041 && code <= 0x33ff) ||
    (code >= 0x3400 && code <= 0x4dbf) ||
    (code >= 0x4e00 && code <= 0x9fff) ||
    (code >= 0xa000 && code <= 0xa4cf) ||
    (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe30 && code <= 0xfe4f) ||
    (code >= 0xff00 && code <= 0xff60) ||
    (code >= 0xffe0 && code <= 0xffe6) ||
    (code >= 0x1f300 && code <= 0x1faff) ||
    (code >= 0x20000 && code <= 0x3fffd)
  );
}

/** Columns `text` takes in a monospace font (combining marks and joiners take none). */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if ((code >= 0x300 && code <= 0x36f) || code === 0x200b || code === 0x200d || (code >= 0xfe00 && code <= 0xfe0f)) continue;
    width += isWide(code) ? 2 : 1;
  }
  return width;
}

/** Cuts a cell to `max` columns with "…". */
export function fitCell(text: string, max: number): string {
  if (displayWidth(text) <= max) return text;
  let out = "";
  for (const ch of text) {
    if (displayWidth(out + ch) > max - 1) break;
    out += ch;
  }
  return `${out}…`;
}

/** A cell can hold anything but a run of backticks (it would close the code block). */
function safeCell(text: string): string {
  return text.replace(/`/g, "ˋ").replace(/\r?\n/g, "↵");
}

function pad(text: string, width: number, align: Align): string {
  const gap = " ".repeat(Math.max(0, width - displayWidth(text)));
  return align === "right" ? gap + text : text + gap;
}

/** The table's lines, each column padded to its widest cell by display width; totals under a rule. */
export function tableLines(table: Table): string[] {
  const all = [table.header, ...table.rows, ...(table.footer ?? [])].map((row) => row.map(safeCell));
  const columns = Math.max(...all.map((r) => r.length));
  const widths = Array.from({ length: columns }, (_, c) => Math.max(0, ...all.map((r) => displayWidth(r[c] ?? ""))));
  const align = (c: number): Align => table.align?.[c] ?? (c === 0 ? "left" : "right");
  const line = (row: string[]) =>
    row
      .map((cell, c) => pad(cell ?? "", widths[c], align(c)))
      .join("  ")
      .replace(/\s+$/, "");
  const total = widths.reduce((a, b) => a + b, 0) + 2 * (columns - 1);
  const lines = [line(all[0]), ...all.slice(1, 1 + table.rows.length).map(line)];
  if (table.footer && table.footer.length > 0) {
    lines.push("-".repeat(total));
    lines.push(...all.slice(1 + table.rows.length).map(line));
  }
  return lines;
}
