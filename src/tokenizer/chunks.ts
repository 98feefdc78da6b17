/**
 * The pre-splitter of the byte-level BPE: cuts text into chunks, and BPE merges
 * never cross a chunk boundary (as GPT-2 does with its regex). Concatenating the
 * chunks gives back the text exactly.
 *
 * Rules ("chunks-v1"), applied while scanning code points left to right:
 *   1. Every code point gets a class:
 *        space  – whitespace (\s: space, tab, newlines, ideographic space U+3000 …)
 *        word   – letters and combining marks outside the Japanese scripts (\p{L}, \p{M})
 *        digit  – numbers (\p{N})
 *        han / hiragana / katakana – the Japanese scripts, each its own class,
 *                 so 「今日は」 splits into 今日 | は
 *        other  – everything else: punctuation, symbols, emoji, controls, lone surrogates
 *   2. A chunk is a run of code points of one class.
 *   3. Joiners continue the run they follow instead of starting a new class:
 *        a combining mark (\p{M}: U+0301, dakuten U+3099, the emoji variation selector
 *        U+FE0F) continues any non-space run, so "e\u0301" and "❤\uFE0F" stay whole;
 *        the long-vowel mark ー (U+30FC, U+FF70) continues a hiragana/katakana run
 *        (and alone counts as katakana).
 *   4. Emoji sequences (👩🏽‍💻, flags) are symbols plus ZWJ/modifiers: all class
 *      "other", so they form one run and can be merged into one token.
 *   5. A single ASCII space directly before a non-space chunk belongs to that chunk
 *      (" hello", " 42", " ("), like GPT-2; other whitespace stays in whitespace runs.
 *   6. A run longer than MAX_CHUNK_CODE_POINTS is cut into pieces of that length,
 *      so encoding cost per chunk stays bounded on pathological input.
 */

export const SPLITTER_NAME = "chunks-v1";
export const MAX_CHUNK_CODE_POINTS = 64;

const CharClass = { Space: 0, Word: 1, Digit: 2, Han: 3, Hiragana: 4, Katakana: 5, Other: 6 } as const;
type CharClass = (typeof CharClass)[keyof typeof CharClass];

const SPACE = /\s/u;
const LETTER = /\p{L}/u;
const MARK = /\p{M}/u;
const NUMBER = /\p{N}/u;
const HAN = /\p{Script=Han}/u;
const HIRAGANA = /\p{Script=Hiragana}/u;
const KATAKANA = /\p{Script=Katakana}/u;
const LONG_VOWEL_MARKS = new Set([0x30fc, 0xff70]);

/** Sentinel for "continues the previous run" (marks, long-vowel mark). */
const CONTINUES = -1;

/** Class of one code point (given as its string), or CONTINUES for joiners. */
function classify(ch: string, cp: number): CharClass | typeof CONTINUES {
  // 1. ASCII fast path: most chat text is ASCII
  if (cp < 0x80) {
    if (cp === 0x20 || (cp >= 0x09 && cp <= 0x0d)) return CharClass.Space;
    if ((cp >= 0x61 && cp <= 0x7a) || (cp >= 0x41 && cp <= 0x5a)) return CharClass.Word;
    if (cp >= 0x30 && cp <= 0x39) return CharClass.Digit;
    return CharClass.Other;
  }
  // 2. joiners, then the Japanese scripts before the general letter test
  if (MARK.test(ch) || LONG_VOWEL_MARKS.has(cp)) return CONTINUES;
  if (SPACE.test(ch)) return CharClass.Space;
  if (HIRAGANA.test(ch)) return CharClass.Hiragana;
  if (KATAKANA.test(ch)) return CharClass.Katakana;
  if (HAN.test(ch)) return CharClass.Han;
  if (LETTER.test(ch)) return CharClass.Word;
  if (NUMBER.test(ch)) return CharClass.Digit;
  return CharClass.Other;
}

/** What class a joiner takes when it cannot continue the previous run. */
function classOfJoinerAlone(cp: number): CharClass {
  return LONG_VOWEL_MARKS.has(cp) ? CharClass.Katakana : CharClass.Word;
}

/** Whether a joiner may continue a run of the given class (rule 3). */
function joinerContinues(cp: number, runClass: CharClass): boolean {
  if (runClass === CharClass.Space) return false;
  if (LONG_VOWEL_MARKS.has(cp)) return runClass === CharClass.Hiragana || runClass === CharClass.Katakana;
  return true;
}

/** Cut text into chunks following the rules at the top of this file. */
export function splitIntoChunks(text: string): string[] {
  const chunks: string[] = [];
  let runStart = 0;
  let runClass: CharClass | null = null;
  let runLength = 0; // in code points
  let i = 0;
  // `for…of` walks code points and yields lone surrogates as single units
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    // 1. the class of this code point, resolving joiners against the current run
    let cls = classify(ch, cp);
    if (cls === CONTINUES) {
      cls = runClass !== null && joinerContinues(cp, runClass) ? runClass : classOfJoinerAlone(cp);
    }
    // 2. a new class, or a run at its length limit, ends the current chunk
    if (runClass !== null && (cls !== runClass || runLength >= MAX_CHUNK_CODE_POINTS)) {
      let end = i;
      // 3. rule 5: a whitespace run ending in " " before a non-space chunk gives that space away
      if (runClass === CharClass.Space && cls !== CharClass.Space && text.charCodeAt(i - 1) === 0x20) {
        end = i - 1;
      }
      if (end > runStart) chunks.push(text.slice(runStart, end));
      runStart = end;
      runLength = i - end; // 0, or 1 for the adopted space
    }
    runClass = cls;
    runLength++;
    i += ch.length;
  }
  if (runStart < text.length) chunks.push(text.slice(runStart));
  return chunks;
}
