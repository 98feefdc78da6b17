/** The text beside the /predict picture: the candidates with percentages, whitespace visible. */
import type { PredictResult } from "../../app/predict.ts";
import { visibleToken } from "../../render/text.ts";
import type { Strings } from "./i18n.ts";
import { inertMentions } from "./outgoing.ts";

/** How much of the input the header quotes (its end: that is what the prediction continues). */
const QUOTE_CHARS = 60;
const BAR_WIDTH = 10;

export function predictSummary(result: PredictResult, modelName: string, text: Strings): string {
  const lines = [text.predictHeader(quoteEnd(result.text, text), modelName, result.temperature)];
  result.candidates.forEach((c, i) => {
    lines.push(`${String(i + 1).padStart(2, " ")}. ${codeSpan(visibleToken(c.token) || "∅")} ${bar(c.prob)} ${percent(c.prob)}`);
  });
  if (result.unknown > 0) lines.push(text.predictUnknown(result.unknown));
  if (result.dropped > 0) lines.push(text.predictDropped(result.dropped));
  return lines.join("\n");
}

/** The end of the text on one line, mentions inert. */
function quoteEnd(input: string, text: Strings): string {
  if (input.length === 0) return text.predictEmptyText;
  const chars = [...input];
  const tail = chars.length > QUOTE_CHARS ? `…${chars.slice(-QUOTE_CHARS).join("")}` : input;
  return inertMentions(tail.replace(/\r?\n/g, "↵").replace(/`/g, "ˋ"));
}

/** Inline code that survives backticks in the token. */
export function codeSpan(token: string): string {
  return token.includes("`") ? `\`\` ${token} \`\`` : `\`${token}\``;
}

export function percent(p: number): string {
  if (p > 0 && p < 0.001) return "<0.1%";
  return `${(p * 100).toFixed(1)}%`;
}

function bar(p: number): string {
  const filled = Math.round(Math.min(1, Math.max(0, p)) * BAR_WIDTH);
  return "█".repeat(filled) + "░".repeat(BAR_WIDTH - filled);
}
