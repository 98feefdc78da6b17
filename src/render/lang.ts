/** The two languages every picture speaks; each module holds its own few label strings. */
export type Lang = "ja" | "en";

/** Picks the label set for `lang` (anything unknown falls back to English). */
export function labelsFor<T>(labels: Record<Lang, T>, lang: Lang): T {
  return lang === "ja" ? labels.ja : labels.en;
}
