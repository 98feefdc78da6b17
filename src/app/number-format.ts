/** Numbers as the replies show them, in English or Japanese: counts, losses, durations. */
import type { Lang as MessageLang } from "../lang.ts";

export function formatInt(n: number, lang: MessageLang): string {
  return Math.round(n).toLocaleString(lang === "ja" ? "ja-JP" : "en-US");
}

export function formatLoss(loss: number | null | undefined): string {
  return loss === null || loss === undefined || !Number.isFinite(loss) ? "–" : loss.toFixed(3);
}

/** 75 → "1 min 15 s" / "1分15秒"; under a minute in seconds; hours as "1 h 5 min". */
export function formatDuration(seconds: number, lang: MessageLang): string {
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
