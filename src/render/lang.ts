/** The two languages every picture speaks (src/lang.ts); each module holds its own few label strings. */
import type { Lang } from "../lang.ts";

export type { Lang };

/** Picks the label set for `lang` (anything unknown falls back to English). */
export function labelsFor<T>(labels: Record<Lang, T>, lang: Lang): T {
  return lang === "ja" ? labels.ja : labels.en;
}
