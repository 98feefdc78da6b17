import { describe, expect, it } from "vitest";
import { decodeWtf8, describeBytes, encodeWtf8 } from "../../src/tokenizer/wtf8.ts";
import { ROUND_TRIP_SAMPLES, randomUnicodeString, seededRandom } from "./samples.ts";

const hasLoneSurrogate = (text: string) => /[\uD800-\uDFFF]/u.test(text);
const hex = (bytes: ArrayLike<number>) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join(" ");

describe("WTF-8 encoding", () => {
  it("equals UTF-8 (TextEncoder) for well-formed strings", () => {
    const random = seededRandom(1);
    const inputs = [...Object.values(ROUND_TRIP_SAMPLES)];
    for (let i = 0; i < 200; i++) inputs.push(randomUnicodeString(random, 20));
    let checked = 0;
    for (const text of inputs.filter((t) => !hasLoneSurrogate(t))) {
      expect(hex(encodeWtf8(text)), JSON.stringify(text)).toBe(hex(new TextEncoder().encode(text)));
      checked++;
    }
    expect(checked).toBeGreaterThan(50);
  });

  it("writes a lone surrogate as its 3-byte form and reads it back", () => {
    expect(hex(encodeWtf8("\uD800"))).toBe("ed a0 80");
    expect(hex(encodeWtf8("a\uDFFFb"))).toBe("61 ed bf bf 62");
    expect(hex(encodeWtf8("\uD83D\uDE00"))).toBe("f0 9f 98 80"); // a real pair stays one 4-byte code point
    expect(decodeWtf8(encodeWtf8("\uDC00\uD800"))).toBe("\uDC00\uD800");
  });

  it("round-trips random strings from many planes, lone surrogates included", () => {
    const random = seededRandom(2);
    for (let i = 0; i < 300; i++) {
      const text = randomUnicodeString(random, 30);
      expect(decodeWtf8(encodeWtf8(text))).toBe(text);
    }
  });
});

describe("WTF-8 decoding of arbitrary bytes", () => {
  it("replaces invalid sequences exactly as TextDecoder does (outside the surrogate range)", () => {
    const random = seededRandom(3);
    const interesting = [
      0x00, 0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xe3, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff,
    ];
    const decoder = new TextDecoder("utf-8", { fatal: false });
    for (let i = 0; i < 500; i++) {
      const length = Math.floor(random() * 12);
      const bytes = Array.from({ length }, () =>
        random() < 0.7 ? interesting[Math.floor(random() * interesting.length)]! : Math.floor(random() * 256),
      );
      // ED A0…BF starts a surrogate: WTF-8 accepts it on purpose, UTF-8 does not
      for (let k = 0; k + 1 < bytes.length; k++) if (bytes[k] === 0xed && bytes[k + 1]! >= 0xa0) bytes[k + 1] = 0x80;
      expect(decodeWtf8(bytes), hex(bytes)).toBe(decoder.decode(Uint8Array.from(bytes)));
    }
  });

  it("never throws on truncated input", () => {
    expect(decodeWtf8([0xe3, 0x81])).toBe("\uFFFD");
    expect(decodeWtf8([0xf0, 0x9f, 0x98])).toBe("\uFFFD");
    expect(decodeWtf8([0xed, 0xa0])).toBe("\uFFFD");
    expect(decodeWtf8([])).toBe("");
  });
});

describe("describeBytes (token text for pictures)", () => {
  it("shows whole characters as text and partial sequences as hex", () => {
    expect(describeBytes([0xe3, 0x81, 0x82])).toBe("あ");
    expect(describeBytes([0x61, 0xe3, 0x81])).toBe("a<e3><81>");
    expect(describeBytes([0xe3, 0x81, 0x61, 0xff])).toBe("<e3><81>a<ff>");
    expect(describeBytes([0xff, 0xfe])).toBe("<ff><fe>");
    expect(describeBytes([0x81, 0x82])).toBe("<81><82>");
    expect(describeBytes([0xed, 0xa0, 0x80])).toBe("\uD800");
  });
});
