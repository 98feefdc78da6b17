import { describe, expect, it } from "vitest";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { createCanvas, GlobalFonts } from "@napi-rs/canvas";
import { FONT_FAMILY, fontCovers, fontPaths, fontSpec, registerFonts } from "../../src/render/fonts.ts";
import {
  ELLIPSIS,
  fitText,
  fitTextStart,
  setFont,
  spellMissingGlyphs,
  textWidth,
  visibleText,
  visibleToken,
  wrapText,
  wrapTextEnd,
} from "../../src/render/text.ts";
import { decimalsFor, formatCompact, formatInt, formatLearningRate, formatPercent } from "../../src/render/format.ts";
import { niceScale } from "../../src/render/axis.ts";
import { heatRgb, luminance } from "../../src/render/colormap.ts";
import { COLORS } from "../../src/render/theme.ts";
import { hexRgb, colourDistance } from "./fixtures.ts";

function context() {
  registerFonts();
  return createCanvas(64, 64).getContext("2d");
}

/** The pixels of `text` drawn in black on white with `font` (a 400×60 canvas). */
function drawn(text: string, font: string): Uint8ClampedArray {
  const canvas = createCanvas(400, 60);
  const ctx = canvas.getContext("2d");
  ctx.fillStyle = "#fff";
  ctx.fillRect(0, 0, 400, 60);
  ctx.fillStyle = "#000";
  ctx.font = font;
  ctx.textBaseline = "top";
  ctx.fillText(text, 4, 4);
  return ctx.getImageData(0, 0, 400, 60).data;
}

const differingPixels = (a: Uint8ClampedArray, b: Uint8ClampedArray) => {
  let n = 0;
  for (let i = 0; i < a.length; i += 4) if (a[i] !== b[i] || a[i + 1] !== b[i + 1] || a[i + 2] !== b[i + 2]) n++;
  return n;
};

/*
 * What the project controls: its font file is registered under its own family name and every
 * picture's ctx.font names that family. (Whether a machine's own fonts could draw Japanese too
 * is not the project's business: with Debian's fonts-noto-cjk they can.)
 */
describe("bundled Japanese font", () => {
  it("draws Japanese exactly as the bundled file does, with real full-width glyphs", () => {
    registerFonts();
    // the same file under a second name: a picture drawn with fontSpec must be pixel for pixel this
    const alias = "Test Alias Of The Bundled Regular";
    expect(GlobalFonts.registerFromPath(fontPaths()[0], alias)).not.toBeNull();
    const japanese = "吾輩は猫である Aa";
    const ours = drawn(japanese, fontSpec(40));
    expect(differingPixels(ours, drawn(japanese, `40px "${alias}"`))).toBe(0);
    // the comparison sees a different face (bold) and ink at all
    expect(differingPixels(ours, drawn(japanese, fontSpec(40, "bold")))).toBeGreaterThan(50);
    expect(differingPixels(ours, drawn("", fontSpec(40)))).toBeGreaterThan(500);
    // Noto Sans JP: every kanji/kana is 1 em wide
    const ctx = context();
    ctx.font = fontSpec(40);
    const width = ctx.measureText("吾輩は猫である名前").width;
    expect(width).toBeGreaterThan(9 * 40 * 0.9);
    expect(width).toBeLessThan(9 * 40 * 1.1);
  });

  it("every ctx.font in src/render is set through fontSpec", () => {
    const dir = path.resolve(import.meta.dirname, "../../src/render");
    const assignments = readdirSync(dir)
      .filter((f) => f.endsWith(".ts"))
      .flatMap((f) => [...readFileSync(path.join(dir, f), "utf8").matchAll(/\.font\s*=\s*([^;]+);/g)].map((m) => `${f}: ${m[1]}`));
    expect(assignments.length).toBeGreaterThan(0);
    for (const a of assignments) expect(a).toMatch(/: fontSpec\(/);
  });

  it("registers the family under our own name, regular and bold", () => {
    const ctx = context();
    const family = GlobalFonts.families.find((f) => f.family === FONT_FAMILY);
    expect(family?.styles.map((s) => s.weight).sort()).toEqual([400, 700]);
    expect(fontSpec(20, "bold")).toContain(FONT_FAMILY);
    ctx.font = fontSpec(40, "bold");
    const bold = ctx.measureText("Weight").width;
    ctx.font = fontSpec(40);
    const regular = ctx.measureText("Weight").width;
    expect(bold).toBeGreaterThan(regular);
  });

  it("knows which characters the font covers (from its cmap table)", () => {
    expect(fontCovers("あ".codePointAt(0)!)).toBe(true);
    expect(fontCovers("猫".codePointAt(0)!)).toBe(true);
    expect(fontCovers("A".codePointAt(0)!)).toBe(true);
    expect(fontCovers("␣".codePointAt(0)!)).toBe(true);
    expect(fontCovers("🙂".codePointAt(0)!)).toBe(false);
  });
});

describe("visibleToken", () => {
  it("makes whitespace visible", () => {
    expect(visibleToken(" the")).toBe("␣the");
    expect(visibleToken("\n")).toBe("↵");
    expect(visibleToken("\t")).toBe("⇥");
    expect(visibleToken("a b\tc\n")).toBe("a␣b⇥c↵");
    expect(visibleToken("\u3000")).toBe("□");
  });

  it("spells control characters and characters missing from the font", () => {
    expect(visibleToken("\r\n")).toBe("\\r↵");
    expect(visibleToken("\u0007")).toBe("\\x07");
    expect(visibleToken("ok🙂")).toBe("okU+1F642");
    expect(spellMissingGlyphs("猫です")).toBe("猫です");
  });

  it("keeps spaces as spaces in running text", () => {
    expect(visibleText("to be\nor")).toBe("to be↵or");
  });
});

describe("fitting and wrapping", () => {
  it("truncates with a visible ellipsis and never exceeds the width", () => {
    const ctx = context();
    setFont(ctx, 24);
    const long = "The quick brown fox jumps over the lazy dog ".repeat(10);
    const start = fitText(ctx, long, 300);
    expect(start.endsWith(ELLIPSIS)).toBe(true);
    expect(textWidth(ctx, start)).toBeLessThanOrEqual(300);
    const end = fitTextStart(ctx, "吾輩は猫である。".repeat(20), 300);
    expect(end.startsWith(ELLIPSIS)).toBe(true);
    expect(end.endsWith("である。")).toBe(true);
    expect(textWidth(ctx, end)).toBeLessThanOrEqual(300);
    expect(fitText(ctx, "short", 300)).toBe("short");
  });

  it("measures the hand-drawn marks (↵ ⇥) with a real width", () => {
    const ctx = context();
    setFont(ctx, 40);
    expect(textWidth(ctx, "↵")).toBeGreaterThan(20);
    expect(textWidth(ctx, "a⇥b")).toBeGreaterThan(textWidth(ctx, "ab") + 20);
  });

  it("wraps lines within the width, ends lines at newlines, and never starts one with 。", () => {
    const ctx = context();
    setFont(ctx, 24);
    const text = "吾輩は猫である。名前はまだ無い。どこで生れたかとんと見当がつかぬ。".repeat(4);
    for (const width of [200, 251, 333, 400]) {
      const lines = wrapText(ctx, text, width);
      expect(lines.join("")).toBe(text);
      for (const line of lines) {
        expect(textWidth(ctx, line)).toBeLessThanOrEqual(width);
        expect(line.startsWith("。")).toBe(false);
      }
    }
    expect(wrapText(ctx, "one↵two", 500)).toEqual(["one↵", "two"]);
    // Latin words stay whole: every piece of every line is one of the original words
    const sentence = "the quick brown fox jumps over the lazy dog";
    const english = wrapText(ctx, sentence, 220);
    expect(english.length).toBeGreaterThan(1);
    expect(english.join("")).toBe(sentence);
    const words = new Set(sentence.split(" "));
    for (const line of english) for (const word of line.trim().split(" ")) expect(words.has(word)).toBe(true);
  });

  it("keeps the end of a very long context in a few lines", () => {
    const ctx = context();
    setFont(ctx, 24);
    const lines = wrapTextEnd(ctx, `${"x".repeat(5000)}THE END`, 400, 3);
    expect(lines).toHaveLength(3);
    expect(lines[0].startsWith(ELLIPSIS)).toBe(true);
    expect(lines[2].endsWith("THE END")).toBe(true);
  });
});

describe("formatting", () => {
  it("writes numbers for people", () => {
    expect(formatInt(10745088)).toBe("10,745,088");
    expect(formatPercent(0.4231)).toBe("42.3%");
    expect(formatPercent(0.0042)).toBe("0.42%");
    expect(formatPercent(0)).toBe("0%");
    expect(formatCompact(10_745_088, "en")).toBe("10.7M");
    expect(formatCompact(1_200_896, "ja")).toBe("120万");
    expect(formatLearningRate(3e-4)).toBe("3e-4");
    expect(decimalsFor(0.25)).toBe(2);
    expect(decimalsFor(20)).toBe(0);
  });

  it("picks nice axis ranges that cover the data", () => {
    const s = niceScale(1.23, 4.56, 6);
    expect(s.lo).toBeLessThanOrEqual(1.23);
    expect(s.hi).toBeGreaterThanOrEqual(4.56);
    expect(s.ticks[0]).toBe(s.lo);
    expect([0.5, 1]).toContain(s.step);
    const single = niceScale(3, 3);
    expect(single.lo).toBeLessThan(3);
    expect(single.hi).toBeGreaterThan(3);
  });
});

describe("heat colours", () => {
  it("grow brighter with the value and differ from the mask colour", () => {
    let previous = -1;
    for (let t = 0; t <= 1.0001; t += 0.02) {
      const l = luminance(heatRgb(t));
      expect(l).toBeGreaterThan(previous);
      previous = l;
    }
    expect(colourDistance(heatRgb(0), hexRgb(COLORS.mask))).toBeGreaterThan(20);
  });
});
