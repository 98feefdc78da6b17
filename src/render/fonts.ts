/**
 * The one font of every picture: Noto Sans JP, bundled as TTF files in an npm package,
 * so Japanese renders with real glyphs even on a fresh machine without system fonts.
 *
 * Registered once per process under our own family name (so a system-installed
 * "Noto Sans JP" of another version can never be picked by accident).
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { GlobalFonts } from "@napi-rs/canvas";

/** The family name every `ctx.font` in src/render names. */
export const FONT_FAMILY = "Bundled Noto Sans JP";

const FONT_FILES = ["400Regular/NotoSansJP_400Regular.ttf", "700Bold/NotoSansJP_700Bold.ttf"];

let registered = false;

/** The regular and bold TTF files (the web playground serves them to browsers without Japanese fonts). */
export function fontPaths(): string[] {
  const require = createRequire(import.meta.url);
  const packageDir = path.dirname(require.resolve("@expo-google-fonts/noto-sans-jp/package.json"));
  return FONT_FILES.map((file) => path.join(packageDir, file));
}

/** Registers the regular and bold faces. Idempotent; throws if the font package is missing. */
export function registerFonts(): void {
  if (registered) return;
  for (const fontPath of fontPaths()) {
    const key = GlobalFonts.registerFromPath(fontPath, FONT_FAMILY);
    if (key === null) throw new Error(`could not register font ${fontPath}`);
  }
  registered = true;
}

export type FontWeight = "normal" | "bold";

/** A CSS font string for ctx.font, always naming the bundled family. */
export function fontSpec(sizePx: number, weight: FontWeight = "normal"): string {
  return `${weight === "bold" ? "bold " : ""}${Math.round(sizePx * 10) / 10}px "${FONT_FAMILY}"`;
}

/** Code points of the regular face, read from its cmap table on first use. */
let coverage: Set<number> | undefined;

/**
 * Whether the bundled font has a glyph for `codePoint`. Characters it lacks (emoji, rare
 * symbols) would render as empty boxes on a machine without other fonts, so text helpers
 * spell them as "U+1F642" instead.
 */
export function fontCovers(codePoint: number): boolean {
  coverage ??= readCmap(readFileSync(fontPaths()[0]));
  return coverage.has(codePoint);
}

/**
 * Parses the Unicode subtables of a TrueType/OpenType `cmap` table (formats 4 and 12)
 * into the set of mapped code points. Layout per the OpenType spec: table directory at
 * offset 12 (16 bytes per record), cmap header, encoding records (8 bytes each).
 */
export function readCmap(font: Buffer): Set<number> {
  const points = new Set<number>();
  const tableCount = font.readUInt16BE(4);
  let cmap = -1;
  for (let i = 0; i < tableCount; i++) {
    const record = 12 + 16 * i;
    if (font.toString("latin1", record, record + 4) === "cmap") cmap = font.readUInt32BE(record + 8);
  }
  if (cmap < 0) return points;
  const subtableCount = font.readUInt16BE(cmap + 2);
  for (let i = 0; i < subtableCount; i++) {
    const start = cmap + font.readUInt32BE(cmap + 4 + 8 * i + 4);
    const format = font.readUInt16BE(start);
    if (format === 12) {
      // groups of (startCharCode, endCharCode, startGlyphID)
      const groups = font.readUInt32BE(start + 12);
      for (let g = 0; g < groups; g++) {
        const first = font.readUInt32BE(start + 16 + 12 * g);
        const last = font.readUInt32BE(start + 20 + 12 * g);
        for (let c = first; c <= last; c++) points.add(c);
      }
    } else if (format === 4) {
      // segments of (endCode, startCode, idDelta, idRangeOffset); glyph 0 means "missing"
      const segments = font.readUInt16BE(start + 6) / 2;
      const ends = start + 14;
      const starts = ends + 2 * segments + 2;
      const deltas = starts + 2 * segments;
      const rangeOffsets = deltas + 2 * segments;
      for (let s = 0; s < segments; s++) {
        const last = font.readUInt16BE(ends + 2 * s);
        const first = font.readUInt16BE(starts + 2 * s);
        const delta = font.readUInt16BE(deltas + 2 * s);
        const rangeOffset = font.readUInt16BE(rangeOffsets + 2 * s);
        for (let c = first; c <= last && c !== 0xffff; c++) {
          let glyph: number;
          if (rangeOffset === 0) glyph = (c + delta) & 0xffff;
          else {
            const at = rangeOffsets + 2 * s + rangeOffset + 2 * (c - first);
            glyph = font.readUInt16BE(at);
            if (glyph !== 0) glyph = (glyph + delta) & 0xffff;
          }
          if (glyph !== 0) points.add(c);
        }
      }
    }
  }
  return points;
}
