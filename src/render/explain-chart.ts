/**
 * A plain x–y chart for the explanatory mode: lines and dots on linear or logarithmic axes,
 * with a legend, markers and reference lines. Used on its own (`renderChart`) or as one
 * panel of a bigger picture (`drawChart` into a rectangle).
 *
 * Powers of ten on log axes are drawn as "10" with a raised exponent (the bundled font lacks
 * most superscript digits, so they are not typed as characters).
 */
import { COLORS, SPACE, TYPE } from "./theme.ts";
import { niceScale } from "./axis.ts";
import { formatTick } from "./format.ts";
import { createPicture, drawHeader, drawNote, fillRoundRect, HEADER_HEIGHT, measuringContext, toPng } from "./picture.ts";
import { drawText, fitText, setFont, spellMissingGlyphs, textWidth, wrapText, type Ctx } from "./text.ts";

export interface ChartAxis {
  label: string;
  log?: boolean;
  /** fixed range; otherwise it covers the data (and the reference lines) */
  min?: number;
  max?: number;
  /** tick text for linear axes (default: just enough decimals) */
  format?: (value: number) => string;
}

export interface ChartSeries {
  /** shown in the legend; unlabelled series are not listed */
  label?: string;
  color: string;
  points: readonly (readonly [number, number])[];
  /** connect the points (default true) */
  line?: boolean;
  /** dot radius at each point (0 = none, the default) */
  dots?: number;
  dashed?: boolean;
  /** line width (default 3) */
  width?: number;
}

export interface ChartMarker {
  x: number;
  y: number;
  color: string;
  label?: string;
  radius?: number;
}

export interface ChartLine {
  value: number;
  label?: string;
  color?: string;
}

export interface ChartSpec {
  x: ChartAxis;
  y: ChartAxis;
  series: ChartSeries[];
  markers?: ChartMarker[];
  /** vertical reference lines at x values */
  xLines?: ChartLine[];
  /** horizontal reference lines at y values */
  yLines?: ChartLine[];
  /** a heading drawn above the panel (for multi-panel pictures) */
  heading?: string;
}

export interface Rect {
  left: number;
  top: number;
  width: number;
  height: number;
}

export interface LegendItem {
  series: ChartSeries;
  label: string;
  x: number;
  y: number;
}

export interface ChartLayout {
  plot: Rect;
  /** legend entries with their positions (rows wrap when the plot is narrow) */
  legend: LegendItem[];
  xMin: number;
  xMax: number;
  yMin: number;
  yMax: number;
  xTicks: number[];
  yTicks: number[];
  /** pixel position of a data value */
  xOf(v: number): number;
  yOf(v: number): number;
}

const LEGEND_ROW = 36;
const HEADING_ROW = 40;

function finitePositive(v: number, log: boolean | undefined): boolean {
  return Number.isFinite(v) && (!log || v > 0);
}

interface AxisScale {
  min: number;
  max: number;
  ticks: number[];
  step: number;
}

function axisScale(axis: ChartAxis, values: number[], count: number): AxisScale {
  const data = values.filter((v) => finitePositive(v, axis.log));
  let lo = axis.min ?? (data.length ? Math.min(...data) : axis.log ? 1 : 0);
  let hi = axis.max ?? (data.length ? Math.max(...data) : axis.log ? 10 : 1);
  if (axis.log) {
    let a = Math.floor(Math.log10(lo) + 1e-9);
    let b = Math.ceil(Math.log10(hi) - 1e-9);
    if (axis.min !== undefined) a = Math.log10(axis.min);
    if (axis.max !== undefined) b = Math.log10(axis.max);
    if (b <= a) b = a + 1;
    const span = Math.ceil(b) - Math.floor(a);
    const every = Math.max(1, Math.ceil(span / 9));
    const ticks: number[] = [];
    for (let e = Math.ceil(a - 1e-9); e <= b + 1e-9; e++) if (e % every === 0) ticks.push(10 ** e);
    return { min: 10 ** a, max: 10 ** b, ticks, step: every };
  }
  if (axis.min !== undefined && axis.max !== undefined) {
    const s = niceScale(axis.min, axis.max, count);
    return { min: axis.min, max: axis.max, ticks: s.ticks.filter((t) => t >= axis.min! - 1e-9 && t <= axis.max! + 1e-9), step: s.step };
  }
  if (hi === lo) {
    lo -= 1;
    hi += 1;
  }
  const s = niceScale(lo, hi, count);
  return { min: axis.min ?? s.lo, max: axis.max ?? s.hi, ticks: s.ticks, step: s.step };
}

/** Where the plot sits inside `rect` and how values map to pixels. */
export function chartLayout(spec: ChartSpec, rect: Rect): ChartLayout {
  const xs: number[] = [];
  const ys: number[] = [];
  for (const s of spec.series)
    for (const [x, y] of s.points) {
      xs.push(x);
      ys.push(y);
    }
  for (const m of spec.markers ?? []) {
    xs.push(m.x);
    ys.push(m.y);
  }
  for (const l of spec.xLines ?? []) xs.push(l.value);
  for (const l of spec.yLines ?? []) ys.push(l.value);
  const xScale = axisScale(spec.x, xs, 7);
  const yScale = axisScale(spec.y, ys, 6);

  const ctx = measuringContext();
  setFont(ctx, TYPE.small);
  const yTickWidth = Math.max(40, ...yScale.ticks.map((t) => (spec.y.log ? 60 : textWidth(ctx, tickText(spec.y, t, yScale.step)))));
  const left = rect.left + TYPE.label + 16 + yTickWidth + 12;
  const right = rect.left + rect.width - 16;
  // legend: items left to right, wrapping to a new row when the next one does not fit
  setFont(ctx, TYPE.label);
  const legendTop = rect.top + (spec.heading ? HEADING_ROW : 0);
  const legend: LegendItem[] = [];
  let lx = left;
  let row = 0;
  for (const series of spec.series) {
    if (!series.label) continue;
    const label = fitText(ctx, series.label, right - left - 46);
    const w = 46 + textWidth(ctx, label);
    if (lx > left && lx + w > right) {
      lx = left;
      row++;
    }
    legend.push({ series, label, x: lx, y: legendTop + row * LEGEND_ROW + LEGEND_ROW / 2 });
    lx += w + 30;
  }
  const legendRows = legend.length > 0 ? row + 1 : 0;
  const top = legendTop + legendRows * LEGEND_ROW + (legendRows > 0 ? 8 : 8);
  const bottom = rect.top + rect.height - (TYPE.small + 14 + TYPE.label + 18);
  const plot = { left, top, width: Math.max(40, right - left), height: Math.max(40, bottom - top) };

  const map = (axis: ChartAxis, s: AxisScale, v: number, from: number, length: number, flip: boolean) => {
    const f = axis.log ? (Math.log10(v) - Math.log10(s.min)) / (Math.log10(s.max) - Math.log10(s.min)) : (v - s.min) / (s.max - s.min);
    return flip ? from + length - f * length : from + f * length;
  };
  return {
    plot,
    legend,
    xMin: xScale.min,
    xMax: xScale.max,
    yMin: yScale.min,
    yMax: yScale.max,
    xTicks: xScale.ticks,
    yTicks: yScale.ticks,
    xOf: (v) => map(spec.x, xScale, v, plot.left, plot.width, false),
    yOf: (v) => map(spec.y, yScale, v, plot.top, plot.height, true),
  };
}

function tickText(axis: ChartAxis, value: number, step: number): string {
  if (axis.format) return axis.format(value);
  return formatTick(value, step).replace(/^-/, "−");
}

/** "10" with a raised exponent, e.g. 10⁻³, aligned at x like drawText. */
export function drawPowerOfTen(ctx: Ctx, exponent: number, x: number, y: number, size: number, align: "left" | "center" | "right"): void {
  if (exponent === 0 || exponent === 1) {
    setFont(ctx, size);
    drawText(ctx, exponent === 0 ? "1" : "10", x, y, align);
    return;
  }
  const exp = String(exponent).replace("-", "−");
  setFont(ctx, size);
  const base = textWidth(ctx, "10");
  setFont(ctx, size * 0.68);
  const raised = textWidth(ctx, exp);
  const total = base + raised + 1;
  const start = align === "left" ? x : align === "center" ? x - total / 2 : x - total;
  setFont(ctx, size);
  drawText(ctx, "10", start, y);
  setFont(ctx, size * 0.68);
  drawText(ctx, exp, start + base + 1, y - size * 0.38);
}

/** A number as mantissa × 10^exponent + unit, e.g. 3.2×10²³ FLOP (exponent raised by hand). */
export interface Scientific {
  mantissa: string;
  exponent: number;
  unit?: string;
}

function scientificParts(ctx: Ctx, value: Scientific, size: number, weight: "normal" | "bold") {
  const head = `${value.mantissa}×10`;
  const exp = String(value.exponent).replace("-", "−");
  const tail = value.unit ? ` ${value.unit}` : "";
  setFont(ctx, size, weight);
  const headWidth = textWidth(ctx, head);
  const tailWidth = textWidth(ctx, tail);
  setFont(ctx, size * 0.68, weight);
  const expWidth = textWidth(ctx, exp) + 2;
  return { head, exp, tail, headWidth, expWidth, tailWidth, width: headWidth + expWidth + tailWidth };
}

export function scientificWidth(ctx: Ctx, value: Scientific, size: number, weight: "normal" | "bold" = "normal"): number {
  return scientificParts(ctx, value, size, weight).width;
}

/** Draws a Scientific value with its vertical centre at y, aligned at x like drawText. */
export function drawScientific(
  ctx: Ctx,
  value: Scientific,
  x: number,
  y: number,
  size: number,
  align: "left" | "right",
  weight: "normal" | "bold" = "normal",
): void {
  const p = scientificParts(ctx, value, size, weight);
  const start = align === "left" ? x : x - p.width;
  setFont(ctx, size, weight);
  drawText(ctx, p.head, start, y);
  setFont(ctx, size * 0.68, weight);
  drawText(ctx, p.exp, start + p.headWidth + 1, y - size * 0.38);
  setFont(ctx, size, weight);
  drawText(ctx, p.tail, start + p.headWidth + p.expWidth, y);
}

function polyline(ctx: Ctx, xy: [number, number][]): void {
  if (xy.length < 2) return;
  ctx.beginPath();
  ctx.moveTo(xy[0][0], xy[0][1]);
  for (let i = 1; i < xy.length; i++) ctx.lineTo(xy[i][0], xy[i][1]);
  ctx.stroke();
}

/** Draws the whole panel (heading, legend, axes, data) into `rect`. */
export function drawChart(ctx: Ctx, spec: ChartSpec, rect: Rect): ChartLayout {
  const layout = chartLayout(spec, rect);
  const { plot } = layout;
  const bottom = plot.top + plot.height;
  const right = plot.left + plot.width;

  if (spec.heading) {
    ctx.fillStyle = COLORS.text;
    setFont(ctx, TYPE.heading, "bold");
    drawText(ctx, fitText(ctx, spec.heading, rect.width), rect.left, rect.top + TYPE.heading / 2 + 2);
  }
  fillRoundRect(ctx, plot.left, plot.top, plot.width, plot.height, 4, COLORS.panel);

  // 1. grid and ticks
  ctx.lineWidth = 1;
  ctx.strokeStyle = COLORS.gridLine;
  ctx.fillStyle = COLORS.textMuted;
  const xStep = layout.xTicks.length > 1 ? Math.abs(layout.xTicks[1] - layout.xTicks[0]) : 1;
  const yStep = layout.yTicks.length > 1 ? Math.abs(layout.yTicks[1] - layout.yTicks[0]) : 1;
  for (const t of layout.xTicks) {
    const x = Math.round(layout.xOf(t)) + 0.5;
    polyline(ctx, [
      [x, plot.top],
      [x, bottom],
    ]);
    ctx.fillStyle = COLORS.textMuted;
    if (spec.x.log) drawPowerOfTen(ctx, Math.round(Math.log10(t)), x, bottom + 22, TYPE.small, "center");
    else {
      setFont(ctx, TYPE.small);
      drawText(ctx, tickText(spec.x, t, xStep), x, bottom + 20, "center");
    }
  }
  for (const t of layout.yTicks) {
    const y = Math.round(layout.yOf(t)) + 0.5;
    polyline(ctx, [
      [plot.left, y],
      [right, y],
    ]);
    ctx.fillStyle = COLORS.textMuted;
    if (spec.y.log) drawPowerOfTen(ctx, Math.round(Math.log10(t)), plot.left - 10, y, TYPE.small, "right");
    else {
      setFont(ctx, TYPE.small);
      drawText(ctx, tickText(spec.y, t, yStep), plot.left - 10, y, "right");
    }
  }
  ctx.strokeStyle = COLORS.axis;
  polyline(ctx, [
    [plot.left, plot.top],
    [plot.left, bottom],
    [right, bottom],
  ]);

  // 2. axis names
  ctx.fillStyle = COLORS.textMuted;
  setFont(ctx, TYPE.label);
  drawText(
    ctx,
    fitText(ctx, spec.x.label, plot.width),
    plot.left + plot.width / 2,
    bottom + TYPE.small + 14 + TYPE.label / 2 + 6,
    "center",
  );
  ctx.save();
  ctx.translate(rect.left + TYPE.label / 2 + 2, plot.top + plot.height / 2);
  ctx.rotate(-Math.PI / 2);
  drawText(ctx, fitText(ctx, spec.y.label, plot.height), 0, 0, "center");
  ctx.restore();

  // 3. data, clipped to the plot
  ctx.save();
  ctx.beginPath();
  ctx.rect(plot.left, plot.top, plot.width, plot.height);
  ctx.clip();
  const inRange = (x: number, y: number) => finitePositive(x, spec.x.log) && finitePositive(y, spec.y.log);
  for (const line of spec.xLines ?? []) {
    ctx.strokeStyle = line.color ?? COLORS.axis;
    ctx.lineWidth = 2;
    ctx.setLineDash([6, 6]);
    const x = layout.xOf(line.value);
    polyline(ctx, [
      [x, plot.top],
      [x, bottom],
    ]);
    ctx.setLineDash([]);
    if (line.label) {
      ctx.fillStyle = line.color ?? COLORS.textMuted;
      setFont(ctx, TYPE.small);
      const w = textWidth(ctx, line.label);
      const leftSide = x + 8 + w > right;
      drawText(ctx, line.label, leftSide ? x - 8 : x + 8, plot.top + TYPE.small, leftSide ? "right" : "left");
    }
  }
  for (const line of spec.yLines ?? []) {
    ctx.strokeStyle = line.color ?? COLORS.axis;
    ctx.lineWidth = 2;
    ctx.setLineDash([6, 6]);
    const y = layout.yOf(line.value);
    polyline(ctx, [
      [plot.left, y],
      [right, y],
    ]);
    ctx.setLineDash([]);
    if (line.label) {
      ctx.fillStyle = line.color ?? COLORS.textMuted;
      setFont(ctx, TYPE.small);
      drawText(ctx, line.label, right - 8, y - TYPE.small / 2 - 4, "right");
    }
  }
  for (const s of spec.series) {
    const xy = s.points.filter(([x, y]) => inRange(x, y)).map(([x, y]) => [layout.xOf(x), layout.yOf(y)] as [number, number]);
    ctx.strokeStyle = s.color;
    ctx.fillStyle = s.color;
    ctx.lineWidth = s.width ?? 3;
    ctx.setLineDash(s.dashed ? [10, 7] : []);
    if (s.line !== false) polyline(ctx, xy);
    ctx.setLineDash([]);
    if (s.dots) for (const [x, y] of xy) dot(ctx, x, y, s.dots);
  }
  for (const m of spec.markers ?? []) {
    if (!inRange(m.x, m.y)) continue;
    const x = layout.xOf(m.x);
    const y = layout.yOf(m.y);
    ctx.fillStyle = m.color;
    dot(ctx, x, y, m.radius ?? 8);
    ctx.strokeStyle = COLORS.background;
    ctx.lineWidth = 2;
    ctx.beginPath();
    ctx.arc(x, y, m.radius ?? 8, 0, Math.PI * 2);
    ctx.stroke();
    if (m.label) {
      setFont(ctx, TYPE.label, "bold");
      const w = textWidth(ctx, m.label);
      const onLeft = x + 16 + w > right - 4;
      const ly = y - 22 < plot.top + 14 ? y + 24 : y - 22;
      ctx.fillStyle = COLORS.background;
      ctx.globalAlpha = 0.75;
      ctx.fillRect(onLeft ? x - 16 - w - 4 : x + 12, ly - TYPE.label / 2 - 3, w + 8, TYPE.label + 6);
      ctx.globalAlpha = 1;
      ctx.fillStyle = m.color;
      drawText(ctx, m.label, onLeft ? x - 16 : x + 16, ly, onLeft ? "right" : "left");
    }
  }
  ctx.restore();

  // 4. legend above the plot
  for (const item of layout.legend) {
    const s = item.series;
    ctx.strokeStyle = s.color;
    ctx.fillStyle = s.color;
    ctx.lineWidth = s.width ?? 3;
    ctx.setLineDash(s.dashed ? [10, 7] : []);
    if (s.line !== false)
      polyline(ctx, [
        [item.x, item.y],
        [item.x + 36, item.y],
      ]);
    ctx.setLineDash([]);
    if (s.dots) dot(ctx, item.x + 18, item.y, Math.max(4, s.dots));
    ctx.fillStyle = COLORS.text;
    setFont(ctx, TYPE.label);
    drawText(ctx, item.label, item.x + 46, item.y);
  }
  return layout;
}

function dot(ctx: Ctx, x: number, y: number, r: number): void {
  ctx.beginPath();
  ctx.arc(x, y, r, 0, Math.PI * 2);
  ctx.fill();
}

export interface ChartPictureInput {
  title: string;
  subtitle: string;
  chart: ChartSpec;
  /** muted lines under the chart */
  notes?: string[];
  width?: number;
  /** height of the chart area (default 640) */
  chartHeight?: number;
}

/** Lines of notes wrapped to the picture width. */
export function wrapNotes(notes: readonly string[], width: number): string[] {
  const ctx = measuringContext();
  setFont(ctx, TYPE.small);
  // notes may quote the user's text: characters the font lacks are spelled as U+XXXX
  return notes.flatMap((n) => wrapText(ctx, spellMissingGlyphs(n), width).map((line) => line.trim()));
}

export const NOTE_LINE = TYPE.small + 10;

/** One chart with the usual header and optional notes below. */
export async function renderChart(input: ChartPictureInput): Promise<Buffer> {
  const width = input.width ?? 1400;
  const m = SPACE.margin;
  const chartHeight = input.chartHeight ?? 640;
  const notes = wrapNotes(input.notes ?? [], width - 2 * m);
  const height = HEADER_HEIGHT + chartHeight + (notes.length ? 16 + notes.length * NOTE_LINE : 0) + m;
  const picture = createPicture(width, height);
  const { ctx } = picture;
  drawHeader(ctx, { title: input.title, subtitle: input.subtitle }, picture.width);
  drawChart(ctx, input.chart, { left: m, top: HEADER_HEIGHT, width: width - 2 * m, height: chartHeight });
  notes.forEach((line, i) => drawNote(ctx, line, m, HEADER_HEIGHT + chartHeight + 16 + (i + 0.5) * NOTE_LINE, width - 2 * m));
  return toPng(picture);
}
