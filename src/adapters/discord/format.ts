/** Small text formats the replies share: quotes, Discord timestamps (numbers: src/app/number-format.ts). */
import { escapeMarkdown } from "discord.js";
import { inertMentions } from "./outgoing.ts";

/** How much of a user's text a reply quotes (its end, when longer). */
export const QUOTE_CHARS = 60;

export { formatDuration, formatInt, formatLoss } from "../../app/number-format.ts";

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

/** A user's text in bold: markdown bold needs no space just inside the stars, so its outer spaces stay outside. */
export function bold(text: string): string {
  const core = text.trim();
  if (core.length === 0) return text;
  const start = text.indexOf(core);
  return `${text.slice(0, start)}**${plainText(core)}**${text.slice(start + core.length)}`;
}
