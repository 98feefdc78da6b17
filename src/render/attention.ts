/**
 * Attention pictures: (a) one head large, with tokens on both axes; (b) every layer × head
 * as small multiples on one shared colour scale.
 *
 * Weights are softmax outputs of a causal head: row = query (the token looking back),
 * column = key (the token looked at). Cells with key > query are the future, which the
 * causal mask hides; they are drawn hatched grey and carry no value.
 */
import { COLORS, MAX_HEIGHT, MAX_WIDTH, SPACE, TYPE } from "./theme.ts";
import { pieceLegendLines } from "./piece-legend.ts";
import { labelsFor, type Lang } from "./lang.ts";
import { formatInt } from "./format.ts";
import { cellCentre, drawAttentionMatrix, drawScaleBar, SCALE_BAR_FOOTER, SCALE_BAR_WIDTH, type MatrixGeometry } from "./heatmap.ts";
import { createPicture, drawHeader, drawNote, HEADER_HEIGHT, measuringContext, renderNothingToShow, toPng } from "./picture.ts";
import { drawText, fitText, setFont, textWidth, visibleToken, wrapText, type Ctx } from "./text.ts";

export type Weights = Float32Array | number[];

export interface AttentionHeadInput {
  tokens: string[];
  /** [T, T] row-major: weights[q * T + k] = how much query q attends to key k */
  weights: Weights;
  layer: number;
  head: number;
  modelName: string;
  lang: Lang;
  /** longest input drawn in full; longer inputs show their last tokens (default 48) */
  maxTokens?: number;
}

export interface AttentionGridInput {
  tokens: string[];
  /** [L][NH], each [T, T] row-major like AttentionHeadInput.weights */
  weights: Weights[][];
  /** the one layer `weights` holds ([1][NH]), when the picture is of that layer's heads alone */
  layer?: number;
  modelName: string;
  lang: Lang;
  /** longest input drawn in full (default 32) */
  maxTokens?: number;
}

const LABELS = {
  en: {
    headTitle: (layer: number, head: number) => `Attention · layer ${layer}, head ${head}`,
    gridTitle: (layers: number, heads: number) => `Attention of all heads · ${layers} layers × ${heads} heads`,
    layerTitle: (layer: number, heads: number) => `Attention · layer ${layer}, all ${heads} heads`,
    tokens: (n: number) => `${formatInt(n)} tokens`,
    brighter: "brighter = more attention",
    truncated: (shown: number, total: number) =>
      `Showing the last ${shown} of ${formatInt(total)} tokens; attention to earlier tokens is not drawn.`,
    query: "query ↓",
    key: "key →",
    future: "future",
    legend:
      "Each row is a token looking back (query); each column is a token it can look at (key). A row's weights add up to 1. Hatched grey cells are the future, hidden by the causal mask.",
    tokenStrip: "Tokens (rows top→bottom, columns left→right): ",
    empty: "No tokens to show: give the model some text first.",
  },
  ja: {
    headTitle: (layer: number, head: number) => `アテンション · レイヤー${layer} · ヘッド${head}`,
    gridTitle: (layers: number, heads: number) => `全ヘッドのアテンション · ${layers}層 × ${heads}ヘッド`,
    layerTitle: (layer: number, heads: number) => `アテンション · レイヤー${layer}の全${heads}ヘッド`,
    tokens: (n: number) => `${formatInt(n)}トークン`,
    brighter: "明るいほど強く注目",
    truncated: (shown: number, total: number) =>
      `${formatInt(total)}トークン中、最後の${shown}トークンのみ表示（それより前への注目は描いていません）`,
    query: "クエリ ↓",
    key: "キー →",
    future: "未来",
    legend:
      "各行は前を振り返るトークン（クエリ）、各列は参照されるトークン（キー）です。各行の重みの合計は1。灰色の斜線は未来のトークンで、因果マスクにより見えません。",
    tokenStrip: "トークン（行は上から、列は左から）: ",
    empty: "表示するトークンがありません。先にテキストを入力してください。",
  },
};

/** Checks one [T, T] matrix and names the numbers when it does not fit the tokens. */
function checkMatrix(weights: Weights, tokenCount: number, what: string): void {
  if (weights.length !== tokenCount * tokenCount) {
    throw new RangeError(
      `${what} has ${weights.length} weights, expected ${tokenCount}×${tokenCount} = ${tokenCount * tokenCount} for ${tokenCount} tokens`,
    );
  }
}

/** Largest visible (unmasked) weight among the shown tokens [first, T). */
function visibleMax(weights: Weights, total: number, first: number): number {
  let max = 0;
  for (let q = first; q < total; q++) {
    for (let k = first; k <= q; k++) {
      const w = weights[q * total + k];
      if (w > max) max = w;
    }
  }
  return max > 0 ? max : 1;
}

// ---------------------------------------------------------------------------------------
// (a) one head

export interface AttentionHeadLayout {
  width: number;
  height: number;
  /** index (in the input) of the first token drawn; tokens [firstToken, T) are shown */
  firstToken: number;
  shownCount: number;
  /** the cells; row/col 0 is token `firstToken` */
  matrix: MatrixGeometry;
  /** font size of the token labels */
  labelSize: number;
  rowLabelWidth: number;
  rotateColumnLabels: boolean;
  columnLabelHeight: number;
  scaleBar: { x: number; y: number; height: number };
  /** weight that maps to the brightest colour */
  max: number;
  showValues: boolean;
  legendLines: string[];
}

const LABEL_MAX_WIDTH = 200;

/** Where everything of the single-head picture goes (exported so tests can find cells); `legend` replaces the head's legend. */
export function attentionHeadLayout(input: AttentionHeadInput, legend?: string): AttentionHeadLayout {
  const total = input.tokens.length;
  checkMatrix(input.weights, total, `layer ${input.layer} head ${input.head}`);
  const maxTokens = Math.max(2, input.maxTokens ?? 48);
  const shownCount = Math.min(total, maxTokens);
  const firstToken = total - shownCount;
  const labels = input.tokens.slice(firstToken).map(visibleToken);
  const ctx = measuringContext();
  const m = SPACE.margin;

  const widestLabel = (size: number) => {
    setFont(ctx, size);
    return Math.min(LABEL_MAX_WIDTH, Math.max(...labels.map((l) => textWidth(ctx, l))));
  };
  const cellFor = (rowLabelWidth: number) => {
    const available = MAX_WIDTH - 2 * m - rowLabelWidth - 12 - 24 - SCALE_BAR_WIDTH;
    return Math.max(8, Math.min(72, Math.floor(available / shownCount)));
  };
  // label size follows the cell size, which depends on the label width: settle in two passes
  let labelSize: number = TYPE.label;
  let cell = cellFor(widestLabel(labelSize));
  labelSize = Math.max(TYPE.minLabel, Math.min(TYPE.label, Math.floor(cell * 0.72)));
  // the row-label column also holds the "query ↓" axis name
  setFont(ctx, TYPE.small);
  const axisNameWidth = textWidth(ctx, labelsFor(LABELS, input.lang).query);
  const rowLabelWidth = Math.ceil(Math.max(widestLabel(labelSize), axisNameWidth));
  cell = cellFor(rowLabelWidth);

  const rotateColumnLabels = widestLabel(labelSize) > cell - 6;
  const columnLabelHeight = rotateColumnLabels ? Math.ceil(widestLabel(labelSize)) + 10 : labelSize + 10;
  const gridSize = cell * shownCount;
  const x = m + rowLabelWidth + 12;
  const truncated = shownCount < total;
  const top = HEADER_HEIGHT + (truncated ? TYPE.small + 16 : 0);
  const y = top + TYPE.small + 10 + columnLabelHeight;

  const width = Math.max(1000, x + gridSize + 24 + SCALE_BAR_WIDTH + m);
  setFont(ctx, TYPE.small);
  // the picture's legend, then the piece legend when a token label holds part of a character
  const legendLines = [
    ...wrapText(ctx, legend ?? labelsFor(LABELS, input.lang).legend, width - 2 * m),
    ...pieceLegendLines(ctx, input.tokens, input.lang, width - 2 * m),
  ];
  const scaleHeight = Math.max(160, Math.min(gridSize, 420));
  const contentBottom = Math.max(y + gridSize, y + scaleHeight + SCALE_BAR_FOOTER);
  const height = contentBottom + 20 + legendLines.length * (TYPE.small + 8) + m;
  return {
    width,
    height: Math.min(height, MAX_HEIGHT),
    firstToken,
    shownCount,
    matrix: { x, y, cell, n: shownCount },
    labelSize,
    rowLabelWidth,
    rotateColumnLabels,
    columnLabelHeight,
    scaleBar: { x: x + gridSize + 24, y, height: scaleHeight },
    max: visibleMax(input.weights, total, firstToken),
    showValues: cell >= 60,
    legendLines,
  };
}

/** Centre of the cell for (query, key) given as input token indices; null if not drawn. */
export function attentionHeadCellCentre(layout: AttentionHeadLayout, query: number, key: number): { x: number; y: number } | null {
  const row = query - layout.firstToken;
  const col = key - layout.firstToken;
  if (row < 0 || col < 0 || row >= layout.shownCount || col >= layout.shownCount) return null;
  return cellCentre(layout.matrix, row, col);
}

/** One head, large, with the tokens on both axes. */
export function renderAttentionHead(input: AttentionHeadInput): Promise<Buffer> {
  return renderAttentionMatrix(input, { title: labelsFor(LABELS, input.lang).headTitle(input.layer, input.head) });
}

/**
 * A causal [T, T] matrix drawn as the single head is (the rollout uses it): `words.title`
 * heads it, `words.legend` (default: the head's) explains it.
 */
export async function renderAttentionMatrix(input: AttentionHeadInput, words: { title: string; legend?: string }): Promise<Buffer> {
  const text = labelsFor(LABELS, input.lang);
  const header = {
    title: words.title,
    subtitle: `${input.modelName} · ${text.tokens(input.tokens.length)} · ${text.brighter}`,
  };
  if (input.tokens.length === 0) return renderNothingToShow(header, text.empty);
  const layout = attentionHeadLayout(input, words.legend);
  const picture = createPicture(layout.width, layout.height);
  const { ctx } = picture;
  drawHeader(ctx, header, picture.width);
  const m = SPACE.margin;
  const { matrix } = layout;
  const total = input.tokens.length;
  const first = layout.firstToken;
  if (layout.firstToken > 0) {
    drawNote(ctx, text.truncated(layout.shownCount, total), m, HEADER_HEIGHT + TYPE.small / 2, picture.width - 2 * m);
  }

  // axis names in the corner above the row labels
  ctx.fillStyle = COLORS.textMuted;
  setFont(ctx, TYPE.small);
  const axisY = matrix.y - layout.columnLabelHeight - TYPE.small / 2 - 6;
  drawText(ctx, text.key, matrix.x, axisY);
  drawText(ctx, text.query, matrix.x - 12, matrix.y - 4 - TYPE.small / 2, "right");

  drawAttentionMatrix(ctx, matrix, (q, k) => input.weights[(first + q) * total + (first + k)], layout.max, {
    showValues: layout.showValues,
  });
  drawTokenLabels(ctx, layout, input.tokens.slice(first).map(visibleToken));
  drawScaleBar(ctx, layout.scaleBar.x, layout.scaleBar.y, layout.scaleBar.height, layout.max, text.future);

  const legendTop = Math.max(matrix.y + matrix.n * matrix.cell, layout.scaleBar.y + layout.scaleBar.height + SCALE_BAR_FOOTER) + 20;
  ctx.fillStyle = COLORS.textMuted;
  setFont(ctx, TYPE.small);
  layout.legendLines.forEach((line, i) => drawText(ctx, line, m, legendTop + (i + 0.5) * (TYPE.small + 8)));
  return toPng(picture);
}

/** Row labels right-aligned left of the grid; column labels above it (rotated if narrow). */
function drawTokenLabels(ctx: Ctx, layout: AttentionHeadLayout, labels: string[]): void {
  const { matrix } = layout;
  setFont(ctx, layout.labelSize);
  ctx.fillStyle = COLORS.text;
  labels.forEach((label, i) => {
    const shown = fitText(ctx, label, layout.rowLabelWidth);
    const centre = cellCentre(matrix, i, i);
    drawText(ctx, shown, matrix.x - 10, centre.y, "right");
    if (layout.rotateColumnLabels) {
      ctx.save();
      ctx.translate(centre.x, matrix.y - 8);
      ctx.rotate(-Math.PI / 2);
      drawText(ctx, shown, 0, 0, "left");
      ctx.restore();
    } else {
      drawText(ctx, shown, centre.x, matrix.y - 8 - layout.labelSize / 2, "center");
    }
  });
}

// ---------------------------------------------------------------------------------------
// (b) all heads

export interface AttentionGridLayout {
  width: number;
  height: number;
  layers: number;
  heads: number;
  firstToken: number;
  shownCount: number;
  /** matrices[layer][head] */
  matrices: MatrixGeometry[][];
  scaleBar: { x: number; y: number; height: number };
  /** shared colour scale: the largest visible weight over all heads */
  max: number;
  tokenStripY: number;
  legendLines: string[];
  legendY: number;
}

/** Where every panel of the grid picture goes (exported so tests can find cells). */
export function attentionGridLayout(input: AttentionGridInput): AttentionGridLayout {
  const total = input.tokens.length;
  const layers = input.weights.length;
  const heads = layers > 0 ? input.weights[0].length : 0;
  input.weights.forEach((row, l) => {
    if (row.length !== heads) throw new RangeError(`layer ${l} has ${row.length} heads, layer 0 has ${heads}`);
    row.forEach((w, h) => checkMatrix(w, total, `layer ${l} head ${h}`));
  });
  const m = SPACE.margin;
  const gapX = 18;
  const labelHeight = TYPE.label + 10;
  const gapY = 18;
  const truncatedNoteHeight = TYPE.small + 16;
  const stripBottom = HEADER_HEIGHT + TYPE.small + 16;

  // panel size: fill the width, but keep the whole grid under the height limit
  const byWidth = Math.floor((MAX_WIDTH - 2 * m - 24 - SCALE_BAR_WIDTH - (heads - 1) * gapX) / Math.max(1, heads));
  const byHeight = Math.floor((MAX_HEIGHT - stripBottom - truncatedNoteHeight - 160 - layers * (labelHeight + gapY)) / Math.max(1, layers));
  const panel = Math.max(40, Math.min(340, byWidth, byHeight));
  const maxTokens = Math.max(2, input.maxTokens ?? 32);
  const shownCount = Math.max(1, Math.min(total, maxTokens, Math.floor(panel / 3)));
  const firstToken = total - shownCount;
  const top = stripBottom + (firstToken > 0 ? truncatedNoteHeight : 0);
  const cell = Math.max(1, Math.floor(panel / shownCount));
  const size = cell * shownCount;

  const matrices: MatrixGeometry[][] = [];
  for (let l = 0; l < layers; l++) {
    const row: MatrixGeometry[] = [];
    for (let h = 0; h < heads; h++) {
      row.push({ x: m + h * (size + gapX), y: top + l * (labelHeight + size + gapY) + labelHeight, cell, n: shownCount });
    }
    matrices.push(row);
  }
  const gridRight = m + heads * (size + gapX) - gapX;
  const gridBottom = top + layers * (labelHeight + size + gapY) - gapY;
  const width = Math.max(1000, gridRight + 24 + SCALE_BAR_WIDTH + m);
  const ctx = measuringContext();
  setFont(ctx, TYPE.small);
  // the picture's legend, then the piece legend when a token label holds part of a character
  const legendLines = [
    ...wrapText(ctx, labelsFor(LABELS, input.lang).legend, width - 2 * m),
    ...pieceLegendLines(ctx, input.tokens, input.lang, width - 2 * m),
  ];
  const scaleHeight = Math.max(160, Math.min(gridBottom - top - labelHeight, 420));
  const legendY = Math.max(gridBottom, top + labelHeight + scaleHeight + SCALE_BAR_FOOTER) + 20;
  let max = 0;
  for (const row of input.weights) for (const w of row) max = Math.max(max, visibleMax(w, total, firstToken));
  return {
    width,
    height: Math.min(MAX_HEIGHT, legendY + legendLines.length * (TYPE.small + 8) + m),
    layers,
    heads,
    firstToken,
    shownCount,
    matrices,
    scaleBar: { x: gridRight + 24, y: top + labelHeight, height: scaleHeight },
    max: max > 0 ? max : 1,
    tokenStripY: HEADER_HEIGHT + TYPE.small / 2,
    legendLines,
    legendY,
  };
}

/** Every layer × head as small multiples with one colour scale. */
export async function renderAttentionGrid(input: AttentionGridInput): Promise<Buffer> {
  const text = labelsFor(LABELS, input.lang);
  const layers = input.weights.length;
  const heads = layers > 0 ? input.weights[0].length : 0;
  const header = {
    title: input.layer === undefined ? text.gridTitle(layers, heads) : text.layerTitle(input.layer, heads),
    subtitle: `${input.modelName} · ${text.tokens(input.tokens.length)} · ${text.brighter}`,
  };
  if (input.tokens.length === 0 || layers === 0 || heads === 0) return renderNothingToShow(header, text.empty);
  const layout = attentionGridLayout(input);
  const picture = createPicture(layout.width, layout.height);
  const { ctx } = picture;
  drawHeader(ctx, header, picture.width);
  const m = SPACE.margin;
  const total = input.tokens.length;
  const first = layout.firstToken;
  const contentWidth = picture.width - 2 * m;

  // which tokens the rows and columns are
  setFont(ctx, TYPE.small);
  ctx.fillStyle = COLORS.textMuted;
  const prefixWidth = textWidth(ctx, text.tokenStrip);
  drawText(ctx, text.tokenStrip, m, layout.tokenStripY);
  ctx.fillStyle = COLORS.text;
  const strip = input.tokens.slice(first).map(visibleToken).join(" | ");
  drawText(ctx, fitText(ctx, strip, contentWidth - prefixWidth), m + prefixWidth, layout.tokenStripY);
  if (first > 0) drawNote(ctx, text.truncated(layout.shownCount, total), m, layout.tokenStripY + TYPE.small + 16, contentWidth);

  for (let l = 0; l < layout.layers; l++) {
    for (let h = 0; h < layout.heads; h++) {
      const g = layout.matrices[l][h];
      const weights = input.weights[l][h];
      setFont(ctx, TYPE.label, "bold");
      ctx.fillStyle = COLORS.text;
      drawText(ctx, `L${(input.layer ?? 0) + l} H${h}`, g.x, g.y - (TYPE.label + 10) / 2);
      drawAttentionMatrix(ctx, g, (q, k) => weights[(first + q) * total + (first + k)], layout.max);
    }
  }
  drawScaleBar(ctx, layout.scaleBar.x, layout.scaleBar.y, layout.scaleBar.height, layout.max, text.future);
  ctx.fillStyle = COLORS.textMuted;
  setFont(ctx, TYPE.small);
  layout.legendLines.forEach((line, i) => drawText(ctx, line, m, layout.legendY + (i + 0.5) * (TYPE.small + 8)));
  return toPng(picture);
}
