/** "Nice" axis ranges and ticks (1, 2, 2.5, 5 × 10^k spacings), shared by the charts. */

export interface NiceScale {
  lo: number;
  hi: number;
  /** spacing between ticks */
  step: number;
  ticks: number[];
}

/** Rounds `x` up to 1, 2, 2.5, 5 or 10 × a power of ten. */
export function niceStep(rough: number): number {
  if (!(rough > 0) || !Number.isFinite(rough)) return 1;
  const power = 10 ** Math.floor(Math.log10(rough));
  const f = rough / power;
  const nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10;
  return nice * power;
}

/** A range covering [min, max] with about `count` ticks on nice values. */
export function niceScale(min: number, max: number, count = 6): NiceScale {
  let a = min;
  let b = max;
  if (!Number.isFinite(a) || !Number.isFinite(b)) {
    a = 0;
    b = 1;
  }
  if (a === b) {
    const pad = a === 0 ? 1 : Math.abs(a) * 0.1;
    a -= pad;
    b += pad;
  }
  const step = niceStep((b - a) / Math.max(1, count - 1));
  const lo = Math.floor(a / step + 1e-9) * step;
  const hi = Math.ceil(b / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let v = lo; v <= hi + step * 1e-6; v += step) ticks.push(Math.round(v / step) * step);
  return { lo, hi, step, ticks };
}
