/**
 * nanoGPT's character vocabulary (meta.pkl's itos): id i is itos[i], exactly as the model was
 * trained, with no end-of-text or unknown token of its own.
 *
 *   eotId      the id of "\n" when the vocabulary has it (nanoGPT's sample.py starts from "\n",
 *              so a prompt's leading separator and a generation's stop are a line break), else 0
 *   unknown    a character outside the vocabulary cannot be encoded: it is dropped and counted
 *              in EncodeResult.unknown (the model has no id for it)
 */
import { describeValue, isRecord, requireArray, requireVersion } from "./json-checks.ts";
import { encodeSeparatedByEndOfText } from "./special.ts";
import type { EncodeResult, NanoGptCharTokenizerJSON, Tokenizer } from "./tokenizer.ts";

const REPLACEMENT = "\uFFFD";

export class NanoGptCharTokenizer implements Tokenizer {
  readonly kind = "char" as const;
  readonly vocabSize: number;
  readonly eotId: number;
  private readonly itos: readonly string[];
  private readonly stoi = new Map<string, number>();

  /** @param itos one character per id; @param vocabSize the model's V when it pads past them */
  constructor(itos: readonly string[], vocabSize?: number) {
    itos.forEach((ch, id) => {
      if (typeof ch !== "string" || [...ch].length !== 1)
        throw new Error(`nanoGPT vocabulary: itos[${id}] is ${describeValue(ch)}, not one character`);
      if (this.stoi.has(ch)) throw new Error(`nanoGPT vocabulary: itos[${id}] repeats ${JSON.stringify(ch)} of itos[${this.stoi.get(ch)}]`);
      this.stoi.set(ch, id);
    });
    this.itos = [...itos];
    this.vocabSize = vocabSize ?? itos.length;
    if (this.vocabSize < itos.length)
      throw new Error(`model vocabulary ${this.vocabSize} is smaller than meta.pkl's ${itos.length} characters`);
    this.eotId = this.stoi.get("\n") ?? 0;
  }

  encode(text: string): EncodeResult {
    const ids: number[] = [];
    let unknown = 0;
    for (const ch of text) {
      const id = this.stoi.get(ch);
      if (id === undefined) unknown++;
      else ids.push(id);
    }
    return { ids, unknown };
  }

  encodeWithSpecial(text: string): EncodeResult {
    return encodeSeparatedByEndOfText(text, this.eotId, (piece) => this.encode(piece));
  }

  decode(ids: ArrayLike<number>): string {
    let text = "";
    for (let i = 0; i < ids.length; i++) text += this.itos[ids[i]] ?? REPLACEMENT;
    return text;
  }

  tokenText(id: number): string {
    return this.itos[id] ?? REPLACEMENT;
  }

  toJSON(): NanoGptCharTokenizerJSON {
    return { kind: "nanogpt-char", version: 1, vocabSize: this.vocabSize, itos: [...this.itos] };
  }
}

export function nanoGptCharTokenizerFromJSON(json: unknown): NanoGptCharTokenizer {
  const where = "nanoGPT char tokenizer JSON";
  if (!isRecord(json)) throw new Error(`${where} must be an object, got ${describeValue(json)}`);
  requireVersion(json, 1, where);
  const itos = requireArray(json, "itos", where);
  return new NanoGptCharTokenizer(itos as string[], typeof json.vocabSize === "number" ? json.vocabSize : undefined);
}
