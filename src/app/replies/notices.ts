/** The notes every reply about a prompt may carry: characters the model does not know, tokens it could not read. */
import type { Lang } from "../../lang.ts";
import type { Notice } from "../reply.ts";
import { SENTENCES } from "../sentences.ts";

export function promptNotices(lang: Lang, prompt: { unknown: number; dropped?: number }): Notice[] {
  const s = SENTENCES[lang];
  const notices: Notice[] = [];
  if (prompt.unknown > 0) notices.push({ kind: "unknown-chars", text: s.unknownChars(prompt.unknown) });
  if ((prompt.dropped ?? 0) > 0) notices.push({ kind: "dropped-tokens", text: s.droppedTokens(prompt.dropped!) });
  return notices;
}
