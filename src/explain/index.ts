/** The bilingual texts of the explanatory mode: pick a language's set. */
import type { ExplainTexts } from "./facts.ts";
import type { ExplainLang } from "./topics.ts";
import { en } from "./en.ts";
import { ja } from "./ja.ts";

export const TEXTS: Record<ExplainLang, ExplainTexts> = { ja, en };

export function textsFor(lang: ExplainLang): ExplainTexts {
  return TEXTS[lang];
}

export { TOPICS, isTopicName, isExplainLang, type TopicName, type ExplainLang } from "./topics.ts";
export type * from "./facts.ts";
