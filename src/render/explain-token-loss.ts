/**
 * The loss of a sentence, token by token: for each token, the probability the model gave it
 * before seeing it, and its "surprise" −log p as a bar (long bar = the model did not expect
 * it). The mean of the bars is the loss that training pushes down.
 */
import { COLORS, MAX_HEIGHT, SPACE, TYPE } from "./theme.ts";
import { formatPercent } from "./format.ts";
import { createPicture, drawHeader, drawNote, fillRoundRect, HEADER_HEIGHT, toPng } from "./picture.ts";
import { NOTE_LINE, wrapNotes } from "./explain-chart.ts";
import { drawText, fitText, setFont, visibleToken } from "./text.ts";

export interface TokenLossRow {
  /** the token that came next */
  token: string;
  /** the probability the model gave it */
  prob: number;
  /** −ln prob */
  loss: number;
  /** the model's own favourite at that point, if different */
  guess?: string;
}

export interface TokenLossInput {
  title: string;
  subtitle: string;
  rows: TokenLossRow[];
  labels: {
    token: string;
    prob: string;
    loss: string;
    guess: string;
    mean: (value: string) => string;
    /** "n more tokens not drawn" */
    more: (count: number) => string;
  };
  mean: number;
  notes?: string[];
}

const WIDTH = 1400;
const ROW = 48;
const TOKEN_WIDTH = 200;
const PROB_WIDTH = 110;
const LOSS_WIDTH = 90;
const GUESS_WIDTH = 200;

export interface TokenLossLayout {
  width: number;
  height: number;
  shown: number;
  rowsTop: number;
  barLeft: number;
  barMaxWidth: number;
  /** surprise that fills the whole bar */
  scaleMax: number;
}

export function tokenLossLayout(input: TokenLossInput): TokenLossLayout {
  const m = SPACE.margin;
  const notes = wrapNotes(input.notes ?? [], WIDTH - 2 * m);
  const rowsTop = HEADER_HEIGHT + TYPE.small + 20;
  const fixed = rowsTop + 2 * ROW + notes.length * NOTE_LINE + m + 40;
  const shown = Math.min(input.rows.length, Math.max(1, Math.floor((MAX_HEIGHT - fixed) / ROW)), 40);
  const barLeft = m + TOKEN_WIDTH + 16;
  const barMaxWidth = WIDTH - m - GUESS_WIDTH - LOSS_WIDTH - PROB_WIDTH - 30 - barLeft;
  const finite = input.rows.map((r) => r.loss).filter(Number.isFinite);
  return {
    width: WIDTH,
    height: rowsTop + (shown + 1) * ROW + (shown < input.rows.length ? NOTE_LINE : 0) + 24 + notes.length * NOTE_LINE + m,
    shown,
    rowsTop,
    barLeft,
    barMaxWidth,
    scaleMax: Math.max(1, ...finite),
  };
}

export async function renderTokenLoss(input: TokenLossInput): Promise<Buffer> {
  const layout = tokenLossLayout(input);
  const picture = createPicture(layout.width, layout.height);
  const { ctx } = picture;
  const m = SPACE.margin;
  const { labels } = input;
  drawHeader(ctx, { title: input.title, subtitle: input.subtitle }, layout.width);

  // column headings
  const probRight = layout.barLeft + layout.barMaxWidth + 10 + PROB_WIDTH;
  const lossRight = probRight + LOSS_WIDTH;
  const guessLeft = lossRight + 30;
  const headY = HEADER_HEIGHT + TYPE.small / 2;
  ctx.fillStyle = COLORS.textMuted;
  setFont(ctx, TYPE.small);
  drawText(ctx, labels.token, m, headY);
  drawText(ctx, labels.loss, layout.barLeft, headY);
  drawText(ctx, labels.prob, probRight, headY, "right");
  drawText(ctx, "−log p", lossRight, headY, "right");
  drawText(ctx, labels.guess, guessLeft, headY);

  const meanRow = { token: "", prob: NaN, loss: input.mean };
  const rows = input.rows.slice(0, layout.shown);
  rows.forEach((row, i) => {
    const centre = layout.rowsTop + i * ROW + ROW / 2;
    fillRoundRect(ctx, m, centre - 18, TOKEN_WIDTH, 36, 6, COLORS.panel);
    ctx.fillStyle = COLORS.text;
    setFont(ctx, TYPE.label);
    drawText(ctx, fitText(ctx, visibleToken(row.token), TOKEN_WIDTH - 20), m + 10, centre);
    ctx.fillStyle = COLORS.track;
    ctx.fillRect(layout.barLeft, centre - 12, layout.barMaxWidth, 24);
    const length = Number.isFinite(row.loss) ? Math.min(1, row.loss / layout.scaleMax) * layout.barMaxWidth : layout.barMaxWidth;
    // the more surprising, the warmer
    ctx.fillStyle = row.loss > 2 * input.mean ? COLORS.secondary : row.loss > input.mean ? COLORS.accent : COLORS.primary;
    ctx.fillRect(layout.barLeft, centre - 12, length, 24);
    ctx.fillStyle = COLORS.text;
    setFont(ctx, TYPE.label);
    drawText(ctx, formatPercent(row.prob), probRight, centre, "right");
    drawText(ctx, row.loss.toFixed(2), lossRight, centre, "right");
    if (row.guess !== undefined) {
      // green when the model's favourite was the token that came
      ctx.fillStyle = row.guess === row.token ? COLORS.tertiary : COLORS.textMuted;
      drawText(ctx, fitText(ctx, visibleToken(row.guess), layout.width - m - guessLeft), guessLeft, centre);
    }
  });

  // the mean: the loss
  let y = layout.rowsTop + rows.length * ROW + 8;
  if (layout.shown < input.rows.length) {
    drawNote(ctx, labels.more(input.rows.length - layout.shown), m, y + NOTE_LINE / 2, layout.width - 2 * m);
    y += NOTE_LINE;
  }
  const centre = y + ROW / 2;
  ctx.fillStyle = COLORS.gridLine;
  ctx.fillRect(m, y, layout.width - 2 * m, 1);
  ctx.fillStyle = COLORS.accent;
  setFont(ctx, TYPE.label, "bold");
  drawText(ctx, fitText(ctx, labels.mean(meanRow.loss.toFixed(3)), TOKEN_WIDTH + layout.barMaxWidth), m, centre);
  const meanX = layout.barLeft + Math.min(1, input.mean / layout.scaleMax) * layout.barMaxWidth;
  ctx.strokeStyle = COLORS.accent;
  ctx.lineWidth = 2;
  ctx.setLineDash([6, 5]);
  ctx.beginPath();
  ctx.moveTo(meanX, layout.rowsTop);
  ctx.lineTo(meanX, y);
  ctx.stroke();
  ctx.setLineDash([]);

  const notes = wrapNotes(input.notes ?? [], layout.width - 2 * m);
  notes.forEach((line, i) => drawNote(ctx, line, m, y + ROW + 8 + (i + 0.5) * NOTE_LINE, layout.width - 2 * m));
  return toPng(picture);
}
