/**
 * What the predicted next token was chosen from: one row per layer (the last position's
 * attention over the input tokens, averaged over the layer's heads) and a last row for the
 * rollout (the last row of R, src/app/attention-views.ts), one column per input token. A cell is
 * filled with the heat colour of its weight over the largest weight drawn, and holds the weight.
 */
import { heatColor, heatRgb, luminance } from "./colormap.ts";
import { formatInt, formatPercent } from "./format.ts";
import { labelsFor, type Lang } from "./lang.ts";
import { createPicture, drawHeader, drawNote, HEADER_HEIGHT, measuringContext, renderNothingToShow, toPng } from "./picture.ts";
import { pieceLegend } from "./piece-legend.ts";
import { drawText, fitText, setFont, visibleToken, wrapText } from "./text.ts";
import { COLORS, MAX_WIDTH, SPACE, TYPE } from "./theme.ts";

export interface NextAttentionInput {
  /** the input tokens' labels [T] */
  tokens: string[];
  /** the token the model predicts after them */
  predicted: { token: string; prob: number };
  /** [layer][T]: the last position's head-averaged attention */
  layers: readonly (readonly number[])[];
  /** [T]: the last row of the rollout */
  rollout: readonly number[];
  modelName: string;
  lang: Lang;
  /** most columns drawn; longer inputs show their last tokens (default 16) */
  maxColumns?: number;
}

const LABELS = {
  en: {
    title: (token: string) => `What the model looked at to predict “${token}”`,
    subtitle: (model: string, prob: string, layers: number, tokens: number) =>
      `${model} · predicted with ${prob} · ${layers} layers · ${formatInt(tokens)} tokens`,
    layer: (l: number) => `layer ${l}`,
    rollout: "rollout",
    allLayers: "all layers",
    input: "input →",
    truncated: (shown: number, total: number) => `Showing the last ${shown} of ${formatInt(total)} tokens.`,
    legend:
      "Each row is the attention of the last token (the query that chooses the next token) over the input tokens, averaged over the layer's heads; the last row is the rollout through all layers (½ attention + ½ identity, multiplied layer by layer). Brighter = more attention; one colour scale for the whole picture.",
    empty: "No tokens to show: give the model some text first.",
  },
  ja: {
    title: (token: string) => `「${token}」を予測するためにモデルが注目した先`,
    subtitle: (model: string, prob: string, layers: number, tokens: number) =>
      `${model} · 予測の確率 ${prob} · ${layers}レイヤー · ${formatInt(tokens)}トークン`,
    layer: (l: number) => `レイヤー${l}`,
    rollout: "ロールアウト",
    allLayers: "全レイヤー",
    input: "入力 →",
    truncated: (shown: number, total: number) => `${formatInt(total)}トークンのうち最後の${shown}トークンを表示しています。`,
    legend:
      "各行は、最後のトークン（次のトークンを選ぶクエリ）が入力の各トークンに向けたアテンションを、そのレイヤーのヘッドで平均したものです。最後の行は全レイヤーを通したロールアウト（½ アテンション + ½ 単位行列をレイヤーごとに掛け合わせたもの）。明るいほど強く注目。色の尺度は図全体で共通です。",
    empty: "表示するトークンがありません。先にテキストを入力してください。",
  },
};

const WIDTH = 1500;
const LABEL_WIDTH = 190;
const HEADER_ROW = 56;
const CELL_HEIGHT = 56;
const CELL_GAP = 3;
const SCALE_HEIGHT = 24;

export interface NextAttentionLayout {
  width: number;
  height: number;
  /** index of the first token drawn */
  firstToken: number;
  columns: number;
  gridX: number;
  gridY: number;
  cellWidth: number;
  cellHeight: number;
  /** the weight drawn brightest: the largest of the cells shown */
  max: number;
  legendLines: string[];
  footerY: number;
}

function validate(input: NextAttentionInput): void {
  const T = input.tokens.length;
  const rows = [...input.layers.map((row, l) => ({ row, name: `layer ${l}` })), { row: input.rollout, name: "the rollout" }];
  for (const { row, name } of rows) {
    if (row.length !== T) throw new RangeError(`${name} has ${row.length} weights, expected one per token (${T})`);
    row.forEach((w, t) => {
      if (!Number.isFinite(w) || w < -1e-6 || w > 1 + 1e-6) throw new RangeError(`${name}, token ${t} has weight ${w}, expected 0..1`);
    });
  }
}

/** The rows drawn, top to bottom: the layers, then the rollout. */
const rowsOf = (input: NextAttentionInput): readonly (readonly number[])[] => [...input.layers, input.rollout];

export function nextAttentionLayout(input: NextAttentionInput): NextAttentionLayout {
  validate(input);
  const m = SPACE.margin;
  const T = input.tokens.length;
  const columns = Math.min(T, input.maxColumns ?? 16);
  const firstToken = T - columns;
  const gridX = m + LABEL_WIDTH;
  const cellWidth = Math.floor((WIDTH - m - gridX) / Math.max(1, columns));
  const gridY = HEADER_HEIGHT + HEADER_ROW;
  const ctx = measuringContext();
  setFont(ctx, TYPE.small);
  const text = labelsFor(LABELS, input.lang);
  const notes = [text.legend, pieceLegend([...input.tokens, input.predicted.token], input.lang)];
  if (columns < T) notes.unshift(text.truncated(columns, T));
  const legendLines = notes.filter((n): n is string => n !== null).flatMap((n) => wrapText(ctx, n, WIDTH - 2 * m));
  const rows = rowsOf(input).length;
  const footerY = gridY + rows * CELL_HEIGHT + 24 + SCALE_HEIGHT + 50;
  let max = 0;
  for (const row of rowsOf(input)) for (let t = firstToken; t < T; t++) max = Math.max(max, row[t]);
  return {
    width: Math.min(MAX_WIDTH, WIDTH),
    height: footerY + legendLines.length * (TYPE.small + 10) + m,
    firstToken,
    columns,
    gridX,
    gridY,
    cellWidth,
    cellHeight: CELL_HEIGHT,
    max: max > 0 ? max : 1,
    legendLines,
    footerY,
  };
}

/** The cell of (row, token) in picture pixels, gap excluded (row = layer; nLayer = the rollout); null when not drawn. */
export function nextAttentionCellRect(
  layout: NextAttentionLayout,
  row: number,
  tokenIndex: number,
): { x: number; y: number; w: number; h: number } | null {
  const column = tokenIndex - layout.firstToken;
  if (column < 0 || column >= layout.columns) return null;
  return {
    x: layout.gridX + column * layout.cellWidth,
    y: layout.gridY + row * layout.cellHeight,
    w: layout.cellWidth - CELL_GAP,
    h: layout.cellHeight - CELL_GAP,
  };
}

export async function renderNextAttention(input: NextAttentionInput): Promise<Buffer> {
  const text = labelsFor(LABELS, input.lang);
  const L = input.layers.length;
  const header = {
    title: text.title(visibleToken(input.predicted.token)),
    subtitle: text.subtitle(input.modelName, formatPercent(input.predicted.prob), L, input.tokens.length),
  };
  if (input.tokens.length === 0) return renderNothingToShow(header, text.empty);
  const layout = nextAttentionLayout(input);
  const picture = createPicture(layout.width, layout.height);
  const { ctx } = picture;
  const m = SPACE.margin;
  drawHeader(ctx, header, picture.width);

  // 1. the input tokens above their columns
  setFont(ctx, TYPE.small);
  ctx.fillStyle = COLORS.textMuted;
  drawText(ctx, text.input, m, layout.gridY - HEADER_ROW / 2);
  for (let c = 0; c < layout.columns; c++) {
    const x = layout.gridX + c * layout.cellWidth + (layout.cellWidth - CELL_GAP) / 2;
    ctx.fillStyle = COLORS.text;
    setFont(ctx, TYPE.label, "bold");
    drawText(
      ctx,
      fitText(ctx, visibleToken(input.tokens[layout.firstToken + c]), layout.cellWidth - 10),
      x,
      layout.gridY - HEADER_ROW / 2,
      "center",
    );
  }

  // 2. one row per layer, then the rollout: its name, then the cells coloured by weight / max
  const rows = rowsOf(input);
  rows.forEach((row, r) => {
    const isRollout = r === L;
    const y = layout.gridY + r * layout.cellHeight + (layout.cellHeight - CELL_GAP) / 2;
    ctx.fillStyle = isRollout ? COLORS.accent : COLORS.textMuted;
    setFont(ctx, TYPE.label, isRollout ? "bold" : "normal");
    drawText(ctx, fitText(ctx, isRollout ? text.rollout : text.layer(r), LABEL_WIDTH - 16), m, isRollout ? y - 11 : y);
    if (isRollout) {
      setFont(ctx, TYPE.small);
      drawText(ctx, text.allLayers, m, y + 13);
    }
    for (let c = 0; c < layout.columns; c++) {
      const w = row[layout.firstToken + c];
      const rect = nextAttentionCellRect(layout, r, layout.firstToken + c)!;
      const t = w / layout.max;
      ctx.fillStyle = heatColor(t);
      ctx.fillRect(rect.x, rect.y, rect.w, rect.h);
      ctx.fillStyle = luminance(heatRgb(t)) > 0.3 ? COLORS.accentText : COLORS.text;
      setFont(ctx, TYPE.small);
      drawText(ctx, fitText(ctx, formatPercent(w), rect.w - 8), rect.x + rect.w / 2, rect.y + rect.h / 2, "center");
    }
  });
  // the rollout row, outlined: it is every layer at once
  ctx.strokeStyle = COLORS.accent;
  ctx.lineWidth = 2;
  ctx.strokeRect(layout.gridX - 4, layout.gridY + L * layout.cellHeight - 4, layout.columns * layout.cellWidth + 5, layout.cellHeight + 5);

  // 3. the colour scale 0 … max
  const scaleY = layout.gridY + rows.length * layout.cellHeight + 24;
  const scaleWidth = Math.min(480, layout.columns * layout.cellWidth);
  for (let i = 0; i < scaleWidth; i++) {
    ctx.fillStyle = heatColor(i / (scaleWidth - 1));
    ctx.fillRect(layout.gridX + i, scaleY, 1, SCALE_HEIGHT);
  }
  setFont(ctx, TYPE.small);
  ctx.fillStyle = COLORS.textMuted;
  drawText(ctx, "0%", layout.gridX, scaleY + SCALE_HEIGHT + 18);
  drawText(ctx, formatPercent(layout.max), layout.gridX + scaleWidth, scaleY + SCALE_HEIGHT + 18, "right");

  // 4. what it shows
  layout.legendLines.forEach((line, i) => drawNote(ctx, line, m, layout.footerY + i * (TYPE.small + 10), picture.width - 2 * m));
  return toPng(picture);
}
