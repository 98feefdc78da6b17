/**
 * Sizes that differ by many powers of ten (parameter counts, compute) as horizontal bars on
 * a logarithmic axis: each grid line is ten times the one before, so a model 1000× bigger
 * has a bar three grid steps longer. An optional second panel breaks one quantity into its
 * parts on an ordinary (linear) scale.
 */
import { COLORS, SPACE, TYPE } from "./theme.ts";
import { createPicture, drawHeader, drawNote, fillRoundRect, HEADER_HEIGHT, measuringContext, toPng } from "./picture.ts";
import { drawPowerOfTen, drawScientific, NOTE_LINE, scientificWidth, wrapNotes, type Scientific } from "./explain-chart.ts";
import { drawText, fitText, setFont, textWidth } from "./text.ts";

export interface ScaleBar {
  label: string;
  value: number;
  /** the value as text, e.g. "1.2M", or as mantissa × 10^exponent */
  valueText: string | Scientific;
  /** a second, muted line under the label, e.g. "(in 3 minutes)" */
  detail?: string;
  highlight?: boolean;
}

export interface ScaleInput {
  title: string;
  subtitle: string;
  /** heading over the log-scale bars */
  heading: string;
  axisLabel: string;
  bars: ScaleBar[];
  breakdown?: { heading: string; items: { label: string; value: number; valueText: string }[] };
  notes?: string[];
}

const WIDTH = 1400;
const LABEL_WIDTH = 360;
const BAR_ROW = 78;
const PART_ROW = 46;

export interface ScaleLayout {
  width: number;
  height: number;
  barsTop: number;
  barLeft: number;
  barWidth: number;
  /** log10 range of the axis */
  lo: number;
  hi: number;
  /** pixel x of a value on the log axis */
  xOf(value: number): number;
}

export function scaleLayout(input: ScaleInput): ScaleLayout {
  const m = SPACE.margin;
  const values = input.bars.map((b) => b.value).filter((v) => v > 0 && Number.isFinite(v));
  if (values.length === 0) throw new RangeError("scale bars need at least one positive value");
  // the smallest bar gets at least half a decade of length
  const lo = Math.floor(Math.log10(Math.min(...values)) - 0.5);
  const hi = Math.max(lo + 1, Math.ceil(Math.log10(Math.max(...values)) + 0.05));
  const barsTop = HEADER_HEIGHT + TYPE.heading + 30;
  const barLeft = m + LABEL_WIDTH;
  const barWidth = WIDTH - m - barLeft - 20;
  const barsHeight = input.bars.length * BAR_ROW + 50;
  const partsHeight = input.breakdown ? TYPE.heading + 30 + input.breakdown.items.length * PART_ROW + 20 : 0;
  const notes = wrapNotes(input.notes ?? [], WIDTH - 2 * m);
  return {
    width: WIDTH,
    height: barsTop + barsHeight + partsHeight + (notes.length ? notes.length * NOTE_LINE + 16 : 0) + m,
    barsTop,
    barLeft,
    barWidth,
    lo,
    hi,
    xOf: (value) => barLeft + ((Math.log10(Math.max(value, 10 ** lo)) - lo) / (hi - lo)) * barWidth,
  };
}

export async function renderScale(input: ScaleInput): Promise<Buffer> {
  const layout = scaleLayout(input);
  const picture = createPicture(layout.width, layout.height);
  const { ctx } = picture;
  const m = SPACE.margin;
  drawHeader(ctx, { title: input.title, subtitle: input.subtitle }, layout.width);
  ctx.fillStyle = COLORS.text;
  setFont(ctx, TYPE.heading, "bold");
  drawText(ctx, fitText(ctx, input.heading, layout.width - 2 * m), m, HEADER_HEIGHT + TYPE.heading / 2);

  // 1. the log grid: one line per power of ten (every 2nd or 3rd when the range is wide)
  const span = layout.hi - layout.lo;
  const every = span > 16 ? 3 : span > 9 ? 2 : 1;
  const gridBottom = layout.barsTop + input.bars.length * BAR_ROW;
  for (let e = layout.lo; e <= layout.hi; e++) {
    const x = Math.round(layout.xOf(10 ** e)) + 0.5;
    ctx.fillStyle = COLORS.gridLine;
    ctx.fillRect(x - 0.5, layout.barsTop - 8, 1, gridBottom - layout.barsTop + 8);
    if ((e - layout.lo) % every === 0) {
      ctx.fillStyle = COLORS.textMuted;
      drawPowerOfTen(ctx, e, x, gridBottom + 22, TYPE.small, "center");
    }
  }
  ctx.fillStyle = COLORS.textMuted;
  setFont(ctx, TYPE.small);
  drawText(ctx, input.axisLabel, layout.barLeft + layout.barWidth, gridBottom + 48, "right");

  // 2. the bars
  input.bars.forEach((bar, i) => {
    const centre = layout.barsTop + i * BAR_ROW + BAR_ROW / 2 - 6;
    ctx.fillStyle = bar.highlight ? COLORS.accent : COLORS.text;
    setFont(ctx, TYPE.label, bar.highlight ? "bold" : "normal");
    drawText(ctx, fitText(ctx, bar.label, LABEL_WIDTH - 20), m, bar.detail ? centre - 12 : centre);
    if (bar.detail) {
      ctx.fillStyle = COLORS.textMuted;
      setFont(ctx, TYPE.small);
      drawText(ctx, fitText(ctx, bar.detail, LABEL_WIDTH - 20), m, centre + 16);
    }
    const end = bar.value > 0 ? layout.xOf(bar.value) : layout.barLeft;
    fillRoundRect(
      ctx,
      layout.barLeft,
      centre - 20,
      Math.max(3, end - layout.barLeft),
      40,
      5,
      bar.highlight ? COLORS.accent : COLORS.primary,
    );
    setFont(ctx, TYPE.label, "bold");
    const text = bar.valueText;
    const w = typeof text === "string" ? textWidth(ctx, text) : scientificWidth(ctx, text, TYPE.label, "bold");
    const inside = end - layout.barLeft > w + 24;
    ctx.fillStyle = inside ? COLORS.accentText : COLORS.text;
    const x = inside ? end - 12 : end + 12;
    if (typeof text === "string") drawText(ctx, text, x, centre, inside ? "right" : "left");
    else drawScientific(ctx, text, x, centre, TYPE.label, inside ? "right" : "left", "bold");
  });

  // 3. the breakdown of one quantity, linear
  let y = gridBottom + 70;
  if (input.breakdown) {
    const { items } = input.breakdown;
    ctx.fillStyle = COLORS.text;
    setFont(ctx, TYPE.heading, "bold");
    drawText(ctx, fitText(ctx, input.breakdown.heading, layout.width - 2 * m), m, y + TYPE.heading / 2);
    y += TYPE.heading + 24;
    const total = items.reduce((s, it) => s + it.value, 0);
    const ctxMeasure = measuringContext();
    setFont(ctxMeasure, TYPE.label);
    const valueWidth = Math.max(...items.map((it) => textWidth(ctxMeasure, it.valueText))) + 30;
    const trackWidth = layout.barWidth - valueWidth;
    for (const item of items) {
      const centre = y + PART_ROW / 2;
      ctx.fillStyle = COLORS.text;
      setFont(ctx, TYPE.label);
      drawText(ctx, fitText(ctx, item.label, LABEL_WIDTH - 20), m, centre);
      ctx.fillStyle = COLORS.track;
      ctx.fillRect(layout.barLeft, centre - 12, trackWidth, 24);
      ctx.fillStyle = COLORS.tertiary;
      ctx.fillRect(layout.barLeft, centre - 12, total > 0 ? (item.value / total) * trackWidth : 0, 24);
      ctx.fillStyle = COLORS.text;
      drawText(ctx, item.valueText, layout.barLeft + trackWidth + 14, centre);
      y += PART_ROW;
    }
    y += 20;
  }
  const notes = wrapNotes(input.notes ?? [], layout.width - 2 * m);
  notes.forEach((line, i) => drawNote(ctx, line, m, y + (i + 0.5) * NOTE_LINE, layout.width - 2 * m));
  return toPng(picture);
}
