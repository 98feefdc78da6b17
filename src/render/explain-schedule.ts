/**
 * A learning-rate schedule: the rate planned for every step (warmup, then cosine decay), the
 * rates a run actually recorded as dots on top, and where warmup ended and the run stopped.
 */
import { COLORS } from "./theme.ts";
import { formatInt, formatLearningRate } from "./format.ts";
import { renderChart, type ChartLine } from "./explain-chart.ts";

export interface ScheduleInput {
  title: string;
  subtitle: string;
  xLabel: string;
  yLabel: string;
  /** [step, learning rate] over the whole planned run */
  schedule: [number, number][];
  scheduleLabel: string;
  /** rates recorded during training, if any */
  recorded?: [number, number][];
  recordedLabel?: string;
  /** vertical lines, e.g. end of warmup, the last step trained */
  marks?: { step: number; label: string }[];
  notes?: string[];
}

/** Recorded rates drawn at most this many (evenly picked, last included): the line stays visible. */
const MAX_DOTS = 80;

function thin<T>(points: T[], max: number): T[] {
  if (points.length <= max) return points;
  const stride = Math.ceil(points.length / max);
  return points.filter((_, i) => i % stride === 0 || i === points.length - 1);
}

export function renderSchedule(input: ScheduleInput): Promise<Buffer> {
  const maxLr = Math.max(...input.schedule.map((p) => p[1]), ...(input.recorded ?? []).map((p) => p[1]));
  const maxStep = Math.max(1, ...input.schedule.map((p) => p[0]));
  const xLines: ChartLine[] = (input.marks ?? []).map((mark, i) => ({
    value: mark.step,
    label: mark.label,
    color: i === 0 ? COLORS.textMuted : COLORS.accent,
  }));
  return renderChart({
    title: input.title,
    subtitle: input.subtitle,
    chartHeight: 560,
    chart: {
      x: { label: input.xLabel, min: 0, max: maxStep, format: formatInt },
      y: { label: input.yLabel, min: 0, max: maxLr * 1.1, format: formatLearningRate },
      series: [
        { label: input.scheduleLabel, color: COLORS.tertiary, points: input.schedule, width: 4 },
        ...(input.recorded && input.recorded.length > 0
          ? [{ label: input.recordedLabel, color: COLORS.primary, points: thin(input.recorded, MAX_DOTS), line: false, dots: 3.5 }]
          : []),
      ],
      xLines,
    },
    notes: input.notes,
  });
}
