/**
 * Text for training: a corpus is a list of documents (passages, chat messages). The model sees
 * them as one token stream with an end-of-text token before each document, so it learns where
 * a message starts and ends.
 */
import { readdirSync, readFileSync, type Stats, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Tokenizer } from "../tokenizer/tokenizer.ts";
import { seededRandom } from "../tensor/random.ts";

/** Splits text into documents at blank lines; trims each, drops empty ones. */
export function splitDocuments(text: string): string[] {
  return text
    .replace(/\r\n?/g, "\n")
    .split(/\n[ \t]*\n+/)
    .map((d) => d.trim())
    .filter((d) => d.length > 0);
}

/** data/corpus in the project folder: the English and Japanese texts the default model learned. */
export const SHIPPED_CORPUS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../data/corpus");

/** A training text of the web playground may be at most this long (the shipped corpus is ~220 k). */
export const MAX_TRAINING_TEXT_CHARS = 1_000_000;

/**
 * A pasted or uploaded text as documents: its paragraphs, or, when it has fewer than
 * `minDocuments` of them (a poem, a list, a chat log), its non-empty lines.
 */
export function documentsOfText(text: string, minDocuments: number): string[] {
  const paragraphs = splitDocuments(text);
  if (paragraphs.length >= minDocuments) return paragraphs;
  return text
    .replace(/\r\n?/g, "\n")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
}

/** The same documents in a seeded random order (so a 90/10 split holds every kind of text). */
export function shuffleDocuments(docs: readonly string[], seed: number): string[] {
  const out = [...docs];
  const rng = seededRandom(seed);
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** One token stream: [eot, doc1…, eot, doc2…, …]. Also counts characters the tokenizer did not know. */
export function tokenStream(tokenizer: Tokenizer, docs: readonly string[]): { tokens: Int32Array; unknown: number } {
  const ids: number[] = [];
  let unknown = 0;
  for (const doc of docs) {
    ids.push(tokenizer.eotId);
    const encoded = tokenizer.encode(doc);
    unknown += encoded.unknown;
    for (const id of encoded.ids) ids.push(id);
  }
  return { tokens: Int32Array.from(ids), unknown };
}

/** Reads a corpus file, or every .txt file below a folder (sorted by path), as one text. */
export function readCorpus(location: string): string {
  let stat: Stats;
  try {
    stat = statSync(location);
  } catch {
    throw new Error(`corpus not found: ${location}`);
  }
  if (stat.isFile()) return readFileSync(location, "utf8");
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith(".txt")) files.push(full);
    }
  };
  walk(location);
  if (files.length === 0) throw new Error(`no .txt files in ${location}`);
  return files.map((f) => readFileSync(f, "utf8")).join("\n\n");
}
