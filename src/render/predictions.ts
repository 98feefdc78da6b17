/**
 * Next-token prediction: "what comes after this context?" as horizontal bars, one per
 * candidate, sorted by probability. Bars are drawn on a fixed 0–100% scale (a faint track
 * shows the full 100%), so bar length is proportional to probability and comparable
 * between pictures. The chosen token (or the most likely one) is highlighted.
 */
import { COLORS, SPACE, TYPE } from "./theme.ts";
import { labelsFor, type Lang } from "./lang.ts";
import { drawPieceLegend, LEGEND_LINE_HEIGHT, pieceLegendLines } from "./piece-legend.ts";
import { formatInt, formatPercent } from "./format.ts";
import {
  createPicture,
  drawHeader,
  drawNote,
  fillRoundRect,
  HEADER_HEIGHT,
  measuringContext,
  renderNothingToShow,
  toPng,
} from "./picture.ts";
import { drawText, fitText, setFont, textWidth, visibleText, visibleToken, wrapTextEnd, type Ctx } from "./text.ts";

export interface Candidate {
  /** the token's text as the tokenizer decodes it */
  token: string;
  /** probability after temperature, 0..1 */
  prob: number;
}

export interface PredictionsInput {
  context: string;
  candidates: Candidate[];
  temperature: number;
  /** index into `candidates` of the sampled token; without it the most likely is highlighted */
  chosenIndex?: number;
  modelName: string;
  lang: Lang;
}

const LABELS = {
  en: {
    title: "Next-token prediction",
    subtitle: (model: string, t: number) => `${model} · temperature ${t} (lower = safer, higher = more surprising)`,
    context: "Context",
    next: "What comes next? The model's probability for each candidate token:",
    chosen: "chosen",
    top: "most likely",
    chosenLegend: "Highlighted: the token that was sampled.",
    topLegend: "Highlighted: the most likely token.",
    rest: (n: number, p: string) => `…and ${formatInt(n)} more candidates (${p} together)`,
    others: (p: string) => `All other tokens of the vocabulary: ${p} together.`,
    empty: "No candidates to show.",
  },
  ja: {
    title: "次のトークンの予測",
    subtitle: (model: string, t: number) => `${model} · 温度 ${t}（低いほど無難、高いほど意外）`,
    context: "文脈",
    next: "次に来るのは？ 候補トークンごとのモデルの確率:",
    chosen: "選択",
    top: "最有力",
    chosenLegend: "強調表示: サンプリングで選ばれたトークン",
    topLegend: "強調表示: 最も確率の高いトークン",
    rest: (n: number, p: string) => `…ほか${formatInt(n)}個の候補（合計 ${p}）`,
    others: (p: string) => `語彙のそれ以外のトークン: 合計 ${p}`,
    empty: "表示する候補がありません。",
  },
};

/** Most rows drawn; the rest are summarised in one line. */
export const MAX_PREDICTION_ROWS = 20;
const WIDTH = 1200;
const ROW_HEIGHT = 54;
const CHIP_MAX_WIDTH = 280;
const PERCENT_WIDTH = 110;
const CONTEXT_LINES = 3;

export interface PredictionRow {
  /** index into the input's candidates */
  inputIndex: number;
  /** 1 = most likely */
  rank: number;
  label: string;
  prob: number;
  /** vertical centre of the row */
  y: number;
  highlighted: boolean;
}

export interface PredictionsLayout {
  width: number;
  height: number;
  contextLines: string[];
  rows: PredictionRow[];
  /** where every bar starts, and the length of a 100% bar */
  barX: number;
  barMaxWidth: number;
  chipX: number;
  chipWidth: number;
  highlightedIndex: number;
  hiddenCount: number;
  hiddenProb: number;
  /** probability mass of the vocabulary not among the candidates */
  otherProb: number;
  footerY: number;
  /** the piece legend (猫 1/3, <e7>…), wrapped; empty when no label holds part of a character */
  legendLines: string[];
}

/** Pixel length of the bar for probability p. */
export function barLength(layout: PredictionsLayout, prob: number): number {
  return Math.max(0, Math.min(1, prob)) * layout.barMaxWidth;
}

function validate(input: PredictionsInput): void {
  input.candidates.forEach((c, i) => {
    if (!Number.isFinite(c.prob) || c.prob < 0 || c.prob > 1 + 1e-6) {
      throw new RangeError(`candidate ${i} (${JSON.stringify(c.token)}) has probability ${c.prob}, expected 0..1`);
    }
  });
  const { chosenIndex } = input;
  if (chosenIndex !== undefined && (!Number.isInteger(chosenIndex) || chosenIndex < 0 || chosenIndex >= input.candidates.length)) {
    throw new RangeError(`chosenIndex is ${chosenIndex}, there are ${input.candidates.length} candidates`);
  }
}

/** Where every row and bar goes (exported so tests can measure bars). */
export function predictionsLayout(input: PredictionsInput): PredictionsLayout {
  validate(input);
  const m = SPACE.margin;
  const ctx = measuringContext();
  const order = input.candidates.map((c, i) => ({ c, i })).sort((a, b) => b.c.prob - a.c.prob || a.i - b.i);
  const highlightedIndex = input.chosenIndex ?? order[0].i;
  // the highlighted candidate always gets a row, even if it ranks below the cut
  let shown = order.slice(0, MAX_PREDICTION_ROWS);
  if (!shown.some((o) => o.i === highlightedIndex)) {
    shown = [...shown.slice(0, MAX_PREDICTION_ROWS - 1), order.find((o) => o.i === highlightedIndex)!];
  }
  const hidden = order.filter((o) => !shown.includes(o));
  const sum = input.candidates.reduce((s, c) => s + c.prob, 0);

  setFont(ctx, TYPE.body);
  const contextLines = wrapTextEnd(ctx, visibleText(input.context), WIDTH - 2 * m - 2 * 20, CONTEXT_LINES);
  setFont(ctx, TYPE.label);
  const labels = shown.map((o) => visibleToken(o.c.token));
  const chipWidth = Math.min(CHIP_MAX_WIDTH, Math.max(60, ...labels.map((l) => textWidth(ctx, l) + 28)));
  const chipX = m + 44;
  const barX = chipX + chipWidth + 20;
  const barMaxWidth = WIDTH - m - PERCENT_WIDTH - barX;

  const contextTop = HEADER_HEIGHT + TYPE.label + 12;
  const contextHeight = Math.max(1, contextLines.length) * (TYPE.body + 12) + 24;
  const rowsTop = contextTop + contextHeight + 28 + TYPE.label + 16;
  const rows: PredictionRow[] = shown.map((o, k) => ({
    inputIndex: o.i,
    rank: order.indexOf(o) + 1,
    label: labels[k],
    prob: o.c.prob,
    y: rowsTop + (k + 0.5) * ROW_HEIGHT,
    highlighted: o.i === highlightedIndex,
  }));
  const footerY = rowsTop + rows.length * ROW_HEIGHT + 16;
  const footerLines = 1 + (hidden.length > 0 ? 1 : 0) + (sum < 0.9995 ? 1 : 0);
  const legendLines = pieceLegendLines(
    ctx,
    shown.map((o) => o.c.token),
    input.lang,
    WIDTH - 2 * m,
  );
  return {
    width: WIDTH,
    height: footerY + footerLines * (TYPE.small + 12) + legendLines.length * LEGEND_LINE_HEIGHT + m,
    contextLines,
    rows,
    barX,
    barMaxWidth,
    chipX,
    chipWidth,
    highlightedIndex,
    hiddenCount: hidden.length,
    hiddenProb: hidden.reduce((s, o) => s + o.c.prob, 0),
    otherProb: Math.max(0, 1 - sum),
    footerY,
    legendLines,
  };
}

/** The highlighted token as an accent chip right after the context's last line, if it fits. */
function drawNextTokenAfterContext(ctx: Ctx, layout: PredictionsLayout, panelTop: number): void {
  const row = layout.rows.find((r) => r.highlighted);
  const lines = layout.contextLines;
  if (!row || lines.length === 0) return;
  const last = lines[lines.length - 1];
  setFont(ctx, TYPE.body);
  // a context ending in a newline continues on the next line, which the panel lacks
  if (last.endsWith("↵")) return;
  const x = SPACE.margin + 20 + textWidth(ctx, last) + 4;
  const chipWidth = textWidth(ctx, row.label) + 12;
  if (x + chipWidth > layout.width - SPACE.margin - 12) return;
  const centreY = panelTop + 12 + (lines.length - 0.5) * (TYPE.body + 12);
  fillRoundRect(ctx, x, centreY - (TYPE.body + 8) / 2, chipWidth, TYPE.body + 8, 5, COLORS.accent);
  ctx.fillStyle = COLORS.accentText;
  drawText(ctx, row.label, x + 6, centreY);
}

/** The probability bars for the next token after `context`. */
export async function renderPredictions(input: PredictionsInput): Promise<Buffer> {
  const text = labelsFor(LABELS, input.lang);
  const header = { title: text.title, subtitle: text.subtitle(input.modelName, input.temperature) };
  if (input.candidates.length === 0) return renderNothingToShow(header, text.empty);
  const layout = predictionsLayout(input);
  const picture = createPicture(layout.width, layout.height);
  const { ctx } = picture;
  const m = SPACE.margin;
  const contentWidth = picture.width - 2 * m;
  drawHeader(ctx, header, picture.width);

  // 1. the context, most recent part
  let y = HEADER_HEIGHT;
  ctx.fillStyle = COLORS.textMuted;
  setFont(ctx, TYPE.label, "bold");
  drawText(ctx, text.context, m, y + TYPE.label / 2);
  y += TYPE.label + 12;
  const contextHeight = Math.max(1, layout.contextLines.length) * (TYPE.body + 12) + 24;
  fillRoundRect(ctx, m, y, contentWidth, contextHeight, SPACE.radius, COLORS.panel);
  ctx.fillStyle = COLORS.text;
  setFont(ctx, TYPE.body);
  layout.contextLines.forEach((line, i) => drawText(ctx, line, m + 20, y + 12 + (i + 0.5) * (TYPE.body + 12)));
  drawNextTokenAfterContext(ctx, layout, y);
  y += contextHeight + 28;
  ctx.fillStyle = COLORS.textMuted;
  setFont(ctx, TYPE.label);
  drawText(ctx, fitText(ctx, text.next, contentWidth), m, y + TYPE.label / 2);

  // 2. one row per candidate: rank, token chip, bar on its 100% track, percent
  layout.rows.forEach((row) => {
    const accent = row.highlighted;
    const barHeight = 30;
    setFont(ctx, TYPE.small);
    ctx.fillStyle = accent ? COLORS.accent : COLORS.textDim;
    drawText(ctx, String(row.rank), m + 30, row.y, "right");

    const chipHeight = 40;
    fillRoundRect(ctx, layout.chipX, row.y - chipHeight / 2, layout.chipWidth, chipHeight, 6, accent ? COLORS.accent : COLORS.panel);
    ctx.fillStyle = accent ? COLORS.accentText : COLORS.text;
    setFont(ctx, TYPE.label, accent ? "bold" : "normal");
    drawText(ctx, fitText(ctx, row.label, layout.chipWidth - 20), layout.chipX + 14, row.y);

    ctx.fillStyle = COLORS.track;
    ctx.fillRect(layout.barX, row.y - barHeight / 2, layout.barMaxWidth, barHeight);
    ctx.fillStyle = accent ? COLORS.accent : COLORS.primary;
    ctx.fillRect(layout.barX, row.y - barHeight / 2, barLength(layout, row.prob), barHeight);

    ctx.fillStyle = accent ? COLORS.accent : COLORS.text;
    setFont(ctx, TYPE.label, accent ? "bold" : "normal");
    drawText(ctx, formatPercent(row.prob), picture.width - m, row.y, "right");
  });

  // 3. what the highlight means, and the probability not drawn
  let footerY = layout.footerY + TYPE.small / 2;
  if (layout.hiddenCount > 0) {
    drawNote(ctx, text.rest(layout.hiddenCount, formatPercent(layout.hiddenProb)), m, footerY, contentWidth);
    footerY += TYPE.small + 12;
  }
  if (layout.otherProb > 0.0005) {
    drawNote(ctx, text.others(formatPercent(layout.otherProb)), m, footerY, contentWidth);
    footerY += TYPE.small + 12;
  }
  drawNote(ctx, input.chosenIndex === undefined ? text.topLegend : text.chosenLegend, m, footerY, contentWidth);
  drawPieceLegend(ctx, layout.legendLines, m, footerY + TYPE.small + 12, contentWidth);
  return toPng(picture);
}
