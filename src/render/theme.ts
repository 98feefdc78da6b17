/**
 * One look for every picture: a dark background (sits well in Discord's dark theme and
 * is still clear in the light theme), one palette, one type scale, one set of margins.
 * Sizes are in pixels at the picture's own resolution; pictures are 1000–1600 px wide,
 * so the smallest text (TYPE.small) stays readable when a phone shows the image at 50%.
 */

/** Hard limit for every picture (Discord shows wider images scaled down anyway). */
export const MAX_WIDTH = 1600;
/** Tallest picture we make; content beyond it is cut with a note. */
export const MAX_HEIGHT = 3600;

export const COLORS = {
  background: "#1b1d23",
  panel: "#242730",
  panelBorder: "#363a46",
  gridLine: "#343845",
  axis: "#6b7282",
  text: "#eceef3",
  textMuted: "#a9aebb",
  textDim: "#7b8292",
  /** the chosen / best / highlighted thing */
  accent: "#ffb547",
  accentText: "#1b1d23",
  /** main data series: bars, train loss */
  primary: "#5cb3ff",
  /** second data series: validation loss */
  secondary: "#ff7aa8",
  /** third series: learning rate */
  tertiary: "#8fdc8a",
  /** causally masked attention cells (the future): flat grey with a lighter hatch */
  mask: "#2f323a",
  maskHatch: "#444955",
  /** bar tracks (the 0–100% extent behind a bar) */
  track: "#2e323d",
} as const;

/** Alternating chip colours for neighbouring tokens: muted, all readable with light text. */
export const CHIP_COLORS = ["#2f5f8f", "#6b3f86", "#2d6f58", "#85602a", "#8a3a4c", "#3f5299"] as const;

/** Type scale (px). */
export const TYPE = {
  title: 40,
  subtitle: 25,
  heading: 27,
  body: 24,
  label: 22,
  small: 19,
  /** only for dense axis labels that shrink with their cell */
  minLabel: 14,
} as const;

export const SPACE = {
  /** outer margin of every picture */
  margin: 40,
  gap: 16,
  /** gap below the header */
  headerGap: 24,
  radius: 8,
} as const;
