/**
 * The one font of every picture: Noto Sans JP, bundled as TTF files in an npm package,
 * so Japanese renders with real glyphs even on a fresh machine without system fonts.
 *
 * Registered once per process under our own family name (so a system-installed
 * "Noto Sans JP" of another version can never be picked by accident).
 */
import { createRequire } from "node:module";
import path from "node:path";
import { GlobalFonts } from "@napi-rs/canvas";

/** The family name every `ctx.font` in src/render names. */
export const FONT_FAMILY = "Bundled Noto Sans JP";

const FONT_FILES = ["400Regular/NotoSansJP_400Regular.ttf", "700Bold/NotoSansJP_700Bold.ttf"];

let registered = false;

/** Registers the regular and bold faces. Idempotent; throws if the font package is missing. */
export function registerFonts(): void {
  if (registered) return;
  const require = createRequire(import.meta.url);
  const packageDir = path.dirname(require.resolve("@expo-google-fonts/noto-sans-jp/package.json"));
  for (const file of FONT_FILES) {
    const fontPath = path.join(packageDir, file);
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
