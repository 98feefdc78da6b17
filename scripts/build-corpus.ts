/**
 * Rebuilds the package part of the training corpus (data/corpus/packages/) and the held-out
 * evaluation texts (eval/heldout/) from installed Debian packages. Sources and licences:
 * data/corpus/SOURCES.md. The team's own texts (data/corpus/en, data/corpus/ja) are not touched.
 *
 *   apt-get install debian-reference-ja debian-reference-en maint-guide-ja fortunes
 *   npx tsx scripts/build-corpus.ts
 *
 * Steps:
 *   1. the Debian Reference (ja, en) and the Debian New Maintainers' Guide (ja), plain-text
 *      editions: drop the table of contents, tables and indented examples; join each
 *      paragraph's wrapped lines (without a space in Japanese); one chapter per file;
 *   2. fortunes: one quotation per paragraph, a few files left out (ASCII art, and files
 *      whose jokes are about groups of people);
 *   3. held out, never written to the training corpus: chapter HELD_OUT_CHAPTER of the
 *      Debian Reference in both languages (domain text), and the fortune files
 *      HELD_OUT_FORTUNES (general English).
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";

const ROOT = path.resolve(import.meta.dirname, "..");
const TRAIN_DIR = path.join(ROOT, "data/corpus/packages");
const HELD_OUT_DIR = path.join(ROOT, "eval/heldout");
const HELD_OUT_CHAPTER = 8;
const HELD_OUT_FORTUNES = ["literature", "wisdom"];
const FORTUNES_DIR = "/usr/share/games/fortunes";
const FORTUNES_LEFT_OUT = new Set([
  "art",
  "ascii-art",
  "ethnic",
  "men-women",
  "drugs",
  "translate-me",
  "disclaimer",
  "debian",
  "linux",
  "linuxcookie",
  "perl",
  "zippy",
  "knghtbrd",
  "cookie",
  "politics",
  "startrek",
]);

interface Book {
  name: string;
  lang: "ja" | "en";
  file: string;
  /** the line that starts chapter n */
  chapter: RegExp;
}

const BOOKS: Book[] = [
  {
    name: "debian-reference",
    lang: "ja",
    file: "/usr/share/debian-reference/debian-reference.ja.txt.gz",
    chapter: /^(?:第(\d+)章|付録([A-Z]))/,
  },
  {
    name: "debian-reference",
    lang: "en",
    file: "/usr/share/debian-reference/debian-reference.en.txt.gz",
    chapter: /^(?:Chapter (\d+)\.|Appendix ([A-Z])\.)/,
  },
  {
    name: "maint-guide",
    lang: "ja",
    file: "/usr/share/doc/maint-guide-ja/maint-guide.ja.txt.gz",
    chapter: /^(?:第(\d+)章|付録([A-Z]))/,
  },
];

const CJK = /[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef]/u;

/** Lines of a wrapped paragraph as one line: Japanese joins without a space. */
function joinWrapped(lines: string[], lang: "ja" | "en"): string {
  let text = "";
  for (const line of lines) {
    const piece = line.trim();
    if (text === "") text = piece;
    else if (lang === "ja" && (CJK.test(text.at(-1)!) || CJK.test(piece[0]!))) text += piece;
    else text += ` ${piece}`;
  }
  return text;
}

/** Whether a paragraph is running text: not a table, not an example, mostly letters. */
function isProse(lines: string[]): boolean {
  const first = lines[0]!;
  if (/^\s*[|+]/.test(first)) return false; // table
  const indent = first.length - first.trimStart().length;
  if (indent > 4 && !/^\s*[*+] /.test(first)) return false; // an indented example, not a list item
  const text = lines.join(" ");
  const letters = [...text].filter((ch) => /[\p{L}]/u.test(ch)).length;
  return letters >= 0.6 * [...text.replace(/\s+/g, "")].length && letters >= 8;
}

/** One book as chapters (number or appendix letter → cleaned paragraphs). */
function chaptersOf(book: Book): Map<string, string[]> {
  // no-break spaces (U+00A0) in headings and text become plain spaces
  const lines = gunzipSync(readFileSync(book.file))
    .toString("utf8")
    .replace(/\r\n?/g, "\n")
    .replace(/\u00a0/g, " ")
    .split("\n");
  const chapters = new Map<string, string[]>();
  let current: string | null = null;
  let paragraph: string[] = [];
  const flush = () => {
    if (current !== null && paragraph.length > 0 && isProse(paragraph)) {
      const cleaned = paragraph.map((l) => l.replace(/^\s*[*+] /, ""));
      chapters.get(current)!.push(joinWrapped(cleaned, book.lang));
    }
    paragraph = [];
  };
  for (const line of lines) {
    // 1. a chapter heading starts a new chapter (the table of contents before the first is dropped)
    const heading = book.chapter.exec(line);
    if (heading) {
      flush();
      current = heading[1] ?? heading[2]!;
      if (!chapters.has(current)) chapters.set(current, []);
      chapters.get(current)!.push(line.trim());
      continue;
    }
    // 2. blank lines end paragraphs; so do list items and table lines
    if (line.trim() === "") flush();
    else {
      if (/^\s*[*+] /.test(line) && paragraph.length > 0) flush();
      paragraph.push(line);
    }
  }
  flush();
  return chapters;
}

/** The quotations of one fortune file (separated by lines holding "%"). */
function fortunesOf(name: string): string[] {
  const text = readFileSync(path.join(FORTUNES_DIR, name), "utf8");
  return text
    .split(/\n%\n/)
    .map((q) => q.replace(/\t/g, "    ").trimEnd())
    .filter((q) => q.trim().length > 0 && !q.includes("\n\n"));
}

function write(file: string, paragraphs: string[]): number {
  mkdirSync(path.dirname(file), { recursive: true });
  const text = `${paragraphs.join("\n\n")}\n`;
  writeFileSync(file, text);
  return Buffer.byteLength(text);
}

function main(): void {
  for (const book of BOOKS) {
    if (!existsSync(book.file)) throw new Error(`${book.file} is missing: apt-get install the packages named in this script's header`);
  }
  rmSync(TRAIN_DIR, { recursive: true, force: true });
  rmSync(HELD_OUT_DIR, { recursive: true, force: true });
  let trainBytes = 0;
  let heldOutBytes = 0;
  // step 1: the books, one chapter per file; the held-out chapter goes to eval/
  for (const book of BOOKS) {
    for (const [chapter, paragraphs] of chaptersOf(book)) {
      const name = `${book.name}-${chapter.padStart(2, "0")}.txt`;
      if (book.name === "debian-reference" && chapter === String(HELD_OUT_CHAPTER)) {
        heldOutBytes += write(path.join(HELD_OUT_DIR, book.lang, name), paragraphs);
      } else {
        trainBytes += write(path.join(TRAIN_DIR, book.lang, name), paragraphs);
      }
    }
  }
  // step 2–3: fortunes, with the held-out files apart
  const files = execFileSync("ls", [FORTUNES_DIR], { encoding: "utf8" })
    .split("\n")
    .filter((f) => f !== "" && !f.includes(".") && !FORTUNES_LEFT_OUT.has(f));
  for (const file of files) {
    const quotes = fortunesOf(file);
    if (HELD_OUT_FORTUNES.includes(file)) heldOutBytes += write(path.join(HELD_OUT_DIR, "en-general", `fortunes-${file}.txt`), quotes);
    else trainBytes += write(path.join(TRAIN_DIR, "en", `fortunes-${file}.txt`), quotes);
  }
  console.log(
    `training text: ${(trainBytes / 1e6).toFixed(2)} MB in ${TRAIN_DIR}; held out: ${(heldOutBytes / 1e6).toFixed(2)} MB in ${HELD_OUT_DIR}`,
  );
}

main();
