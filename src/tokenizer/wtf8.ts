/**
 * Text ⇄ bytes for the byte-level BPE, exact for every JavaScript string.
 *
 * JS strings are sequences of UTF-16 code units and may hold lone surrogates
 * (e.g. "\uD800"), which UTF-8 cannot express: TextEncoder would turn them into
 * U+FFFD and the round trip would lose them. We use WTF-8 instead
 * (https://simonsapin.github.io/wtf-8/): ordinary UTF-8, except that a lone
 * surrogate U+D800…U+DFFF is written as its 3-byte form ED A0…BF 80…BF.
 * The decoder below maps those sequences back to the lone code unit, so
 * decode(encode(s)) === s for every string s.
 *
 * The decoder also accepts arbitrary bytes (a model may emit any id sequence):
 * an invalid or truncated sequence becomes one U+FFFD per "maximal subpart",
 * the same replacement rule as the WHATWG TextDecoder. It never throws.
 */

export const REPLACEMENT_CHARACTER = 0xfffd;

/** Bytes of a string in WTF-8 (UTF-8 plus 3-byte lone surrogates). */
export function encodeWtf8(text: string): Uint8Array {
  // 1. at most 3 bytes per UTF-16 code unit (a pair, 2 units, needs 4 bytes)
  const out = new Uint8Array(text.length * 3);
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    let cp = text.charCodeAt(i);
    // 2. a high surrogate followed by a low one is a single code point ≥ U+10000
    if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < text.length) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
        i++;
      }
    }
    // 3. write 1–4 bytes; a lone surrogate falls in the 3-byte range like any BMP unit
    if (cp < 0x80) {
      out[n++] = cp;
    } else if (cp < 0x800) {
      out[n++] = 0xc0 | (cp >> 6);
      out[n++] = 0x80 | (cp & 0x3f);
    } else if (cp < 0x10000) {
      out[n++] = 0xe0 | (cp >> 12);
      out[n++] = 0x80 | ((cp >> 6) & 0x3f);
      out[n++] = 0x80 | (cp & 0x3f);
    } else {
      out[n++] = 0xf0 | (cp >> 18);
      out[n++] = 0x80 | ((cp >> 12) & 0x3f);
      out[n++] = 0x80 | ((cp >> 6) & 0x3f);
      out[n++] = 0x80 | (cp & 0x3f);
    }
  }
  return out.subarray(0, n);
}

/**
 * Read one sequence starting at bytes[start] (start < end).
 * Returns `codePoint * 8 + length` for a valid sequence (length 1–4), or
 * `-length` for an invalid maximal subpart of `length` bytes (1–3) that
 * decodes to one U+FFFD. Packing into one number keeps the hot loop allocation-free.
 */
export function readSequence(bytes: ArrayLike<number>, start: number, end: number): number {
  const lead = bytes[start]!;
  // 1. ASCII is one byte
  if (lead < 0x80) return lead * 8 + 1;
  // 2. from the lead byte: how many continuation bytes follow, the lead's payload,
  //    and the allowed range of the FIRST continuation byte (it rules out overlong
  //    forms and values above U+10FFFF; ED allows A0…BF so lone surrogates pass: WTF-8)
  let needed: number;
  let value: number;
  let low = 0x80;
  let high = 0xbf;
  if (lead >= 0xc2 && lead <= 0xdf) {
    needed = 1;
    value = lead & 0x1f;
  } else if (lead >= 0xe0 && lead <= 0xef) {
    needed = 2;
    value = lead & 0x0f;
    if (lead === 0xe0) low = 0xa0;
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    needed = 3;
    value = lead & 0x07;
    if (lead === 0xf0) low = 0x90;
    if (lead === 0xf4) high = 0x8f;
  } else {
    // 3. a stray continuation byte or a byte that never starts UTF-8 (C0, C1, F5…FF)
    return -1;
  }
  // 4. consume continuation bytes; stop at the first that does not fit
  let length = 1;
  for (let k = 0; k < needed; k++) {
    const at = start + length;
    if (at >= end) return -length;
    const b = bytes[at]!;
    if (b < low || b > high) return -length;
    value = (value << 6) | (b & 0x3f);
    length++;
    low = 0x80;
    high = 0xbf;
  }
  return value * 8 + length;
}

/** Append the UTF-16 code units of a code point (a surrogate value stays one lone unit). */
function pushCodeUnits(units: number[], cp: number): void {
  if (cp < 0x10000) {
    units.push(cp);
  } else {
    const v = cp - 0x10000;
    units.push(0xd800 + (v >> 10), 0xdc00 + (v & 0x3ff));
  }
}

/** Build a string from code units in slices, so huge inputs do not overflow the call stack. */
function codeUnitsToString(units: number[]): string {
  const SLICE = 8192;
  let text = "";
  for (let i = 0; i < units.length; i += SLICE) {
    text += String.fromCharCode(...units.slice(i, i + SLICE));
  }
  return text;
}

/** Text of WTF-8 bytes. Invalid bytes become U+FFFD; never throws. */
export function decodeWtf8(bytes: ArrayLike<number>): string {
  const units: number[] = [];
  let i = 0;
  while (i < bytes.length) {
    const packed = readSequence(bytes, i, bytes.length);
    if (packed < 0) {
      units.push(REPLACEMENT_CHARACTER);
      i += -packed;
    } else {
      pushCodeUnits(units, Math.floor(packed / 8));
      i += packed % 8;
    }
  }
  return codeUnitsToString(units);
}

/**
 * A readable form of bytes that may not be whole characters, for pictures:
 * valid sequences as their text, each run of invalid bytes as lowercase hex in
 * angle brackets. [0x61, 0xe3, 0x81] → "a<e3><81>".
 */
export function describeBytes(bytes: ArrayLike<number>): string {
  const units: number[] = [];
  const invalidHex: string[] = [];
  let text = "";
  // 1. flush helpers: text so far, then a bracketed hex group
  const flushUnits = () => {
    text += codeUnitsToString(units);
    units.length = 0;
  };
  const flushInvalid = () => {
    if (invalidHex.length === 0) return;
    flushUnits();
    text += invalidHex.map((h) => `<${h}>`).join("");
    invalidHex.length = 0;
  };
  // 2. walk sequences; valid ones end any pending invalid group
  let i = 0;
  while (i < bytes.length) {
    const packed = readSequence(bytes, i, bytes.length);
    const length = packed < 0 ? -packed : packed % 8;
    if (packed < 0) {
      for (let k = 0; k < length; k++) invalidHex.push(bytes[i + k]!.toString(16).padStart(2, "0"));
    } else {
      flushInvalid();
      pushCodeUnits(units, Math.floor(packed / 8));
    }
    i += length;
  }
  flushInvalid();
  flushUnits();
  return text;
}
