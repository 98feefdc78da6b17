/**
 * Numbers and quoted text inside the explanations (Discord markdown). Pictures have their own
 * formatting in src/render; these are for running text and monospace tables.
 */
import type { ExplainLang } from "./topics.ts";
import { fitCell } from "./table.ts";

const GROUPED = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

/** 1234567 → "1,234,567" */
export function int(n: number): string {
  return GROUPED.format(Math.round(n));
}

/** Fixed decimals with an ASCII minus (lines up in tables). */
export function fixed(x: number, digits: number): string {
  if (!Number.isFinite(x)) return String(x);
  const s = x.toFixed(digits);
  return /^-0\.?0*$/.test(s) ? s.slice(1) : s;
}

/** A signed number with `digits` significant digits, switching to 1.2e-5 form when tiny or huge. */
export function sig(x: number, digits = 4): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return "0";
  const abs = Math.abs(x);
  if (abs < 1e-3 || abs >= 1e6) return sci(x, digits - 1);
  return String(Number(x.toPrecision(digits)));
}

/** 0.000123 → "1.23e-4" (tables and code). */
export function sci(x: number, decimals = 2): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return "0";
  const [mantissa, exponent] = x.toExponential(decimals).split("e");
  return `${mantissa.replace(/\.?0+$/, "")}e${Number(exponent)}`;
}

const SUPERSCRIPT: Record<string, string> = {
  "-": "⁻",
  "0": "⁰",
  "1": "¹",
  "2": "²",
  "3": "³",
  "4": "⁴",
  "5": "⁵",
  "6": "⁶",
  "7": "⁷",
  "8": "⁸",
  "9": "⁹",
};

/** 3.15e23 → "3.1×10²³" for running text. */
export function power(x: number, decimals = 1): string {
  if (!Number.isFinite(x) || x === 0) return String(x);
  const e = Math.floor(Math.log10(Math.abs(x)));
  let m = x / 10 ** e;
  let exp = e;
  if (Number(Math.abs(m).toFixed(decimals)) >= 10) {
    m /= 10;
    exp += 1;
  }
  const mantissa = m.toFixed(decimals).replace(/\.0+$/, "");
  if (exp === 0) return mantissa;
  return `${mantissa}×10${String(exp)
    .split("")
    .map((c) => SUPERSCRIPT[c])
    .join("")}`;
}

/** A probability as a percent: 0.4231 → "42.3%", 0.0042 → "0.42%", tiny → "0.0012%". */
export function pct(p: number): string {
  const v = p * 100;
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return "0%";
  if (v >= 99.95 && v < 100) return ">99.9%";
  if (v >= 10) return `${v.toFixed(1)}%`;
  if (v >= 1) return `${v.toFixed(1)}%`;
  if (v >= 0.01) return `${v.toFixed(2)}%`;
  return `${Number(v.toPrecision(2))}%`;
}

/** A learning rate: 0.001 → "0.001", 3e-5 → "3e-5". */
export function rate(lr: number): string {
  if (lr === 0) return "0";
  if (Math.abs(lr) >= 1e-3) return String(Number(lr.toPrecision(2)));
  return sci(lr, 1);
}

/** Big counts in words: en "1.2 million", ja "120万". */
export function big(n: number, lang: ExplainLang): string {
  const abs = Math.abs(n);
  const trim = (x: number) => String(Number(x.toPrecision(3)));
  if (lang === "ja") {
    if (abs >= 1e16) return `${trim(n / 1e16)}京`;
    if (abs >= 1e12) return `${trim(n / 1e12)}兆`;
    if (abs >= 1e8) return `${trim(n / 1e8)}億`;
    if (abs >= 1e4) return `${trim(n / 1e4)}万`;
    return int(n);
  }
  if (abs >= 1e15) return `${trim(n / 1e15)} quadrillion`;
  if (abs >= 1e12) return `${trim(n / 1e12)} trillion`;
  if (abs >= 1e9) return `${trim(n / 1e9)} billion`;
  if (abs >= 1e6) return `${trim(n / 1e6)} million`;
  // a rough size, not a count: three significant digits
  return abs >= 1000 ? int(Number(n.toPrecision(3))) : int(n);
}

/** A duration in the most readable unit. */
export function duration(seconds: number, lang: ExplainLang): string {
  const s = Math.abs(seconds);
  const n = (x: number) => String(Number(x.toPrecision(x >= 100 ? 3 : 2)));
  const ja = lang === "ja";
  if (!Number.isFinite(s)) return String(seconds);
  if (s < 1e-3) return ja ? `${n(s * 1e6)}マイクロ秒` : `${n(s * 1e6)} µs`;
  if (s < 1) return ja ? `${n(s * 1e3)}ミリ秒` : `${n(s * 1e3)} ms`;
  if (s < 120) return ja ? `${n(s)}秒` : `${n(s)} s`;
  if (s < 7200) return ja ? `${n(s / 60)}分` : `${n(s / 60)} minutes`;
  if (s < 3 * 86400) return ja ? `${n(s / 3600)}時間` : `${n(s / 3600)} hours`;
  if (s < 2 * 31_557_600) return ja ? `${n(s / 86400)}日` : `${n(s / 86400)} days`;
  const years = s / 31_557_600;
  return ja ? `${big(years, "ja")}年` : `${big(years, "en")} years`;
}

/** Whitespace of a token made visible (the same marks the pictures use). */
export function visible(token: string): string {
  let out = "";
  for (const ch of token) {
    if (ch === " ") out += "␣";
    else if (ch === "\n") out += "↵";
    else if (ch === "\t") out += "⇥";
    else if (ch === "\u3000") out += "□";
    else if (ch === "\r") out += "\\r";
    else if ((ch.codePointAt(0) ?? 0) < 0x20 || ch === "\u007f") out += `\\x${ch.codePointAt(0)!.toString(16).padStart(2, "0")}`;
    else out += ch;
  }
  return out;
}

/**
 * Cuts text to `max` user-perceived characters, adding "…". Text with spaces (English) is cut at
 * the last space that keeps at least half of it, so no word is cut in two; text without (Japanese)
 * is cut between characters.
 */
export function cut(text: string, max: number): string {
  const parts = Array.from(new Intl.Segmenter(undefined, { granularity: "grapheme" }).segment(text), (s) => s.segment);
  if (parts.length <= max) return text;
  const kept = parts.slice(0, max - 1);
  const midWord = /\S/.test(parts[max - 1]) && /\S/.test(kept[kept.length - 1]);
  const space = midWord ? kept.map((c) => /\s/.test(c)).lastIndexOf(true) : -1;
  const whole = space >= Math.floor(max / 2) ? kept.slice(0, space) : kept;
  return `${whole.join("").trimEnd()}…`;
}

/**
 * A user's text or a token, safe inside Discord markdown: one line, at most `max` characters,
 * markdown characters escaped, and mentions (@everyone, <@id>) broken so they never ping.
 */
export function quote(text: string, max = 60): string {
  const oneLine = cut(text.replace(/\r\n?|\n/g, " ↵ "), max);
  return oneLine.replace(/[\\`*_~|[\]]/g, (c) => `\\${c}`).replace(/@/g, "@\u200b");
}

/** A token for running text: whitespace visible, then made safe like `quote`. */
export function token(text: string, max = 24): string {
  return quote(visible(text), max);
}

/** A token inside a code block (no markdown there): whitespace visible, cut to `max` columns. */
export function cellToken(text: string, max = 10): string {
  return fitCell(visible(text), max);
}

/** 0.001 → "1e-3", 3.15e23 → "3.2e23" (compact, for table columns). */
export function sci1(x: number): string {
  if (!Number.isFinite(x) || x === 0) return String(x);
  const e = Math.log10(Math.abs(x));
  if (Math.abs(e - Math.round(e)) < 1e-9) return `${x < 0 ? "-" : ""}1e${Math.round(e)}`;
  return x.toExponential(1).replace("e+", "e");
}

/** Numbers side by side in a fixed width (table columns of vectors). */
export function vec(values: readonly number[], digits = 2): string {
  return values.map((v) => fixed(v, digits).padStart(digits + 3)).join(" ");
}

/** A memory size: 45120 → "45 KB", 3.2e6 → "3.2 MB". */
export function bytes(n: number): string {
  if (n < 1e6) return `${Math.max(1, Math.round(n / 1e3))} KB`;
  if (n < 1e9) return `${fixed(n / 1e6, 1)} MB`;
  return `${fixed(n / 1e9, 1)} GB`;
}
