/**
 * Numerical differentiation vs back-propagation, two panels:
 *   left:  the loss as ONE weight moves (all others fixed), with the tangent whose slope is
 *          the back-propagated gradient: the derivative is the slope of this curve;
 *   right: how far the finite-difference estimates are from that slope, against the step h,
 *          both axes logarithmic: the error first shrinks with h, then grows again when h is
 *          so small that rounding in the computer's numbers swamps the difference.
 */
import { COLORS, SPACE } from "./theme.ts";
import { createPicture, drawHeader, drawNote, HEADER_HEIGHT, toPng } from "./picture.ts";
import { drawChart, NOTE_LINE, wrapNotes } from "./explain-chart.ts";

export interface DerivativeInput {
  title: string;
  subtitle: string;
  slice: {
    heading: string;
    xLabel: string;
    yLabel: string;
    /** [weight value, loss] */
    points: [number, number][];
    /** the weight's real value and the loss there */
    w0: number;
    loss0: number;
    /** the back-propagated derivative */
    slope: number;
    curveLabel: string;
    tangentLabel: string;
    pointLabel: string;
  };
  errors: {
    heading: string;
    xLabel: string;
    yLabel: string;
    /** [h, relative error] */
    forward: [number, number][];
    central: [number, number][];
    forwardLabel: string;
    centralLabel: string;
  };
  notes?: string[];
}

const WIDTH = 1560;
const PANEL_HEIGHT = 660;

/** Relative errors below this are drawn at this floor (a log axis has no 0). */
export const ERROR_FLOOR = 1e-7;

export async function renderDerivative(input: DerivativeInput): Promise<Buffer> {
  const m = SPACE.margin;
  const notes = wrapNotes(input.notes ?? [], WIDTH - 2 * m);
  const height = HEADER_HEIGHT + PANEL_HEIGHT + (notes.length ? 16 + notes.length * NOTE_LINE : 0) + m;
  const picture = createPicture(WIDTH, height);
  const { ctx } = picture;
  drawHeader(ctx, { title: input.title, subtitle: input.subtitle }, WIDTH);
  const panelWidth = (WIDTH - 2 * m - 50) / 2;

  // left: the loss along one weight, and the tangent
  const s = input.slice;
  const ws = s.points.map((p) => p[0]);
  const losses = s.points.map((p) => p[1]).filter(Number.isFinite);
  const lo = Math.min(...losses);
  const hi = Math.max(...losses);
  const pad = Math.max(1e-6, (hi - lo) * 0.15);
  const wMin = Math.min(...ws);
  const wMax = Math.max(...ws);
  drawChart(
    ctx,
    {
      heading: s.heading,
      x: { label: s.xLabel, min: wMin, max: wMax },
      y: { label: s.yLabel, min: lo - pad, max: hi + pad },
      series: [
        { label: s.curveLabel, color: COLORS.primary, points: s.points, dots: 3.5 },
        {
          label: s.tangentLabel,
          color: COLORS.accent,
          dashed: true,
          points: [
            [wMin, s.loss0 + s.slope * (wMin - s.w0)],
            [wMax, s.loss0 + s.slope * (wMax - s.w0)],
          ],
        },
      ],
      markers: [{ x: s.w0, y: s.loss0, color: COLORS.accent, label: s.pointLabel, radius: 8 }],
    },
    { left: m, top: HEADER_HEIGHT, width: panelWidth, height: PANEL_HEIGHT },
  );

  // right: error of the estimates against h, log–log
  const e = input.errors;
  const floor = ([h, err]: [number, number]): [number, number] => [h, Math.max(ERROR_FLOOR, err)];
  const hs = [...e.forward, ...e.central].map((p) => p[0]);
  const errs = [...e.forward, ...e.central].map((p) => Math.max(ERROR_FLOOR, p[1])).filter(Number.isFinite);
  drawChart(
    ctx,
    {
      heading: e.heading,
      x: {
        label: e.xLabel,
        log: true,
        min: 10 ** Math.floor(Math.log10(Math.min(...hs))),
        max: 10 ** Math.ceil(Math.log10(Math.max(...hs))),
      },
      y: { label: e.yLabel, log: true, min: ERROR_FLOOR, max: 10 ** Math.max(1, Math.ceil(Math.log10(Math.max(...errs)))) },
      series: [
        { label: e.forwardLabel, color: COLORS.secondary, points: e.forward.map(floor), dots: 5 },
        { label: e.centralLabel, color: COLORS.tertiary, points: e.central.map(floor), dots: 5 },
      ],
    },
    { left: m + panelWidth + 50, top: HEADER_HEIGHT, width: panelWidth, height: PANEL_HEIGHT },
  );

  notes.forEach((line, i) => drawNote(ctx, line, m, HEADER_HEIGHT + PANEL_HEIGHT + 16 + (i + 0.5) * NOTE_LINE, WIDTH - 2 * m));
  return toPng(picture);
}
