/**
 * Builds eval/chat-language/{ja,en}.txt: 50 messages in each language for
 * scripts/chat-language-eval.ts, taken from a text the team did not write and no training reads:
 * the questions of the Debian FAQ (Debian packages debian-faq-ja and debian-faq, plain-text
 * editions), which is not part of data/corpus (data/corpus/SOURCES.md).
 *
 *   apt-get install debian-faq debian-faq-ja
 *   npx tsx scripts/build-chat-language-eval.ts
 *
 * Steps, for each language:
 *   1. the table of contents: every "N.N." (or "N.N.N.") entry, its wrapped lines joined
 *      (without a space between Japanese characters);
 *   2. questions first (entries ending in "?" or "？"), then the other entries, each in document order;
 *   3. the first 50 that do not occur in any data/corpus text file (checked, so none was trained on).
 */
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import path from "node:path";
import { readCorpus } from "../src/app/corpus.ts";

const COUNT = 50;
const SOURCES = {
  ja: "/usr/share/doc/debian/FAQ/debian-faq.ja.txt.gz",
  en: "/usr/share/doc/debian/FAQ/debian-faq.en.txt.gz",
} as const;

const CJK = /[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef]/;

/** Joins a wrapped line to the text before it: no space between two Japanese characters. */
function joinWrapped(before: string, next: string): string {
  const a = before.at(-1) ?? "";
  const b = next[0] ?? "";
  return CJK.test(a) && CJK.test(b) ? before + next : `${before} ${next}`;
}

/** Step 1: the table of contents' entries (the lines before the first chapter's body). */
function contentsEntries(text: string): string[] {
  const lines = text.split("\n");
  const entries: string[] = [];
  let current: string | null = null;
  for (const line of lines) {
    const entry = /^ {4}(?: {4})*\d+(?:\.\d+)+\.\s+(.*\S)\s*$/.exec(line);
    if (entry) {
      if (current !== null) entries.push(current);
      current = entry[1];
      continue;
    }
    const wrapped = /^ {8,}(\S.*\S|\S)\s*$/.exec(line);
    if (current !== null && wrapped && !/^\d+(?:\.\d+)*\.\s/.test(wrapped[1])) {
      current = joinWrapped(current, wrapped[1]);
      continue;
    }
    if (current !== null) {
      entries.push(current);
      current = null;
    }
  }
  if (current !== null) entries.push(current);
  return entries.map((e) => e.replace(/\s+/g, " ").trim());
}

const corpus = readCorpus(path.resolve("data/corpus"));
mkdirSync("eval/chat-language", { recursive: true });
for (const [lang, file] of Object.entries(SOURCES)) {
  const text = gunzipSync(readFileSync(file)).toString("utf8");
  const entries = [...new Set(contentsEntries(text))];
  // 2. questions first
  const isQuestion = (e: string) => /[?？]$/.test(e);
  const ordered = [...entries.filter(isQuestion), ...entries.filter((e) => !isQuestion(e))];
  // 3. none that a training text contains
  const chosen = ordered.filter((e) => !corpus.includes(e)).slice(0, COUNT);
  if (chosen.length < COUNT) throw new Error(`${file}: only ${chosen.length} usable entries, need ${COUNT}`);
  writeFileSync(`eval/chat-language/${lang}.txt`, `${chosen.join("\n")}\n`);
  console.log(
    `${lang}: ${chosen.length} messages (${chosen.filter(isQuestion).length} questions) from ${entries.length} entries of ${file}`,
  );
}
