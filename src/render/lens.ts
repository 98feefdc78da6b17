/**
 * The logit lens: a grid with one row per depth (top: the embeddings; bottom: the model's
 * output, which is what /predict shows) and one column per input position. Each cell is the
 * top guess for the token after that position, read from the residual stream at that depth,
 * filled with the heat colour of its probability (0 → dark, 100% → pale yellow).
 */
import { heatColor, heatRgb, luminance } from "./colormap.ts";
import { formatInt, formatPercent } from "./format.ts";
import { labelsFor, type Lang } from "./lang.ts";
import { createPicture, drawHeader, drawNote, HEADER_HEIGHT, measuringContext, renderNothingToShow, toPng } from "./picture.ts";
import { pieceLegend } from "./piece-legend.ts";
import { drawText, fitText, setFont, visibleToken, wrapText } from "./text.ts";
import { COLORS, MAX_WIDTH, SPACE, TYPE } from "./theme.ts";

export interface LensCell {
  /** the top guess's label */
  token: string;
  /** its probability at this depth, 0..1 */
  prob: number;
}

export interface LensGridInput {
  /** the input tokens' labels [T] (column headers) */
  tokens: string[];
  /** [depth 0…L][position 0…T-1] */
  cells: LensCell[][];
  modelName: string;
  lang: Lang;
  /** most columns drawn; longer inputs show their last positions (default 12) */
  maxColumns?: number;
}

const LABELS = {
  en: {
    title: "Logit lens · what each layer would predict",
    subtitle: (model: string, layers: number, tokens: number) => `${model} · ${layers} layers · ${formatInt(tokens)} tokens`,
    depth: (d: number, last: number) => (d === 0 ? "embeddings" : d === last ? "output" : `after layer ${d - 1}`),
    predict: "= /predict",
    input: "input →",
    truncated: (shown: number, total: number) => `Showing the last ${shown} of ${formatInt(total)} positions.`,
    legend:
      "Each column is an input token; each cell is the model's top guess for the token after it, read from the residual stream at that depth through the final LayerNorm and the output head. Colour = its probability.",
    scale: "probability",
    empty: "No tokens to show: give the model some text first.",
  },
  ja: {
    title: "ロジットレンズ · 各レイヤーが予想する次のトークン",
    subtitle: (model: string, layers: number, tokens: number) => `${model} · ${layers}レイヤー · ${formatInt(tokens)}トークン`,
    depth: (d: number, last: number) => (d === 0 ? "埋め込み" : d === last ? "出力" : `レイヤー${d - 1}の後`),
    predict: "= /predict",
    input: "入力 →",
    truncated: (shown: number, total: number) => `${formatInt(total)}位置のうち最後の${shown}位置を表示しています。`,
    legend:
      "各列は入力トークン、各マスはその次のトークンについてのモデルの第1候補です。その深さの残差ストリームを最後のLayerNormと出力層に通して読んでいます。色は確率を表します。",
    scale: "確率",
    empty: "表示するトークンがありません。先にテキストを入力してください。",
  },
};

const WIDTH = 1500;
const LABEL_WIDTH = 190;
const HEADER_ROW = 56;
const CELL_HEIGHT = 66;
const CELL_GAP = 3;
const SCALE_HEIGHT = 24;

export interface LensGridLayout {
  width: number;
  height: number;
  /** index of the first position drawn */
  firstPosition: number;
  columns: number;
  gridX: number;
  gridY: number;
  cellWidth: number;
  cellHeight: number;
  legendLines: string[];
  footerY: number;
}

function validate(input: LensGridInput): void {
  const T = input.tokens.length;
  input.cells.forEach((row, d) => {
    if (row.length !== T) throw new RangeError(`depth ${d} has ${row.length} cells, expected one per token (${T})`);
    row.forEach((c, t) => {
      if (!Number.isFinite(c.prob) || c.prob < 0 || c.prob > 1 + 1e-6) {
        throw new RangeError(`depth ${d}, position ${t} has probability ${c.prob}, expected 0..1`);
      }
    });
  });
}

export function lensGridLayout(input: LensGridInput): LensGridLayout {
  validate(input);
  const m = SPACE.margin;
  const T = input.tokens.length;
  const columns = Math.min(T, input.maxColumns ?? 12);
  const gridX = m + LABEL_WIDTH;
  const cellWidth = Math.floor((WIDTH - m - gridX) / Math.max(1, columns));
  const gridY = HEADER_HEIGHT + HEADER_ROW;
  const ctx = measuringContext();
  setFont(ctx, TYPE.small);
  const text = labelsFor(LABELS, input.lang);
  const notes = [text.legend, pieceLegend([...input.tokens, ...input.cells.flat().map((c) => c.token)], input.lang)];
  if (columns < T) notes.unshift(text.truncated(columns, T));
  const legendLines = notes.filter((n): n is string => n !== null).flatMap((n) => wrapText(ctx, n, WIDTH - 2 * m));
  const gridBottom = gridY + input.cells.length * CELL_HEIGHT;
  const footerY = gridBottom + 24 + SCALE_HEIGHT + 50;
  return {
    width: Math.min(MAX_WIDTH, WIDTH),
    height: footerY + legendLines.length * (TYPE.small + 10) + m,
    firstPosition: T - columns,
    columns,
    gridX,
    gridY,
    cellWidth,
    cellHeight: CELL_HEIGHT,
    legendLines,
    footerY,
  };
}

/** The cell of (depth, position) in picture pixels, gap excluded; null when not drawn. */
export function lensCellRect(
  layout: LensGridLayout,
  depth: number,
  position: number,
): { x: number; y: number; w: number; h: number } | null {
  const column = position - layout.firstPosition;
  if (column < 0 || column >= layout.columns) return null;
  return {
    x: layout.gridX + column * layout.cellWidth,
    y: layout.gridY + depth * layout.cellHeight,
    w: layout.cellWidth - CELL_GAP,
    h: layout.cellHeight - CELL_GAP,
  };
}

export async function renderLensGrid(input: LensGridInput): Promise<Buffer> {
  const text = labelsFor(LABELS, input.lang);
  const depths = input.cells.length;
  const header = { title: text.title, subtitle: text.subtitle(input.modelName, Math.max(0, depths - 1), input.tokens.length) };
  if (input.tokens.length === 0 || depths === 0) return renderNothingToShow(header, text.empty);
  const layout = lensGridLayout(input);
  const picture = createPicture(layout.width, layout.height);
  const { ctx } = picture;
  const m = SPACE.margin;
  drawHeader(ctx, header, picture.width);
  const last = depths - 1;

  // 1. the input tokens above their columns
  setFont(ctx, TYPE.small);
  ctx.fillStyle = COLORS.textMuted;
  drawText(ctx, text.input, m, layout.gridY - HEADER_ROW / 2);
  for (let c = 0; c < layout.columns; c++) {
    const position = layout.firstPosition + c;
    const x = layout.gridX + c * layout.cellWidth + (layout.cellWidth - CELL_GAP) / 2;
    ctx.fillStyle = COLORS.text;
    setFont(ctx, TYPE.label, "bold");
    drawText(ctx, fitText(ctx, visibleToken(input.tokens[position]), layout.cellWidth - 10), x, layout.gridY - HEADER_ROW / 2, "center");
  }

  // 2. one row per depth: its name, then the cells coloured by probability
  for (let d = 0; d < depths; d++) {
    const y = layout.gridY + d * layout.cellHeight + (layout.cellHeight - CELL_GAP) / 2;
    ctx.fillStyle = d === last ? COLORS.accent : COLORS.textMuted;
    setFont(ctx, TYPE.label, d === last ? "bold" : "normal");
    drawText(ctx, fitText(ctx, text.depth(d, last), LABEL_WIDTH - 16), m, d === last ? y - 12 : y);
    if (d === last) {
      setFont(ctx, TYPE.small);
      drawText(ctx, text.predict, m, y + 14);
    }
    for (let c = 0; c < layout.columns; c++) {
      const cell = input.cells[d][layout.firstPosition + c];
      const rect = lensCellRect(layout, d, layout.firstPosition + c)!;
      ctx.fillStyle = heatColor(cell.prob);
      ctx.fillRect(rect.x, rect.y, rect.w, rect.h);
      // dark text on bright cells, light on dark ones
      ctx.fillStyle = luminance(heatRgb(cell.prob)) > 0.3 ? COLORS.accentText : COLORS.text;
      setFont(ctx, TYPE.label, "bold");
      drawText(ctx, fitText(ctx, visibleToken(cell.token), rect.w - 12), rect.x + rect.w / 2, rect.y + rect.h / 2 - 11, "center");
      setFont(ctx, TYPE.small - 3);
      drawText(ctx, formatPercent(cell.prob), rect.x + rect.w / 2, rect.y + rect.h / 2 + 16, "center");
    }
  }
  // the output row, outlined: it is the model's own prediction
  ctx.strokeStyle = COLORS.accent;
  ctx.lineWidth = 2;
  ctx.strokeRect(
    layout.gridX - 4,
    layout.gridY + last * layout.cellHeight - 4,
    layout.columns * layout.cellWidth + 5,
    layout.cellHeight + 5,
  );

  // 3. the colour scale 0–100%
  const scaleY = layout.gridY + depths * layout.cellHeight + 24;
  const scaleX = layout.gridX;
  const scaleWidth = Math.min(480, layout.columns * layout.cellWidth);
  for (let i = 0; i < scaleWidth; i++) {
    ctx.fillStyle = heatColor(i / (scaleWidth - 1));
    ctx.fillRect(scaleX + i, scaleY, 1, SCALE_HEIGHT);
  }
  setFont(ctx, TYPE.small);
  ctx.fillStyle = COLORS.textMuted;
  drawText(ctx, text.scale, m, scaleY + SCALE_HEIGHT / 2);
  drawText(ctx, "0%", scaleX, scaleY + SCALE_HEIGHT + 18);
  drawText(ctx, "100%", scaleX + scaleWidth, scaleY + SCALE_HEIGHT + 18, "right");

  // 4. what it shows
  layout.legendLines.forEach((line, i) => drawNote(ctx, line, m, layout.footerY + i * (TYPE.small + 10), picture.width - 2 * m));
  return toPng(picture);
}
