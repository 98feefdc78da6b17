/**
 * The loss curve: train and validation loss against the training step, the learning-rate
 * schedule on a second y axis (right), tokens seen under the step numbers, and the best
 * validation point marked. Works from one point to many thousands; when the total number
 * of steps is known the x axis spans all of it, so a live-updating picture does not jump.
 */
import { COLORS, SPACE, TYPE } from "./theme.ts";
import { labelsFor, type Lang } from "./lang.ts";
import { niceScale } from "./axis.ts";
import { formatCompact, formatInt, formatLearningRate, formatLoss, formatTick } from "./format.ts";
import { createPicture, drawHeader, drawNote, HEADER_HEIGHT, renderNothingToShow, toPng } from "./picture.ts";
import { drawText, fitText, setFont, textWidth, type Ctx } from "./text.ts";

export interface LossPoint {
  step: number;
  trainLoss: number;
  /** validation loss, only at the steps where it was evaluated */
  valLoss?: number | null;
  /** learning rate used at this step */
  lr?: number;
  /** tokens seen so far */
  tokens?: number;
}

export interface LossCurveInput {
  points: LossPoint[];
  /** planned length of the run: fixes the x range */
  totalSteps?: number;
  /**
   * the checkpoint kept from this run (its step and the val loss its card shows): marked instead
   * of the lowest validation point, which may be a noisier estimate at another step
   */
  kept?: { step: number; valLoss: number };
  modelName: string;
  lang: Lang;
}

const LABELS = {
  en: {
    title: "Training loss",
    step: "step",
    tokens: "tokens seen",
    loss: "loss (lower is better)",
    train: "train loss",
    val: "validation loss",
    lr: "learning rate",
    best: (loss: string, step: string) => `best validation ${loss} (step ${step})`,
    kept: (loss: string, step: string) => `kept: validation ${loss} (step ${step})`,
    progress: (step: string, total: string) => `step ${step} of ${total}`,
    stepOnly: (step: string) => `step ${step}`,
    latest: (loss: string) => `train ${loss}`,
    now: "now",
    skipped: (n: number) => `${formatInt(n)} points with a non-finite loss are not drawn.`,
    estimates: (loss: string, step: string, kept: string) =>
      `Validation points are estimates on a few random batches (lowest ${loss}, step ${step}); the kept model's ${kept} is measured on all the held-out text.`,
    empty: "No training steps yet: start training to see the loss fall.",
  },
  ja: {
    title: "学習の損失（ロス）",
    step: "ステップ",
    tokens: "学習したトークン数",
    loss: "損失（低いほど良い）",
    train: "学習損失",
    val: "検証損失",
    lr: "学習率",
    best: (loss: string, step: string) => `検証損失の最小 ${loss}（ステップ ${step}）`,
    kept: (loss: string, step: string) => `残したモデル: 検証損失 ${loss}（ステップ ${step}）`,
    progress: (step: string, total: string) => `ステップ ${step} / ${total}`,
    stepOnly: (step: string) => `ステップ ${step}`,
    latest: (loss: string) => `学習損失 ${loss}`,
    now: "現在",
    skipped: (n: number) => `損失が有限でない${formatInt(n)}点は描いていません。`,
    estimates: (loss: string, step: string, kept: string) =>
      `検証損失の点は少数のランダムなバッチでの見積もり（最小 ${loss}、ステップ ${step}）。残したモデルの ${kept} は検証用の文章全体で測った値です。`,
    empty: "まだ学習していません。学習を始めると損失が下がる様子が見られます。",
  },
};

const WIDTH = 1400;
const HEIGHT = 860;

export interface LossCurveLayout {
  width: number;
  height: number;
  plot: { left: number; top: number; width: number; height: number };
  xMax: number;
  yLo: number;
  yHi: number;
  /** top of the learning-rate axis; 0 when no point has a learning rate */
  lrMax: number;
  xTicks: number[];
  yTicks: number[];
  yTickStep: number;
  lrTicks: number[];
  hasTokens: boolean;
  /** pixel x of a step */
  xOf(step: number): number;
  /** pixel y of a loss */
  yOf(loss: number): number;
  /** pixel y of a learning rate on the right axis */
  yLrOf(lr: number): number;
}

const finite = (x: number | null | undefined): x is number => typeof x === "number" && Number.isFinite(x);

/** The axes and the pixel mapping (exported so tests can check where lines fall). */
/**
 * The validation point the picture rings: the kept checkpoint when the input names one (with the
 * loss its card shows), else the lowest validation loss (a live run: what is kept so far).
 */
export function markedValidation(input: LossCurveInput): { step: number; valLoss: number; kind: "kept" | "best" } | null {
  if (input.kept && finite(input.kept.step) && finite(input.kept.valLoss)) return { ...input.kept, kind: "kept" };
  const valPoints = input.points.filter((p) => finite(p.step) && finite(p.valLoss)) as (LossPoint & { valLoss: number })[];
  if (valPoints.length === 0) return null;
  const best = valPoints.reduce((a, b) => (b.valLoss < a.valLoss ? b : a));
  return { step: best.step, valLoss: best.valLoss, kind: "best" };
}

/**
 * The lowest validation estimate on the curve when it lies below the kept checkpoint's figure at
 * another step (the picture then says why the kept one was kept), else null.
 */
export function lowerEstimateThanKept(input: LossCurveInput): { step: number; valLoss: number } | null {
  const kept = input.kept;
  if (!kept || !finite(kept.valLoss)) return null;
  const lower = input.points.filter((p) => finite(p.valLoss) && p.step !== kept.step && p.valLoss! < kept.valLoss);
  if (lower.length === 0) return null;
  const lowest = lower.reduce((a, b) => (b.valLoss! < a.valLoss! ? b : a));
  return { step: lowest.step, valLoss: lowest.valLoss! };
}

export function lossCurveLayout(input: LossCurveInput): LossCurveLayout {
  const points = input.points.filter((p) => finite(p.step));
  const m = SPACE.margin;
  const hasLr = points.some((p) => finite(p.lr));
  const hasTokens = points.some((p) => finite(p.tokens));
  const maxStep = Math.max(0, ...points.map((p) => p.step));

  // x: the planned run if known (stable while training), else a nice range over the data
  const xScale = niceScale(0, Math.max(1, maxStep), 7);
  const xMax = input.totalSteps && input.totalSteps >= maxStep ? input.totalSteps : xScale.hi;
  const xTicks = niceScale(0, xMax, 7).ticks.filter((t) => t <= xMax + 1e-9);

  const losses: number[] = [];
  for (const p of points) {
    if (finite(p.trainLoss)) losses.push(p.trainLoss);
    if (finite(p.valLoss)) losses.push(p.valLoss);
  }
  if (input.kept && finite(input.kept.valLoss)) losses.push(input.kept.valLoss);
  const yScale = niceScale(Math.min(...losses), Math.max(...losses), 6);
  const lrMax = hasLr ? niceScale(0, Math.max(...points.map((p) => (finite(p.lr) ? p.lr : 0))), 5).hi : 0;
  const lrTicks = hasLr ? niceScale(0, lrMax, 5).ticks : [];

  const left = m + 100;
  const right = WIDTH - m - (hasLr ? 110 : 20);
  const top = HEADER_HEIGHT + 56;
  const bottom = HEIGHT - m - (hasTokens ? 100 : 64);
  const plot = { left, top, width: right - left, height: bottom - top };
  return {
    width: WIDTH,
    height: HEIGHT,
    plot,
    xMax,
    yLo: yScale.lo,
    yHi: yScale.hi,
    lrMax,
    xTicks,
    yTicks: yScale.ticks,
    yTickStep: yScale.step,
    lrTicks,
    hasTokens,
    xOf: (step) => left + (step / xMax) * plot.width,
    yOf: (loss) => bottom - ((loss - yScale.lo) / (yScale.hi - yScale.lo)) * plot.height,
    yLrOf: (lr) => bottom - (lrMax > 0 ? lr / lrMax : 0) * plot.height,
  };
}

/** Tokens seen at `step`, interpolated between points that report it (extrapolated after). */
function tokensAt(points: LossPoint[], step: number): number | null {
  const known = points.filter((p) => finite(p.tokens)) as (LossPoint & { tokens: number })[];
  if (known.length === 0) return null;
  if (step <= 0) return 0;
  for (let i = 0; i < known.length; i++) {
    const b = known[i];
    if (b.step >= step) {
      const a = i > 0 ? known[i - 1] : { step: 0, tokens: 0 };
      return b.step === a.step ? b.tokens : a.tokens + ((b.tokens - a.tokens) * (step - a.step)) / (b.step - a.step);
    }
  }
  const last = known[known.length - 1];
  return last.step > 0 ? (last.tokens / last.step) * step : last.tokens;
}

/** Centred moving average, for the readable line through a noisy train loss. */
function smooth(values: number[], window: number): number[] {
  const half = Math.floor(window / 2);
  const prefix = [0];
  for (const v of values) prefix.push(prefix[prefix.length - 1] + v);
  return values.map((_, i) => {
    const a = Math.max(0, i - half);
    const b = Math.min(values.length, i + half + 1);
    return (prefix[b] - prefix[a]) / (b - a);
  });
}

/** Raw points beyond which the train loss is drawn faint with a smoothed line on top. */
export const SMOOTH_ABOVE = 400;

export async function renderLossCurve(input: LossCurveInput): Promise<Buffer> {
  const text = labelsFor(LABELS, input.lang);
  const points = [...input.points].filter((p) => finite(p.step)).sort((a, b) => a.step - b.step);
  const trainPoints = points.filter((p) => finite(p.trainLoss));
  const valPoints = points.filter((p) => finite(p.valLoss)) as (LossPoint & { valLoss: number })[];
  const last = trainPoints[trainPoints.length - 1];
  const stepText = last ? formatInt(last.step) : "0";
  const progress = input.totalSteps ? text.progress(stepText, formatInt(input.totalSteps)) : text.stepOnly(stepText);
  const header = {
    title: text.title,
    subtitle: [input.modelName, progress, ...(last ? [text.latest(formatLoss(last.trainLoss))] : [])].join(" · "),
  };
  if (trainPoints.length === 0 && valPoints.length === 0) return renderNothingToShow(header, text.empty);

  const layout = lossCurveLayout({ ...input, points });
  const picture = createPicture(layout.width, layout.height);
  const { ctx } = picture;
  drawHeader(ctx, header, picture.width);
  const { plot } = layout;
  const bottom = plot.top + plot.height;
  const right = plot.left + plot.width;

  drawAxes(ctx, layout, points, text, input.lang);

  // everything inside the plot is clipped to it
  ctx.save();
  ctx.beginPath();
  ctx.rect(plot.left - 6, plot.top - 6, plot.width + 12, plot.height + 12);
  ctx.clip();

  // 1. learning rate (behind the losses), dashed on the right axis
  const lrPoints = points.filter((p) => finite(p.lr)) as (LossPoint & { lr: number })[];
  if (lrPoints.length > 0) {
    ctx.strokeStyle = COLORS.tertiary;
    ctx.lineWidth = 2.5;
    ctx.setLineDash([10, 7]);
    polyline(
      ctx,
      lrPoints.map((p) => [layout.xOf(p.step), layout.yLrOf(p.lr)]),
    );
    ctx.setLineDash([]);
  }

  // 2. "now" marker when the run's length is known and it has not finished
  if (last && input.totalSteps && last.step < input.totalSteps) {
    const x = layout.xOf(last.step);
    ctx.strokeStyle = COLORS.axis;
    ctx.lineWidth = 1.5;
    ctx.setLineDash([4, 6]);
    polyline(ctx, [
      [x, plot.top],
      [x, bottom],
    ]);
    ctx.setLineDash([]);
    ctx.fillStyle = COLORS.textDim;
    setFont(ctx, TYPE.small);
    drawText(ctx, text.now, x + 8, plot.top + TYPE.small, "left");
  }

  // 3. validation loss: line and dots
  if (valPoints.length > 0) {
    ctx.strokeStyle = COLORS.secondary;
    ctx.lineWidth = 3;
    polyline(
      ctx,
      valPoints.map((p) => [layout.xOf(p.step), layout.yOf(p.valLoss)]),
    );
    ctx.fillStyle = COLORS.secondary;
    if (valPoints.length <= 200) for (const p of valPoints) dot(ctx, layout.xOf(p.step), layout.yOf(p.valLoss), 5);
  }

  // 4. train loss on top: raw when it is readable, faint raw + smoothed when dense
  const trainXY = trainPoints.map((p) => [layout.xOf(p.step), layout.yOf(p.trainLoss)] as [number, number]);
  ctx.strokeStyle = COLORS.primary;
  if (trainPoints.length <= SMOOTH_ABOVE) {
    ctx.lineWidth = 3;
    polyline(ctx, trainXY);
    ctx.fillStyle = COLORS.primary;
    if (trainPoints.length <= 30) for (const [x, y] of trainXY) dot(ctx, x, y, trainPoints.length <= 3 ? 7 : 4.5);
  } else {
    ctx.globalAlpha = 0.3;
    ctx.lineWidth = 1.5;
    polyline(ctx, trainXY);
    ctx.globalAlpha = 1;
    ctx.lineWidth = 3;
    const smoothed = smooth(
      trainPoints.map((p) => p.trainLoss),
      Math.max(5, Math.round(trainPoints.length / 60)) | 1,
    );
    polyline(
      ctx,
      trainPoints.map((p, i) => [layout.xOf(p.step), layout.yOf(smoothed[i])]),
    );
  }
  ctx.restore();

  // 5. the kept checkpoint (else the best validation point): ring and label kept inside the plot
  const marked = markedValidation(input);
  if (marked !== null) {
    const x = layout.xOf(marked.step);
    const y = layout.yOf(marked.valLoss);
    ctx.strokeStyle = COLORS.accent;
    ctx.lineWidth = 3;
    ctx.beginPath();
    ctx.arc(x, y, 11, 0, Math.PI * 2);
    ctx.stroke();
    setFont(ctx, TYPE.label, "bold");
    const label = (marked.kind === "kept" ? text.kept : text.best)(formatLoss(marked.valLoss), formatInt(marked.step));
    const w = textWidth(ctx, label);
    const labelX = Math.max(plot.left + 8, Math.min(x - w / 2, right - w - 8));
    const labelY = y + 40 < bottom - 10 ? y + 34 : y - 34;
    ctx.fillStyle = COLORS.background;
    ctx.globalAlpha = 0.8;
    ctx.fillRect(labelX - 6, labelY - TYPE.label / 2 - 4, w + 12, TYPE.label + 8);
    ctx.globalAlpha = 1;
    ctx.fillStyle = COLORS.accent;
    drawText(ctx, label, labelX, labelY);
  }

  drawLegend(ctx, layout, text, valPoints.length > 0, lrPoints.length > 0);
  const skipped = points.length - trainPoints.length;
  const lower = lowerEstimateThanKept(input);
  const notes = [
    ...(skipped > 0 ? [text.skipped(skipped)] : []),
    ...(lower && input.kept ? [text.estimates(formatLoss(lower.valLoss), formatInt(lower.step), formatLoss(input.kept.valLoss))] : []),
  ];
  if (notes.length > 0) drawNote(ctx, notes.join(" "), SPACE.margin, picture.height - SPACE.margin / 2, picture.width - 2 * SPACE.margin);
  return toPng(picture);
}

type Labels = (typeof LABELS)["en"];

function polyline(ctx: Ctx, xy: [number, number][]): void {
  if (xy.length === 0) return;
  ctx.beginPath();
  ctx.moveTo(xy[0][0], xy[0][1]);
  for (let i = 1; i < xy.length; i++) ctx.lineTo(xy[i][0], xy[i][1]);
  ctx.stroke();
}

function dot(ctx: Ctx, x: number, y: number, r: number): void {
  ctx.beginPath();
  ctx.arc(x, y, r, 0, Math.PI * 2);
  ctx.fill();
}

/** Grid, ticks and axis titles: loss left, learning rate right, steps (and tokens) below. */
function drawAxes(ctx: Ctx, layout: LossCurveLayout, points: LossPoint[], text: Labels, lang: Lang): void {
  const { plot } = layout;
  const bottom = plot.top + plot.height;
  const right = plot.left + plot.width;
  ctx.lineWidth = 1;
  ctx.strokeStyle = COLORS.gridLine;
  setFont(ctx, TYPE.small);

  // y: losses
  ctx.fillStyle = COLORS.textMuted;
  for (const t of layout.yTicks) {
    const y = Math.round(layout.yOf(t)) + 0.5;
    polyline(ctx, [
      [plot.left, y],
      [right, y],
    ]);
    drawText(ctx, formatTick(t, layout.yTickStep), plot.left - 12, y, "right");
  }
  // x: steps, with tokens seen underneath
  const xStep = layout.xTicks.length > 1 ? layout.xTicks[1] - layout.xTicks[0] : 1;
  for (const t of layout.xTicks) {
    const x = Math.round(layout.xOf(t)) + 0.5;
    polyline(ctx, [
      [x, plot.top],
      [x, bottom],
    ]);
    ctx.fillStyle = COLORS.textMuted;
    drawText(ctx, xStep >= 1 ? formatInt(t) : formatTick(t, xStep), x, bottom + 20, "center");
    const tokens = layout.hasTokens ? tokensAt(points, t) : null;
    if (tokens !== null) {
      ctx.fillStyle = COLORS.textDim;
      drawText(ctx, formatCompact(tokens, lang), x, bottom + 46, "center");
    }
  }
  ctx.strokeStyle = COLORS.axis;
  polyline(ctx, [
    [plot.left, plot.top],
    [plot.left, bottom],
    [right, bottom],
  ]);

  // axis titles
  ctx.fillStyle = COLORS.textMuted;
  setFont(ctx, TYPE.label);
  const xTitle = layout.hasTokens ? `${text.step}  /  ${text.tokens}` : text.step;
  drawText(ctx, xTitle, plot.left + plot.width / 2, bottom + (layout.hasTokens ? 80 : 52), "center");
  ctx.save();
  ctx.translate(SPACE.margin + TYPE.label / 2, plot.top + plot.height / 2);
  ctx.rotate(-Math.PI / 2);
  drawText(ctx, fitText(ctx, text.loss, plot.height), 0, 0, "center");
  ctx.restore();

  // right: learning rate
  if (layout.lrMax > 0) {
    ctx.strokeStyle = COLORS.tertiary;
    polyline(ctx, [
      [right, plot.top],
      [right, bottom],
    ]);
    setFont(ctx, TYPE.small);
    ctx.fillStyle = COLORS.tertiary;
    for (const t of layout.lrTicks) drawText(ctx, formatLearningRate(t), right + 10, layout.yLrOf(t), "left");
    setFont(ctx, TYPE.label);
    ctx.save();
    ctx.translate(layout.width - SPACE.margin - TYPE.label / 2, plot.top + plot.height / 2);
    ctx.rotate(Math.PI / 2);
    drawText(ctx, text.lr, 0, 0, "center");
    ctx.restore();
  }
}

/** One row above the plot: a line sample and a name per series. */
function drawLegend(ctx: Ctx, layout: LossCurveLayout, text: Labels, hasVal: boolean, hasLr: boolean): void {
  const y = layout.plot.top - 30;
  let x = layout.plot.left;
  setFont(ctx, TYPE.label);
  const item = (color: string, label: string, dashed: boolean) => {
    ctx.strokeStyle = color;
    ctx.lineWidth = 3;
    ctx.setLineDash(dashed ? [10, 7] : []);
    polyline(ctx, [
      [x, y],
      [x + 40, y],
    ]);
    ctx.setLineDash([]);
    ctx.fillStyle = COLORS.text;
    drawText(ctx, label, x + 50, y);
    x += 50 + textWidth(ctx, label) + 36;
  };
  item(COLORS.primary, text.train, false);
  if (hasVal) item(COLORS.secondary, text.val, false);
  if (hasLr) item(COLORS.tertiary, text.lr, true);
}
