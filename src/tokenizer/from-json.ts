/** A tokenizer back from its stored form: the one place that knows every kind of tokenizer. */
import { bpeTokenizerFromJSON } from "./bpe.ts";
import { charTokenizerFromJSON } from "./char.ts";
import { gpt2TokenizerFromJSON } from "./gpt2.ts";
import { nanoGptCharTokenizerFromJSON } from "./nanogpt-char.ts";
import { charBpeTokenizerFromJSON } from "./char-bpe.ts";
import { describeValue, isRecord } from "./json-checks.ts";
import type { Tokenizer } from "./tokenizer.ts";

/**
 * Rebuild a tokenizer from its toJSON() form (an object, or that object as a
 * JSON string, as stored in a checkpoint's metadata). Validates everything and
 * throws an error naming the first thing that is wrong.
 */
export function tokenizerFromJSON(json: unknown): Tokenizer {
  // 1. accept the string form of the metadata
  if (typeof json === "string") {
    try {
      json = JSON.parse(json) as unknown;
    } catch (error) {
      throw new Error(`tokenizer JSON is not valid JSON: ${(error as Error).message}`);
    }
  }
  // 2. dispatch on kind; each kind validates its own fields
  if (!isRecord(json)) throw new Error(`tokenizer JSON must be an object, got ${describeValue(json)}`);
  const kind = json.kind;
  if (kind === "char") return charTokenizerFromJSON(json);
  if (kind === "bpe") return bpeTokenizerFromJSON(json);
  if (kind === "charbpe") return charBpeTokenizerFromJSON(json);
  if (kind === "gpt2") return gpt2TokenizerFromJSON(json);
  if (kind === "nanogpt-char") return nanoGptCharTokenizerFromJSON(json);
  throw new Error(`unknown tokenizer kind ${describeValue(kind)} (expected "char", "bpe", "charbpe", "gpt2" or "nanogpt-char")`);
}
