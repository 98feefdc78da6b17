/**
 * The generation trace: text is written one token at a time, each step choosing among the
 * model's candidates — like a phone keyboard's suggestion bar, repeated. Each row shows
 * the text so far (its end; the start is cut with "…"), then the top candidates as keys
 * with their probability as a small bar; the key that was chosen is highlighted.
 */
import { COLORS, MAX_HEIGHT, SPACE, TYPE } from "./theme.ts";
import { drawPieceLegend, LEGEND_LINE_HEIGHT, pieceLegendLines } from "./piece-legend.ts";
import { labelsFor, type Lang } from "./lang.ts";
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
import { drawText, fitText, fitTextStart, setFont, textWidth, visibleText, visibleToken, wrapTextEnd, type Ctx } from "./text.ts";
import type { Candidate } from "./predictions.ts";

export interface TraceStep {
  /** the text before this step's token */
  context: string;
  /** the model's top candidates at this step (any order) */
  candidates: Candidate[];
  /** the token that was picked */
  chosen: string;
}

export interface GenerationTraceInput {
  steps: TraceStep[];
  modelName: string;
  lang: Lang;
}

const LABELS = {
  en: {
    title: "How the text was written, token by token",
    subtitle: (model: string, n: number) => `${model} · ${formatInt(n)} steps · the highlighted key is the token that was picked`,
    textSoFar: "text so far",
    candidates: "the model's suggestions",
    truncated: (shown: number, total: number) => `Showing the first ${shown} of ${formatInt(total)} steps.`,
    outside: "picked outside the top suggestions",
    result: "Result",
    empty: "No generation steps to show.",
  },
  ja: {
    title: "文章が1トークンずつ書かれる様子",
    subtitle: (model: string, n: number) => `${model} · ${formatInt(n)}ステップ · 強調されたキーが選ばれたトークン`,
    textSoFar: "ここまでの文章",
    candidates: "モデルの候補",
    truncated: (shown: number, total: number) => `${formatInt(total)}ステップ中、最初の${shown}ステップを表示`,
    outside: "上位候補の外から選ばれました",
    result: "結果",
    empty: "表示する生成ステップがありません。",
  },
};

const WIDTH = 1500;
const STEP_NUMBER_WIDTH = 56;
const CONTEXT_WIDTH = 560;
const KEYS_PER_ROW = 5;
const KEY_GAP = 10;
const KEY_HEIGHT = 68;
const ROW_HEIGHT = 84;
const RESULT_LINES = 4;
/** Most rows drawn: a taller picture would be shrunk to illegibility in a chat. */
export const MAX_TRACE_ROWS = 20;

export interface TraceLayout {
  width: number;
  height: number;
  shownSteps: number;
  rowsTop: number;
  keysX: number;
  keyWidth: number;
  resultLines: string[];
  resultTop: number;
  /** the piece legend (猫 1/3, <e7>…), wrapped; empty when no shown label holds part of a character */
  legendLines: string[];
}

interface Key {
  label: string;
  prob: number | null;
  chosen: boolean;
}

/** The keys of one row: top candidates by probability, the chosen one always among them. */
function keysFor(step: TraceStep): Key[] {
  const sorted = [...step.candidates].sort((a, b) => b.prob - a.prob);
  const keys: Key[] = sorted
    .slice(0, KEYS_PER_ROW)
    .map((c) => ({ label: visibleToken(c.token), prob: c.prob, chosen: c.token === step.chosen }));
  if (!keys.some((k) => k.chosen)) {
    const match = sorted.find((c) => c.token === step.chosen);
    keys[Math.min(keys.length, KEYS_PER_ROW - 1)] = { label: visibleToken(step.chosen), prob: match ? match.prob : null, chosen: true };
  }
  return keys;
}

export function generationTraceLayout(input: GenerationTraceInput): TraceLayout {
  const m = SPACE.margin;
  const rowsTop = HEADER_HEIGHT + TYPE.small + 16;
  const last = input.steps[input.steps.length - 1];
  const ctx = measuringContext();
  setFont(ctx, TYPE.body);
  const resultLines = last ? wrapTextEnd(ctx, visibleText(last.context + last.chosen), WIDTH - 2 * m - 40, RESULT_LINES) : [];
  const resultHeight = TYPE.label + 12 + resultLines.length * (TYPE.body + 12) + 28;
  const fixed = rowsTop + TYPE.small + 24 + resultHeight + m;
  const maxRows = Math.max(1, Math.min(MAX_TRACE_ROWS, Math.floor((MAX_HEIGHT - fixed) / ROW_HEIGHT)));
  const shownSteps = Math.min(input.steps.length, maxRows);
  const truncatedNote = shownSteps < input.steps.length ? TYPE.small + 16 : 0;
  const keysX = m + STEP_NUMBER_WIDTH + CONTEXT_WIDTH + 24;
  const keyWidth = Math.floor((WIDTH - m - keysX - (KEYS_PER_ROW - 1) * KEY_GAP) / KEYS_PER_ROW);
  const resultTop = rowsTop + shownSteps * ROW_HEIGHT + truncatedNote + 16;
  // the piece legend under the result when a shown key or chosen token holds part of a character
  const shownLabels = input.steps.slice(0, shownSteps).flatMap((step) => [step.chosen, ...step.candidates.map((c) => c.token)]);
  const legendLines = pieceLegendLines(ctx, shownLabels, input.lang, WIDTH - 2 * m);
  return {
    width: WIDTH,
    height: resultTop + resultHeight + legendLines.length * LEGEND_LINE_HEIGHT + m,
    legendLines,
    shownSteps,
    rowsTop,
    keysX,
    keyWidth,
    resultLines,
    resultTop,
  };
}

export async function renderGenerationTrace(input: GenerationTraceInput): Promise<Buffer> {
  const text = labelsFor(LABELS, input.lang);
  const header = { title: text.title, subtitle: text.subtitle(input.modelName, input.steps.length) };
  if (input.steps.length === 0) return renderNothingToShow(header, text.empty);
  input.steps.forEach((step, i) =>
    step.candidates.forEach((c) => {
      if (!Number.isFinite(c.prob) || c.prob < 0 || c.prob > 1 + 1e-6) {
        throw new RangeError(`step ${i}: candidate ${JSON.stringify(c.token)} has probability ${c.prob}, expected 0..1`);
      }
    }),
  );
  const layout = generationTraceLayout(input);
  const picture = createPicture(layout.width, layout.height);
  const { ctx } = picture;
  const m = SPACE.margin;
  drawHeader(ctx, header, picture.width);

  // column names
  ctx.fillStyle = COLORS.textDim;
  setFont(ctx, TYPE.small);
  const namesY = layout.rowsTop - TYPE.small / 2 - 10;
  drawText(ctx, text.textSoFar, layout.keysX - 24, namesY, "right");
  drawText(ctx, text.candidates, layout.keysX, namesY);

  for (let i = 0; i < layout.shownSteps; i++) {
    drawStepRow(ctx, layout, input.steps[i], i, layout.rowsTop + i * ROW_HEIGHT, text.outside);
  }
  if (layout.shownSteps < input.steps.length) {
    const y = layout.rowsTop + layout.shownSteps * ROW_HEIGHT + TYPE.small / 2 + 4;
    drawNote(ctx, text.truncated(layout.shownSteps, input.steps.length), m, y, picture.width - 2 * m);
  }

  // the whole generated text (its end)
  let y = layout.resultTop;
  ctx.fillStyle = COLORS.textMuted;
  setFont(ctx, TYPE.label, "bold");
  drawText(ctx, text.result, m, y + TYPE.label / 2);
  y += TYPE.label + 12;
  const panelHeight = layout.resultLines.length * (TYPE.body + 12) + 24;
  fillRoundRect(ctx, m, y, picture.width - 2 * m, panelHeight, SPACE.radius, COLORS.panel);
  ctx.fillStyle = COLORS.text;
  setFont(ctx, TYPE.body);
  layout.resultLines.forEach((line, k) => drawText(ctx, line, m + 20, y + 12 + (k + 0.5) * (TYPE.body + 12)));
  drawPieceLegend(ctx, layout.legendLines, m, y + panelHeight + 4 + LEGEND_LINE_HEIGHT / 2, picture.width - 2 * m);
  return toPng(picture);
}

/** One row: step number, the end of the text with the chosen token appended, the keys. */
function drawStepRow(ctx: Ctx, layout: TraceLayout, step: TraceStep, index: number, top: number, outsideLabel: string): void {
  const m = SPACE.margin;
  const centreY = top + KEY_HEIGHT / 2;
  if (index % 2 === 0) {
    ctx.fillStyle = COLORS.panel;
    ctx.globalAlpha = 0.45;
    ctx.fillRect(m - 10, top - (ROW_HEIGHT - KEY_HEIGHT) / 2, layout.width - 2 * m + 20, ROW_HEIGHT);
    ctx.globalAlpha = 1;
  }
  ctx.fillStyle = COLORS.textDim;
  setFont(ctx, TYPE.small);
  drawText(ctx, String(index + 1), m + STEP_NUMBER_WIDTH - 16, centreY, "right");

  // context, right-aligned so the newest text touches the chosen token
  const contextRight = layout.keysX - 24;
  setFont(ctx, TYPE.body, "bold");
  const chosenLabel = fitText(ctx, visibleToken(step.chosen), CONTEXT_WIDTH / 2);
  const chosenWidth = textWidth(ctx, chosenLabel);
  ctx.fillStyle = COLORS.accent;
  drawText(ctx, chosenLabel, contextRight, centreY, "right");
  setFont(ctx, TYPE.body);
  ctx.fillStyle = COLORS.text;
  const context = fitTextStart(ctx, visibleText(step.context), CONTEXT_WIDTH - chosenWidth - 4);
  drawText(ctx, context, contextRight - chosenWidth - 2, centreY, "right");

  // the keys
  const keys = keysFor(step);
  keys.forEach((key, k) => {
    const x = layout.keysX + k * (layout.keyWidth + KEY_GAP);
    fillRoundRect(ctx, x, top, layout.keyWidth, KEY_HEIGHT, 8, key.chosen ? COLORS.accent : COLORS.panel);
    ctx.fillStyle = key.chosen ? COLORS.accentText : COLORS.text;
    setFont(ctx, TYPE.label, key.chosen ? "bold" : "normal");
    drawText(ctx, fitText(ctx, key.label, layout.keyWidth - 16), x + layout.keyWidth / 2, top + 23, "center");
    // probability: number and a small bar on a 0–100% track
    setFont(ctx, TYPE.small - 2);
    const percent = key.prob === null ? "?" : formatPercent(key.prob);
    drawText(ctx, percent, x + 10, top + 51);
    const barX = x + 10 + 62;
    const barWidth = layout.keyWidth - 10 - 62 - 10;
    ctx.fillStyle = key.chosen ? "rgba(27,29,35,0.25)" : COLORS.track;
    ctx.fillRect(barX, top + 47, barWidth, 8);
    ctx.fillStyle = key.chosen ? COLORS.accentText : COLORS.primary;
    ctx.fillRect(barX, top + 47, barWidth * Math.min(1, key.prob ?? 0), 8);
  });
  if (
    keys.length > 0 &&
    !step.candidates
      .slice()
      .sort((a, b) => b.prob - a.prob)
      .slice(0, KEYS_PER_ROW)
      .some((c) => c.token === step.chosen)
  ) {
    ctx.fillStyle = COLORS.textDim;
    setFont(ctx, TYPE.small - 3);
    drawText(ctx, fitText(ctx, outsideLabel, CONTEXT_WIDTH), contextRight, top + KEY_HEIGHT + 2, "right");
  }
}
