/**
 * The heat colour scale of the attention pictures: dark indigo (0) through purple,
 * magenta and orange to pale yellow (max). Brightness grows monotonically with the
 * value, so "brighter = more attention" holds for every reader, colour-blind included.
 */

/** Control points [position 0..1, r, g, b]; my own choice, tuned by eye on the dark theme. */
const STOPS: ReadonlyArray<readonly [number, number, number, number]> = [
  [0.0, 0x16, 0x17, 0x33],
  [0.2, 0x40, 0x1f, 0x78],
  [0.4, 0x94, 0x2a, 0x7c],
  [0.6, 0xdc, 0x4a, 0x4c],
  [0.8, 0xf8, 0x9d, 0x3a],
  [1.0, 0xfc, 0xf2, 0xa6],
];

export type Rgb = readonly [number, number, number];

/** Colour of value t in [0, 1] (clamped; NaN counts as 0). */
export function heatRgb(t: number): Rgb {
  const v = Number.isFinite(t) ? Math.min(1, Math.max(0, t)) : 0;
  for (let i = 1; i < STOPS.length; i++) {
    const [p1, r1, g1, b1] = STOPS[i];
    if (v <= p1) {
      const [p0, r0, g0, b0] = STOPS[i - 1];
      const f = (v - p0) / (p1 - p0);
      return [Math.round(r0 + (r1 - r0) * f), Math.round(g0 + (g1 - g0) * f), Math.round(b0 + (b1 - b0) * f)];
    }
  }
  const last = STOPS[STOPS.length - 1];
  return [last[1], last[2], last[3]];
}

export function heatColor(t: number): string {
  const [r, g, b] = heatRgb(t);
  return `rgb(${r},${g},${b})`;
}

/** Relative luminance (sRGB, 0..1): what "brighter" means in the tests. */
export function luminance([r, g, b]: Rgb): number {
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}
