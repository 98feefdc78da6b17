/** Number formatting shared by all pictures (thousands separators, percents, compact sizes). */
import type { Lang } from "./lang.ts";

const GROUPED = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

/** 1234567 → "1,234,567" (Japanese uses the same separators). */
export function formatInt(n: number): string {
  return GROUPED.format(Math.round(n));
}

/** A probability as a percent with sensible precision: 0.4231 → "42.3%", 0.0042 → "0.42%". */
export function formatPercent(p: number): string {
  const pct = p * 100;
  if (pct <= 0) return "0%";
  if (pct < 0.01) return "<0.01%";
  if (pct >= 99.95 && pct < 100) return ">99.9%";
  if (pct >= 1) return `${pct.toFixed(1)}%`;
  return `${pct.toFixed(2)}%`;
}

/** Big counts in a short form: en "1.2M", ja "120万". */
export function formatCompact(n: number, lang: Lang): string {
  const abs = Math.abs(n);
  const trim = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1).replace(/\.0$/, "") : x.toFixed(2).replace(/\.?0+$/, ""));
  if (lang === "ja") {
    if (abs >= 1e8) return `${trim(n / 1e8)}億`;
    if (abs >= 1e4) return `${trim(n / 1e4)}万`;
    return formatInt(n);
  }
  if (abs >= 1e9) return `${trim(n / 1e9)}B`;
  if (abs >= 1e6) return `${trim(n / 1e6)}M`;
  if (abs >= 1e3) return `${trim(n / 1e3)}K`;
  return formatInt(n);
}

/** A loss value: 3 decimals (losses of small models live between ~0.5 and ~11). */
export function formatLoss(x: number): string {
  return x.toFixed(3);
}

/** A learning rate: "3e-4" style, or plain decimals for large values. */
export function formatLearningRate(lr: number): string {
  if (lr === 0) return "0";
  if (Math.abs(lr) >= 0.01) return String(Number(lr.toPrecision(2)));
  const [mantissa, exponent] = lr.toExponential(1).split("e");
  return `${mantissa.replace(/\.0$/, "")}e${exponent}`;
}

/** Decimals needed to write multiples of `spacing` exactly (0.25 → 2, 0.5 → 1, 20 → 0). */
export function decimalsFor(spacing: number): number {
  for (let d = 0; d < 6; d++) {
    const scaled = spacing * 10 ** d;
    if (Math.abs(scaled - Math.round(scaled)) < 1e-6 * Math.max(1, scaled)) return d;
  }
  return 6;
}

/** An axis tick value, with just enough decimals for the tick spacing. */
export function formatTick(value: number, spacing: number): string {
  return value.toFixed(decimalsFor(spacing));
}
