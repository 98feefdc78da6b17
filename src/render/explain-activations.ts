/**
 * Activation functions: the curves (e.g. the model's GELU and, for comparison, the sigmoid)
 * and the real numbers one MLP of the model just put through its activation, as dots on the
 * curve plus a histogram strip of where they fall.
 */
import { COLORS, SPACE, TYPE } from "./theme.ts";
import { createPicture, drawHeader, drawNote, fillRoundRect, HEADER_HEIGHT, toPng } from "./picture.ts";
import { drawChart, NOTE_LINE, wrapNotes, type ChartSeries } from "./explain-chart.ts";
import { drawText, setFont } from "./text.ts";

export interface ActivationCurve {
  label: string;
  /** [x, f(x)] in increasing x */
  points: [number, number][];
  /** the curve the model uses: drawn bold in the main colour */
  main?: boolean;
}

export interface ActivationsInput {
  title: string;
  subtitle: string;
  curves: ActivationCurve[];
  /** real inputs and outputs of the activation inside the model */
  samples: { x: ArrayLike<number>; y: ArrayLike<number>; label: string };
  xLabel: string;
  yLabel: string;
  histogramLabel: string;
  /** x range drawn (samples outside are counted at the edges of the histogram) */
  xRange: [number, number];
  notes?: string[];
}

const WIDTH = 1400;
const CHART_HEIGHT = 620;
const STRIP_HEIGHT = 150;
const BINS = 48;

/** Counts of samples per bin over xRange (values beyond go to the first/last bin). */
export function histogram(values: ArrayLike<number>, range: [number, number], bins = BINS): number[] {
  const counts = new Array<number>(bins).fill(0);
  const [lo, hi] = range;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    const b = Math.min(bins - 1, Math.max(0, Math.floor(((v - lo) / (hi - lo)) * bins)));
    counts[b]++;
  }
  return counts;
}

export async function renderActivations(input: ActivationsInput): Promise<Buffer> {
  const m = SPACE.margin;
  const notes = wrapNotes(input.notes ?? [], WIDTH - 2 * m);
  const height = HEADER_HEIGHT + CHART_HEIGHT + STRIP_HEIGHT + 30 + (notes.length ? 12 + notes.length * NOTE_LINE : 0) + m;
  const picture = createPicture(WIDTH, height);
  const { ctx } = picture;
  drawHeader(ctx, { title: input.title, subtitle: input.subtitle }, WIDTH);

  const [lo, hi] = input.xRange;
  const palette = [COLORS.tertiary, COLORS.secondary, COLORS.textMuted];
  let other = 0;
  const series: ChartSeries[] = input.curves.map((c) => ({
    label: c.label,
    color: c.main ? COLORS.primary : palette[other++ % palette.length],
    points: c.points.filter(([x]) => x >= lo && x <= hi),
    width: c.main ? 4 : 3,
    dashed: !c.main,
  }));
  const samplePoints: [number, number][] = [];
  const n = Math.min(input.samples.x.length, input.samples.y.length);
  const stride = Math.max(1, Math.ceil(n / 3000));
  for (let i = 0; i < n; i += stride) {
    const x = input.samples.x[i];
    if (x >= lo && x <= hi) samplePoints.push([x, input.samples.y[i]]);
  }
  series.push({ label: input.samples.label, color: COLORS.accent, points: samplePoints, line: false, dots: 4 });
  const yValues = series.flatMap((s) => s.points.map((p) => p[1]));
  const layout = drawChart(
    ctx,
    {
      x: { label: input.xLabel, min: lo, max: hi },
      y: { label: input.yLabel, min: Math.min(-0.5, Math.floor(Math.min(...yValues))), max: Math.max(1, Math.ceil(Math.max(...yValues))) },
      series,
      xLines: [{ value: 0 }],
      yLines: [{ value: 0 }],
    },
    { left: m, top: HEADER_HEIGHT, width: WIDTH - 2 * m, height: CHART_HEIGHT },
  );

  // the histogram strip, on the same x axis as the chart
  const top = HEADER_HEIGHT + CHART_HEIGHT + 20;
  const { plot } = layout;
  fillRoundRect(ctx, plot.left, top, plot.width, STRIP_HEIGHT, 4, COLORS.panel);
  const counts = histogram(input.samples.x, input.xRange);
  const max = Math.max(1, ...counts);
  const binWidth = plot.width / counts.length;
  ctx.fillStyle = COLORS.accent;
  counts.forEach((c, i) => {
    const h = (c / max) * (STRIP_HEIGHT - 40);
    ctx.fillRect(plot.left + i * binWidth + 1, top + STRIP_HEIGHT - 8 - h, Math.max(1, binWidth - 2), h);
  });
  const zeroX = layout.xOf(0);
  ctx.strokeStyle = COLORS.axis;
  ctx.lineWidth = 2;
  ctx.setLineDash([6, 6]);
  ctx.beginPath();
  ctx.moveTo(zeroX, top);
  ctx.lineTo(zeroX, top + STRIP_HEIGHT);
  ctx.stroke();
  ctx.setLineDash([]);
  ctx.fillStyle = COLORS.textMuted;
  setFont(ctx, TYPE.small);
  drawText(ctx, input.histogramLabel, plot.left + 12, top + 18);

  notes.forEach((line, i) => drawNote(ctx, line, m, top + STRIP_HEIGHT + 12 + (i + 0.5) * NOTE_LINE + 10, WIDTH - 2 * m));
  return toPng(picture);
}
