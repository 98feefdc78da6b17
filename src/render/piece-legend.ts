/**
 * Labels of tokens that hold part of a character (made by src/tokenizer/pieces.ts):
 * "猫 1/3" (one byte of 猫's three), "猫 1–2/3" (two of them), "<e7>…" (the start of a
 * character the text never finishes). Pictures that show such a label add the legend below once.
 */
import type { Lang } from "./lang.ts";

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
