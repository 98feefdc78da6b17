import { seededRandom as projectRandom } from "../../src/tensor/random.ts";
/** Shared test inputs for the tokenizer tests (not a test file itself). */

/** Strings every tokenizer must round-trip exactly (BPE always; char when trained on them). */
export const ROUND_TRIP_SAMPLES: Record<string, string> = {
  japanese: "「昨日は雨だったけど、今日は晴れだった。」",
  mixedScripts: "Hello 世界! カタカナ ひらがな 漢字 Ελληνικά русский عربى हिन्दी 123 ４５６",
  english: "The quick brown fox jumps over the lazy dog. It's 3:45pm, isn't it?",
  emojiSkinToneZwj: "👩🏽‍💻 codes; 👨‍👩‍👧‍👦 family",
  flags: "🇯🇵🇺🇸🏳️‍🌈",
  combiningMarks: "e\u0301 cafe\u0301 が\u3099 n\u0303",
  loneHighSurrogate: "\uD800",
  loneLowSurrogateInside: "a\uDC00b",
  reversedSurrogates: "\uDC00\uD800",
  controls: "\u0000\u0007 tab\there\r\nnext\u001b[0m\u007f",
  empty: "",
  whitespace: "  \n\n\t  x   \u3000y ",
  longRun: "a".repeat(200) + "あ".repeat(100),
};

/** A small mixed Japanese/English corpus with enough repetition for merges. */
export function mixedCorpus(): string {
  const lines = [
    "昨日は雨だったけど、今日は晴れだった。",
    "今日はいい天気ですね。明日も晴れるといいですね。",
    "コーヒーを飲みながらプログラムを書いています。",
    "The weather is nice today, isn't it?",
    "I am writing a program while drinking coffee.",
    "Tokens are the pieces of text that the model reads.",
    "モデルはトークンを読んで次のトークンを予測します。",
    "Hello there! 👋 How are you doing today?",
  ];
  const out: string[] = [];
  for (let i = 0; i < 6; i++) out.push(...lines.map((line, j) => ((i + j) % 3 === 0 ? line.toUpperCase() : line)));
  return out.join("\n");
}

/** The project's seeded generator (src/tensor/random.ts), as a plain uniform [0, 1) function. */
export function seededRandom(seed: number): () => number {
  const random = projectRandom(seed);
  return () => random.next();
}

/** Code point ranges across many planes, including lone surrogates and noncharacters. */
const RANGES: [number, number][] = [
  [0x00, 0x7f], // ASCII incl. controls
  [0x80, 0x7ff], // Latin-1, Greek, Cyrillic, Arabic … (2-byte UTF-8)
  [0x300, 0x36f], // combining marks
  [0x3000, 0x30ff], // CJK punctuation, Hiragana, Katakana
  [0x4e00, 0x9fff], // Han
  [0xd800, 0xdfff], // surrogates: become lone units (or accidental pairs)
  [0xe000, 0xffff], // private use, halfwidth forms, U+FFFD, U+FFFE/U+FFFF
  [0x200d, 0x200d], // ZWJ
  [0x1f1e6, 0x1f1ff], // regional indicators (flags)
  [0x1f300, 0x1faff], // emoji
  [0x1f3fb, 0x1f3ff], // skin tones
  [0x20000, 0x2a6df], // CJK extension B (plane 2)
  [0xe0000, 0xe007f], // tags (plane 14)
  [0xf0000, 0x10ffff], // private use planes 15–16
];

/** A random string of up to maxLength code points drawn from RANGES. */
export function randomUnicodeString(random: () => number, maxLength: number): string {
  const length = Math.floor(random() * (maxLength + 1));
  let text = "";
  for (let i = 0; i < length; i++) {
    const [low, high] = RANGES[Math.floor(random() * RANGES.length)]!;
    const cp = low + Math.floor(random() * (high - low + 1));
    text += cp >= 0xd800 && cp <= 0xdfff ? String.fromCharCode(cp) : String.fromCodePoint(cp);
  }
  return text;
}
