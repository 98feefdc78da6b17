/**
 * The text of /generate and /trace: the prompt in bold, then what the model wrote, both shown
 * as plain text (no markdown, mentions inert), cut to fit Discord with the footer kept.
 */
import type { GeneratedText } from "../../app/generate-text.ts";
import { plainText } from "./format.ts";
import type { Strings } from "./i18n.ts";
import { cutText, MESSAGE_LIMIT } from "./outgoing.ts";

/** Markdown bold needs no space just inside the stars: keep the prompt's outer spaces outside. */
export function bold(text: string): string {
  const core = text.trim();
  if (core.length === 0) return text;
  const start = text.indexOf(core);
  return `${text.slice(0, start)}**${plainText(core)}**${text.slice(start + core.length)}`;
}

export function generatedMessage(result: GeneratedText, text: Strings, footer: string): string {
  let body = bold(result.prompt) + plainText(result.text);
  if (result.text.length === 0) body += `${body.length > 0 ? "\n" : ""}${text.generateNothing}`;
  else if (result.stoppedBy === "stopToken") body += `\n${text.generateEnded}`;
  return `${cutText(body, MESSAGE_LIMIT - footer.length - 1)}\n${footer}`;
}

export { randomSeed } from "../../app/generate-text.ts";
