/** Small text formats the replies share: numbers, losses, durations, quotes, Discord timestamps. */
import { escapeMarkdown } from "discord.js";
import type { Lang } from "./i18n.ts";
import { inertMentions } from "./outgoing.ts";

/** How much of a user's text a reply quotes (its end, when longer). */
export const QUOTE_CHARS = 60;

export function formatInt(n: number, lang: Lang): string {
  return Math.round(n).toLocaleString(lang === "ja" ? "ja-JP" : "en-US");
}

export function formatLoss(loss: number | null | undefined): string {
  return loss === null || loss === undefined || !Number.isFinite(loss) ? "–" : loss.toFixed(3);
}

/** 75 → "1 min 15 s" / "1分15秒"; under a minute in seconds; hours as "1 h 5 min". */
export function formatDuration(seconds: number, lang: Lang): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = s % 60;
  if (lang === "ja") {
    if (h > 0) return `${h}時間${m > 0 ? `${m}分` : ""}`;
    if (m > 0) return `${m}分${r > 0 ? `${r}秒` : ""}`;
    return `${r}秒`;
  }
  if (h > 0) return `${h} h${m > 0 ? ` ${m} min` : ""}`;
  if (m > 0) return `${m} min${r > 0 ? ` ${r} s` : ""}`;
  return `${r} s`;
}

/** A Discord timestamp (shown in each reader's own time zone and language); R = "3 minutes ago". */
export function discordTime(ms: number, style: "R" | "f" | "d" = "R"): string {
  return `<t:${Math.floor(ms / 1000)}:${style}>`;
}

/** The end of a user's text on one line, mentions inert, backticks harmless; `empty` for "". */
export function quoteEnd(input: string, empty: string): string {
  if (input.length === 0) return empty;
  const chars = [...input];
  const tail = chars.length > QUOTE_CHARS ? `…${chars.slice(-QUOTE_CHARS).join("")}` : input;
  return inertMentions(tail.replace(/\r?\n/g, "↵").replace(/`/g, "ˋ"));
}

/** Text from a user or the model shown as it is: no markdown, no mentions. */
export function plainText(text: string): string {
  return inertMentions(escapeMarkdown(text));
}
