/**
 * How often a chat reply is in the language of the message it answers, for each prompt form of
 * src/app/chat-prompt.ts, on the 50 Japanese and 50 English messages of eval/chat-language/
 * (Debian FAQ questions: not written by the team, not in any training text; see the SOURCES.md there).
 *
 *   npx tsx scripts/chat-language-eval.ts [--model FILE]
 *
 * Each message is answered alone (a conversation of one message), with the chat's own sampling
 * and a fixed seed per message (1 + its line number), by generateChatReply. A reply is in
 * Japanese when more than half of its letters are kana/kanji, in English when more than half
 * are Latin; a reply with no letters is in neither.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { generateChatReply } from "../src/app/chat.ts";
import { japaneseShare, promptAfterEndOfText, promptAsOneDocument, promptAsQuestion } from "../src/app/chat-prompt.ts";
import { fastestKernels } from "../src/app/kernels.ts";
import { DEFAULT_MODEL_PATH, loadModelFile } from "../src/app/load-model.ts";
import type { ModelHandle } from "../src/app/model-handle.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const { values } = parseArgs({ options: { model: { type: "string" } } });
const modelPath = values.model ?? DEFAULT_MODEL_PATH;
const handle = await loadModelFile(modelPath, path.basename(modelPath), fastestKernels());

const FORMS: Record<string, (h: ModelHandle, messages: readonly string[]) => number[]> = {
  "after end-of-text (before)": promptAfterEndOfText,
  "one document": promptAsOneDocument,
  "question and answer": promptAsQuestion,
};
const LANGS = ["ja", "en"] as const;
const messages = Object.fromEntries(
  LANGS.map((lang) => [
    lang,
    readFileSync(path.join(ROOT, "eval/chat-language", `${lang}.txt`), "utf8")
      .split("\n")
      .filter((l) => l.trim().length > 0),
  ]),
) as Record<(typeof LANGS)[number], string[]>;

console.log(`model ${path.relative(ROOT, modelPath)}; ${messages.ja.length} ja and ${messages.en.length} en messages; seed 1 + line`);
for (const [form, prompt] of Object.entries(FORMS)) {
  for (const lang of LANGS) {
    let same = 0;
    let empty = 0;
    let shareSum = 0;
    let shareCount = 0;
    const examples: string[] = [];
    for (const [i, message] of messages[lang].entries()) {
      const reply = await generateChatReply(handle, prompt(handle, [message]), { seed: 1 + i });
      const share = japaneseShare(reply.text);
      if (share === null) {
        empty++;
      } else {
        shareSum += share;
        shareCount++;
        if (lang === "ja" ? share > 0.5 : share < 0.5) same++;
      }
      if (i < 2) examples.push(`    ${JSON.stringify(message)} → ${JSON.stringify(reply.text.slice(0, 80))}`);
    }
    const n = messages[lang].length;
    const mean = shareCount > 0 ? shareSum / shareCount : 0;
    console.log(
      `${form.padEnd(28)} ${lang}: ${same}/${n} replies in ${lang} (${((100 * same) / n).toFixed(0)} %), ${empty} without letters, mean kana/kanji share of letters ${(100 * mean).toFixed(1)} %`,
    );
    for (const e of examples) console.log(e);
  }
}
