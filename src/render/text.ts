/**
 * Text helpers for every picture: whitespace made visible, measuring and drawing with the
 * bundled font, truncation with "…", wrapping.
 *
 * The font has "␣" but not "↵" (U+21B5) or "⇥" (U+21E5): those two are drawn here as small
 * vector arrows, so they look the same on every machine (no tofu boxes, no system fallback).
 * "…" is drawn here too, so truncation marks always look alike.
 * Every function that measures or draws text goes through `splitRuns` for that reason.
 */
import type { SKRSContext2D } from "@napi-rs/canvas";
import { fontCovers, fontSpec, type FontWeight } from "./fonts.ts";

export type Ctx = SKRSContext2D;

export const ELLIPSIS = "…";
const NEWLINE_MARK = "↵";
const TAB_MARK = "⇥";

/**
 * Makes whitespace and control characters of a token visible:
 * space → "␣", newline → "↵", tab → "⇥", ideographic space → "□", "\r" → "\r" spelled out,
 * other control characters → "\xNN".
 */
export function visibleToken(text: string): string {
  let out = "";
  for (const ch of spellMissingGlyphs(text)) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === " ") out += "␣";
    else if (ch === "\n") out += NEWLINE_MARK;
    else if (ch === "\t") out += TAB_MARK;
    else if (ch === "\u3000") out += "□";
    else if (ch === "\r") out += "\\r";
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, "0")}`;
    else out += ch;
  }
  return out;
}

/**
 * Makes running text printable on one canvas line while keeping it readable: spaces stay
 * spaces, but newlines, tabs and control characters get their visible marks.
 */
export function visibleText(text: string): string {
  let out = "";
  for (const ch of spellMissingGlyphs(text)) out += ch === " " || ch === "\u3000" ? ch : visibleToken(ch);
  return out;
}

/** Joiners and variation selectors: drawn as nothing, so never "missing". */
function isInvisibleModifier(code: number): boolean {
  return code === 0x200d || (code >= 0xfe00 && code <= 0xfe0f) || (code >= 0xe0100 && code <= 0xe01ef);
}

/**
 * Replaces each user-perceived character the bundled font cannot draw (emoji, rare
 * symbols) by its code point, "U+1F642" — an honest label instead of an empty box.
 * Marks we draw ourselves (↵ ⇥ …) and control characters are left to the callers.
 */
export function spellMissingGlyphs(text: string): string {
  // fast path: everything in the font (the usual case)
  let allCovered = true;
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code >= 0x20 && code !== 0x7f && !fontCovers(code) && !isInvisibleModifier(code) && ch !== NEWLINE_MARK && ch !== TAB_MARK) {
      allCovered = false;
      break;
    }
  }
  if (allCovered) return text;
  let out = "";
  for (const g of graphemes(text)) {
    const codes = Array.from(g, (ch) => ch.codePointAt(0)!);
    const missing = codes.some((c) => c >= 0x20 && c !== 0x7f && !fontCovers(c) && !isInvisibleModifier(c) && c !== 0x21b5 && c !== 0x21e5);
    out += missing ? `U+${codes[0].toString(16).toUpperCase().padStart(4, "0")}${codes.length > 1 ? ELLIPSIS : ""}` : g;
  }
  return out;
}

/** Sets the bundled font at `size` px. */
export function setFont(ctx: Ctx, size: number, weight: FontWeight = "normal"): void {
  ctx.font = fontSpec(size, weight);
}

/** The px size of the current ctx.font. */
function currentFontSize(ctx: Ctx): number {
  const match = /(\d+(?:\.\d+)?)px/.exec(ctx.font);
  return match ? Number(match[1]) : 16;
}

type Run = { kind: "text"; text: string } | { kind: "mark"; mark: string };

/** Splits text into plain runs and the marks we draw ourselves. */
function splitRuns(text: string): Run[] {
  const runs: Run[] = [];
  let plain = "";
  for (const ch of text) {
    if (ch === NEWLINE_MARK || ch === TAB_MARK || ch === ELLIPSIS) {
      if (plain) runs.push({ kind: "text", text: plain });
      plain = "";
      runs.push({ kind: "mark", mark: ch });
    } else plain += ch;
  }
  if (plain) runs.push({ kind: "text", text: plain });
  return runs;
}

/** Advance width of a hand-drawn mark, in ems. */
const MARK_EM = 0.85;
const ELLIPSIS_EM = 0.8;

function markWidth(mark: string, em: number): number {
  return em * (mark === ELLIPSIS ? ELLIPSIS_EM : MARK_EM);
}

/** Width of `text` in the current font. */
export function textWidth(ctx: Ctx, text: string): number {
  let width = 0;
  const em = currentFontSize(ctx);
  for (const run of splitRuns(text)) width += run.kind === "text" ? ctx.measureText(run.text).width : markWidth(run.mark, em);
  return width;
}

export type Align = "left" | "center" | "right";

/**
 * Draws `text` with its vertical centre at y (textBaseline "middle"), aligned at x.
 * Uses ctx.fillStyle for glyphs and hand-drawn marks alike.
 */
export function drawText(ctx: Ctx, text: string, x: number, y: number, align: Align = "left"): void {
  const runs = splitRuns(text);
  const total = textWidth(ctx, text);
  let cursor = align === "left" ? x : align === "center" ? x - total / 2 : x - total;
  const em = currentFontSize(ctx);
  ctx.save();
  ctx.textAlign = "left";
  ctx.textBaseline = "middle";
  for (const run of runs) {
    if (run.kind === "text") {
      ctx.fillText(run.text, cursor, y);
      cursor += ctx.measureText(run.text).width;
    } else {
      drawMark(ctx, run.mark, cursor, y, em);
      cursor += markWidth(run.mark, em);
    }
  }
  ctx.restore();
}

/**
 * ↵ and ⇥ as strokes inside a box em*MARK_EM wide, centred on y; "…" as three dots on the
 * baseline (the font's own "…" switches between a centred Japanese and a low Latin form
 * depending on its neighbours, which looked inconsistent in truncated text).
 */
function drawMark(ctx: Ctx, mark: string, x: number, y: number, em: number): void {
  if (mark === ELLIPSIS) {
    // sit the dots where the font puts a period
    const period = ctx.measureText(".");
    const dotY = y + (period.actualBoundingBoxDescent - period.actualBoundingBoxAscent) / 2;
    const r = Math.max(0.9, em * 0.055);
    const w = em * ELLIPSIS_EM;
    ctx.beginPath();
    for (const f of [0.2, 0.5, 0.8]) {
      ctx.moveTo(x + w * f + r, dotY);
      ctx.arc(x + w * f, dotY, r, 0, Math.PI * 2);
    }
    ctx.fill();
    return;
  }
  const w = em * MARK_EM;
  const head = em * 0.17;
  ctx.save();
  ctx.strokeStyle = ctx.fillStyle;
  ctx.lineWidth = Math.max(1.2, em * 0.075);
  ctx.lineCap = "round";
  ctx.lineJoin = "round";
  ctx.beginPath();
  if (mark === NEWLINE_MARK) {
    // down from the top right, then left, ending in an arrow head
    const right = x + w * 0.8;
    const left = x + w * 0.18;
    const bottom = y + em * 0.12;
    ctx.moveTo(right, y - em * 0.3);
    ctx.lineTo(right, bottom);
    ctx.lineTo(left, bottom);
    ctx.moveTo(left + head, bottom - head);
    ctx.lineTo(left, bottom);
    ctx.lineTo(left + head, bottom + head);
  } else {
    // an arrow to a bar
    const tip = x + w * 0.72;
    ctx.moveTo(x + w * 0.12, y);
    ctx.lineTo(tip, y);
    ctx.moveTo(tip - head, y - head);
    ctx.lineTo(tip, y);
    ctx.lineTo(tip - head, y + head);
    ctx.moveTo(x + w * 0.84, y - em * 0.26);
    ctx.lineTo(x + w * 0.84, y + em * 0.26);
  }
  ctx.stroke();
  ctx.restore();
}

const segmenter = new Intl.Segmenter(undefined, { granularity: "grapheme" });

/** User-perceived characters (so "…" never splits an emoji or a combining mark). */
export function graphemes(text: string): string[] {
  return Array.from(segmenter.segment(text), (s) => s.segment);
}

/** Keeps the start of `text`, ending in "…" if it is wider than maxWidth. */
export function fitText(ctx: Ctx, text: string, maxWidth: number): string {
  if (textWidth(ctx, text) <= maxWidth) return text;
  const parts = graphemes(text);
  // largest k such that parts[0..k) + "…" fits
  let lo = 0;
  let hi = parts.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (textWidth(ctx, parts.slice(0, mid).join("") + ELLIPSIS) <= maxWidth) lo = mid;
    else hi = mid - 1;
  }
  return parts.slice(0, lo).join("") + ELLIPSIS;
}

/**
 * Keeps the end of `text`, starting with "…" if it is wider than maxWidth
 * (or always, with `alwaysEllipsis`, when the caller already dropped a head).
 */
export function fitTextStart(ctx: Ctx, text: string, maxWidth: number, alwaysEllipsis = false): string {
  if (!alwaysEllipsis && textWidth(ctx, text) <= maxWidth) return text;
  const parts = graphemes(text);
  let lo = 0;
  let hi = parts.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (textWidth(ctx, ELLIPSIS + parts.slice(parts.length - mid).join("")) <= maxWidth) lo = mid;
    else hi = mid - 1;
  }
  return ELLIPSIS + parts.slice(parts.length - lo).join("");
}

/** Characters that must not begin a line in Japanese typesetting (kinsoku). */
const NO_LINE_START = new Set([..."、。，．,.!?！？）」』】〉》・ー…ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮ:;：；"]);

/**
 * Greedy line wrapping by grapheme, preferring to break after a space when one is near
 * the end of the line (Latin words stay whole; Japanese breaks anywhere).
 */
export function wrapText(ctx: Ctx, text: string, maxWidth: number): string[] {
  // a visible newline mark ends its line, like the newline it stands for
  if (text.includes(NEWLINE_MARK)) {
    const pieces = text.split(NEWLINE_MARK);
    return pieces.flatMap((piece, i) => {
      const withMark = i < pieces.length - 1 ? piece + NEWLINE_MARK : piece;
      return withMark === "" ? [] : wrapLine(ctx, withMark, maxWidth);
    });
  }
  return wrapLine(ctx, text, maxWidth);
}

function wrapLine(ctx: Ctx, text: string, maxWidth: number): string[] {
  const lines: string[] = [];
  let line: string[] = [];
  let lineWidth = 0;
  let lastSpace = -1;
  const widthCache = new Map<string, number>();
  const widthOf = (g: string) => {
    let w = widthCache.get(g);
    if (w === undefined) {
      w = textWidth(ctx, g);
      widthCache.set(g, w);
    }
    return w;
  };
  for (const g of graphemes(text)) {
    const w = widthOf(g);
    if (lineWidth + w > maxWidth && line.length > 0) {
      // Japanese line-breaking rule: closing punctuation never starts a line, so the
      // character before it moves down with it
      if (NO_LINE_START.has(g) && line.length > 1 && !NO_LINE_START.has(line[line.length - 1])) {
        const carried = line.pop()!;
        lines.push(line.join(""));
        line = [carried];
        lineWidth = widthOf(carried);
        lastSpace = -1;
        line.push(g);
        lineWidth += w;
        continue;
      }
      // break after the last space if it leaves at least 60% of the line filled
      if (lastSpace >= 0 && lastSpace >= line.length * 0.6 && g !== " " && g !== "␣") {
        lines.push(line.slice(0, lastSpace + 1).join(""));
        line = line.slice(lastSpace + 1);
      } else {
        lines.push(line.join(""));
        line = [];
      }
      lineWidth = line.reduce((sum, part) => sum + widthOf(part), 0);
      lastSpace = -1;
    }
    line.push(g);
    lineWidth += w;
    if (g === " " || g === "␣") lastSpace = line.length - 1;
  }
  if (line.length > 0) lines.push(line.join(""));
  // per-glyph widths ignore kerning: make sure each line really fits
  return lines.map((l) => fitText(ctx, l, maxWidth));
}

/**
 * The last `maxLines` wrapped lines of `text` (the most recent part of a context);
 * the first line starts with "…" when anything before it was dropped.
 */
export function wrapTextEnd(ctx: Ctx, text: string, maxWidth: number, maxLines: number): string[] {
  // only the tail can be shown: wrap at most a generous tail, not a 100k-char context
  const parts = graphemes(text);
  const minCharWidth = Math.max(4, textWidth(ctx, "i"));
  const keep = Math.ceil((maxLines * maxWidth) / minCharWidth) + 1;
  const dropped = parts.length > keep;
  const tail = dropped ? parts.slice(parts.length - keep).join("") : text;
  const lines = wrapText(ctx, tail, maxWidth);
  if (lines.length <= maxLines && !dropped) return lines;
  const shown = lines.slice(Math.max(0, lines.length - maxLines));
  shown[0] = fitTextStart(ctx, shown[0], maxWidth, true);
  return shown;
}
