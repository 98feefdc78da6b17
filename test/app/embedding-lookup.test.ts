/**
 * Looking up a word's vector says which token it used: the one token of the text, the word with
 * its leading space when only that is one token, or the first of several (a byte piece of a
 * character the vocabulary lacks); in both languages, in the console line, /explain embeddings
 * and the embeddings picture.
 */
import { describe, expect, it } from "vitest";
import { lookUpToken, SPACE_MARK } from "../../src/app/embedding-lookup.ts";
import { explainText, explanationText } from "../../src/app/explain/index.ts";
import { handleFromCheckpoint } from "../../src/app/model-handle.ts";
import { embeddingsPicture } from "../../src/app/pictures.ts";
import { tokenLookupSentence } from "../../src/explain/token-lookup.ts";
import { loadCheckpointBytes, saveCheckpointBytes } from "../../src/model/checkpoint.ts";
import { presetConfig } from "../../src/model/config.ts";
import { GPT } from "../../src/model/gpt.ts";
import { renderEmbeddings } from "../../src/render/embeddings.ts";
import { seededRandom } from "../../src/tensor/random.ts";
import { trainCharBpeTokenizer } from "../../src/tokenizer/char-bpe.ts";
import { PIECE_GAP } from "../../src/tokenizer/pieces.ts";
import { decodePng } from "../explain/helpers.ts";

/** "the" opens paragraphs (a token alone) and follows spaces (" the"); "cat" only ever follows a space; 鬱 occurs once. */
const CORPUS = [
  ...Array.from({ length: 40 }, (_, i) => `the cat sat on the mat ${i % 5}. A cat and the dog.`),
  ...Array.from({ length: 40 }, () => "言語モデルは言語を学ぶ。"),
  "鬱",
].join("\n\n");
const tokenizer = trainCharBpeTokenizer(CORPUS, 420);
const one = (text: string) => {
  const ids = tokenizer.encode(text).ids;
  expect(ids, `${JSON.stringify(text)} should be one token of the test vocabulary`).toHaveLength(1);
  return ids[0];
};
const plain = (label: string) => label;

describe("the token a look-up uses", () => {
  it("a Japanese word that is one token: that token", () => {
    const f = lookUpToken(tokenizer, "言語");
    expect(f).toMatchObject({ id: one("言語"), label: "言語", used: "only", bytePiece: false, alsoSpaced: null, pieces: ["言語"] });
  });

  it("an English word that is several tokens alone but one with its leading space: the spaced word", () => {
    expect(tokenizer.encode("cat").ids.length).toBeGreaterThan(1);
    const f = lookUpToken(tokenizer, "cat");
    expect(f).toMatchObject({ id: one(" cat"), label: " cat", used: "space", bytePiece: false });
    expect(f.pieces.join("")).toBe("cat");
  });

  it("a word that is a token both ways: the word as typed, and the spaced one offered (typed with ␣)", () => {
    const f = lookUpToken(tokenizer, "the");
    expect(f).toMatchObject({ id: one("the"), used: "only", alsoSpaced: { text: `${SPACE_MARK}the`, id: one(" the"), label: " the" } });
    const spaced = lookUpToken(tokenizer, `${SPACE_MARK}the`);
    expect(spaced).toMatchObject({ id: one(" the"), label: " the", used: "only", alsoSpaced: null });
  });

  it("a character the vocabulary lacks: its first byte piece, labelled as part of the character", () => {
    const ids = tokenizer.encode("鬱").ids;
    expect(ids).toHaveLength(3);
    const f = lookUpToken(tokenizer, "鬱");
    expect(f).toMatchObject({ id: ids[0], label: `鬱${PIECE_GAP}1/3`, used: "first", bytePiece: true });
    expect(f.pieces).toEqual([1, 2, 3].map((k) => `鬱${PIECE_GAP}${k}/3`));
  });

  it("several tokens without a spaced word: the first one", () => {
    const f = lookUpToken(tokenizer, "言語鬱");
    expect(f).toMatchObject({ id: one("言語"), label: "言語", used: "first", bytePiece: false });
    expect(f.pieces).toHaveLength(4);
  });

  it("refuses a text without tokens, naming it", () => {
    expect(() => lookUpToken(tokenizer, "")).toThrow(/the text "" has no tokens/);
  });
});

describe("the sentence that says so", () => {
  it("names the token and its id in both languages, and says what was chosen", () => {
    for (const lang of ["en", "ja"] as const) {
      const quote = lang === "ja" ? (s: string) => `「${s}」` : (s: string) => `“${s}”`;
      const cat = tokenLookupSentence(lookUpToken(tokenizer, "cat"), lang, plain);
      expect(cat).toContain(`${quote(" cat")}`);
      expect(cat).toContain(String(one(" cat")));
      const the = tokenLookupSentence(lookUpToken(tokenizer, "the"), lang, plain);
      expect(the).toContain(quote(`${SPACE_MARK}the`));
      const bytes = tokenLookupSentence(lookUpToken(tokenizer, "鬱"), lang, plain);
      expect(bytes).toContain(quote(`鬱${PIECE_GAP}1/3`));
      expect(/[\u3040-\u30ff]/.test(bytes)).toBe(lang === "ja");
    }
    expect(tokenLookupSentence(lookUpToken(tokenizer, "言語鬱"), "en", plain)).toMatch(/is 4 tokens .*only the first, “言語”/);
    expect(tokenLookupSentence(lookUpToken(tokenizer, "cat"), "en", plain)).toMatch(/is 2 tokens .*leading space.*“ cat”/);
  });
});

describe("the surfaces", () => {
  const model = new GPT(presetConfig("tiny", tokenizer.vocabSize)).init(seededRandom(3));
  const bytes = saveCheckpointBytes(model.config, model.params as Float32Array, { tokenizer: tokenizer.toJSON(), step: 0 });
  const handle = handleFromCheckpoint(loadCheckpointBytes(bytes, "lookup"), "lookup model");

  it("/explain embeddings says which token it used, in both languages", () => {
    const en = explanationText(explainText(handle, "embeddings", { lang: "en", text: "cat" }));
    expect(en).toContain(tokenLookupSentence(lookUpToken(tokenizer, "cat"), "en", (l) => l.replace(/ /g, "␣")));
    const ja = explanationText(explainText(handle, "embeddings", { lang: "ja", text: "鬱" }));
    expect(ja).toContain(`「鬱${PIECE_GAP}1/3」`);
    expect(ja).toContain("バイトの一片");
  });

  it("the picture writes the sentence (and the piece legend) under the neighbours", async () => {
    const base = {
      points: [
        { label: "a", x: 0, y: 0 },
        { label: "b", x: 1, y: 1, highlight: true },
      ],
      modelName: "m",
      lang: "en" as const,
    };
    const items = [{ label: "a", cosine: 0.5 }];
    const without = decodePng(await renderEmbeddings({ ...base, neighbours: { query: "b", items } }));
    const withNotes = decodePng(
      await renderEmbeddings({ ...base, neighbours: { query: "b", items, notes: ["“b” is one token, “b” (id 1)."] } }),
    );
    const [a, b] = await Promise.all([without, withNotes]);
    expect(b.width).toBe(a.width);
    // the panel's column: more bright (text) pixels where a note was written
    const bright = (img: typeof a) => {
      let n = 0;
      for (let y = 0; y < img.height; y += 2)
        for (let x = img.width - 460; x < img.width; x += 2) {
          const [r, g, bl] = img.pixel(x, y);
          if (r > 200 && g > 200 && bl > 200) n++;
        }
      return n;
    };
    expect(bright(b) - bright(a)).toBeGreaterThan(50);
    // and the use case gives the picture those notes (a real PNG for a byte piece)
    const png = await embeddingsPicture(handle, "ja", "鬱");
    expect(png.length).toBeGreaterThan(1000);
  });
});
