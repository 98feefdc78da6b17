/**
 * The two languages the project speaks, once for every layer (pictures, explanations, the
 * sentences of the bot, the playground and the console).
 */
export type Lang = "ja" | "en";

export const LANGS: readonly Lang[] = ["ja", "en"];

export function isLang(value: unknown): value is Lang {
  return value === "ja" || value === "en";
}

/** A locale or an Accept-Language header ("ja-JP,ja;q=0.9,en;q=0.8", "ja") → "ja"; everything else English. */
export function langOfLocale(value: unknown): Lang {
  return typeof value === "string" && value.trim().toLowerCase().startsWith("ja") ? "ja" : "en";
}
