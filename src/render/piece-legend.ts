/**
 * Labels of tokens that hold part of a character (made by src/tokenizer/pieces.ts):
 * "猫 1/3" (one byte of 猫's three), "猫 1–2/3" (two of them), "<e7>…" (the start of a
 * character the text never finishes). Pictures that show such a label add the legend below once.
 */
import type { Lang } from "./lang.ts";
import { drawNote } from "./picture.ts";
import { setFont, wrapText, type Ctx } from "./text.ts";
import { TYPE } from "./theme.ts";

const PARTIAL = /\s\d+(?:–\d+)?\/\d$|…$/u;

/** Whether a token label names part of a character rather than whole characters. */
export function isPartialLabel(label: string): boolean {
  return PARTIAL.test(label);
}

const LEGEND: Record<Lang, string> = {
  en: "A label like “猫 1/3” is one byte of a character that has no token of its own (the 1st of the 3 bytes 猫 takes in UTF-8); “<e7>…” begins a character that is not finished.",
  ja: "「猫 1/3」のような表示は、専用のトークンがない文字の1バイト分です（猫はUTF-8で3バイト、その1番目）。「<e7>…」はまだ完成していない文字の始まりです。",
};

/** The legend, when any of the labels needs it; otherwise null. */
export function pieceLegend(labels: readonly string[], lang: Lang): string | null {
  return labels.some(isPartialLabel) ? LEGEND[lang] : null;
}

/** `notes` followed by the legend when any of the labels needs it. */
export function withPieceLegend(notes: readonly string[], labels: readonly string[], lang: Lang): string[] {
  const legend = pieceLegend(labels, lang);
  return legend === null ? [...notes] : [...notes, legend];
}

/** The legend wrapped to `width` pixels in the note font (none when no label needs it). */
export function pieceLegendLines(ctx: Ctx, labels: readonly string[], lang: Lang, width: number): string[] {
  const legend = pieceLegend(labels, lang);
  if (legend === null) return [];
  setFont(ctx, TYPE.small);
  return wrapText(ctx, legend, width);
}

/** Draws legend lines as notes from `y` down, one every LEGEND_LINE_HEIGHT pixels. */
export function drawPieceLegend(ctx: Ctx, lines: readonly string[], x: number, y: number, width: number): void {
  lines.forEach((line, i) => drawNote(ctx, line, x, y + i * LEGEND_LINE_HEIGHT, width));
}

/** Height of one legend line (the note font and its spacing). */
export const LEGEND_LINE_HEIGHT = TYPE.small + 8;
