/**
 * Token vectors (embeddings) flattened to 2-D: each token is a dot, tokens the model
 * treats alike sit close together. Labels are drawn where they do not overlap (the
 * highlighted tokens first); a side panel lists the nearest neighbours of one token by
 * cosine similarity. Coordinates come from the caller (usually `pca2` in project.ts).
 */
import { COLORS, SPACE, TYPE } from "./theme.ts";
import { labelsFor, type Lang } from "./lang.ts";
import { formatInt } from "./format.ts";
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
import { drawPieceLegend, LEGEND_LINE_HEIGHT, pieceLegendLines } from "./piece-legend.ts";
import { drawText, fitText, setFont, textWidth, visibleToken, wrapText, type Ctx } from "./text.ts";

export interface EmbeddingPoint {
  label: string;
  x: number;
  y: number;
  highlight?: boolean;
}

export interface NeighbourList {
  /** the token whose neighbours are listed */
  query: string;
  items: { label: string; cosine: number }[];
  /** sentences under the list: which token the look-up used, the piece legend (wrapped in the panel) */
  notes?: string[];
}

export interface EmbeddingsInput {
  points: EmbeddingPoint[];
  neighbours?: NeighbourList;
  modelName: string;
  lang: Lang;
}

const LABELS = {
  en: {
    title: "Token vectors (embeddings) in 2-D",
    subtitle: (model: string, n: number) => `${model} · ${formatInt(n)} tokens · close together = treated alike by the model`,
    xAxis: "direction 1 (most variation)",
    yAxis: "direction 2",
    method: "Each token's vector, projected onto the two directions in which the vectors differ most (PCA).",
    hidden: (n: number) => `${formatInt(n)} labels hidden so they do not overlap.`,
    nearest: (q: string) => `Nearest to “${q}”`,
    cosine: "cosine similarity: 1 = same direction, 0 = unrelated, −1 = opposite",
    empty: "No token vectors to show.",
  },
  ja: {
    title: "トークンのベクトル（埋め込み）を2次元で見る",
    subtitle: (model: string, n: number) => `${model} · ${formatInt(n)}トークン · 近いほどモデルにとって似た扱い`,
    xAxis: "方向1（ばらつきが最大）",
    yAxis: "方向2",
    method: "各トークンのベクトルを、ばらつきが最も大きい2方向に射影しています（主成分分析）。",
    hidden: (n: number) => `重なるため${formatInt(n)}個のラベルを省略`,
    nearest: (q: string) => `「${q}」に近いトークン`,
    cosine: "コサイン類似度: 1 = 同じ向き、0 = 無関係、−1 = 逆向き",
    empty: "表示するベクトルがありません。",
  },
};

const WIDTH_WITH_PANEL = 1500;
const WIDTH_ALONE = 1200;
const PANEL_WIDTH = 440;
const PLOT_HEIGHT = 820;
const MAX_NEIGHBOURS = 15;
/** A note under the neighbours takes at most this many lines of the panel. */
const NOTE_LINES = 6;
/** More labels than this are never tried: the plot cannot hold them anyway. */
const MAX_LABEL_ATTEMPTS = 2000;

export interface EmbeddingsLayout {
  width: number;
  height: number;
  plot: { left: number; top: number; width: number; height: number };
  panel: { left: number; top: number; width: number } | null;
  /** the piece legend, wrapped; empty when no label holds part of a character */
  legendLines: string[];
  /** pixel position of a data coordinate */
  toPixel(x: number, y: number): { x: number; y: number };
}

export function embeddingsLayout(input: EmbeddingsInput): EmbeddingsLayout {
  const m = SPACE.margin;
  const hasPanel = !!input.neighbours && input.neighbours.items.length > 0;
  const width = hasPanel ? WIDTH_WITH_PANEL : WIDTH_ALONE;
  const top = HEADER_HEIGHT + TYPE.small + 20;
  const left = m + 40;
  const plotWidth = width - left - m - (hasPanel ? PANEL_WIDTH + 30 : 0);
  const plot = { left, top, width: plotWidth, height: PLOT_HEIGHT };

  // data range with a margin so dots and labels stay inside
  const finitePoints = input.points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
  const xs = finitePoints.map((p) => p.x);
  const ys = finitePoints.map((p) => p.y);
  let [xMin, xMax] = [Math.min(...xs), Math.max(...xs)];
  let [yMin, yMax] = [Math.min(...ys), Math.max(...ys)];
  if (!(xMax > xMin)) [xMin, xMax] = [xMin - 1, xMin + 1];
  if (!(yMax > yMin)) [yMin, yMax] = [yMin - 1, yMin + 1];
  const pad = 28;
  // the piece legend below the plot when a label holds part of a character (<e8>…, 猫 1/3)
  const labels = [...input.points.map((p) => p.label), ...(input.neighbours?.items.map((i) => i.label) ?? [])];
  const legendLines = pieceLegendLines(measuringContext(), labels, input.lang, width - 2 * m);
  return {
    width,
    height: top + PLOT_HEIGHT + 56 + TYPE.small + legendLines.length * LEGEND_LINE_HEIGHT + m,
    legendLines,
    plot,
    panel: hasPanel ? { left: width - m - PANEL_WIDTH, top, width: PANEL_WIDTH } : null,
    toPixel: (x, y) => ({
      x: left + pad + ((x - xMin) / (xMax - xMin)) * (plotWidth - 2 * pad),
      // up is positive, as on paper
      y: top + PLOT_HEIGHT - pad - ((y - yMin) / (yMax - yMin)) * (PLOT_HEIGHT - 2 * pad),
    }),
  };
}

interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

const overlaps = (a: Box, b: Box) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

export async function renderEmbeddings(input: EmbeddingsInput): Promise<Buffer> {
  const text = labelsFor(LABELS, input.lang);
  const points = input.points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
  const header = { title: text.title, subtitle: text.subtitle(input.modelName, points.length) };
  if (points.length === 0) return renderNothingToShow(header, text.empty);
  const layout = embeddingsLayout({ ...input, points });
  const picture = createPicture(layout.width, layout.height);
  const { ctx } = picture;
  const m = SPACE.margin;
  const { plot } = layout;
  drawHeader(ctx, header, picture.width);
  drawNote(ctx, text.method, m, HEADER_HEIGHT + TYPE.small / 2 - 4, picture.width - 2 * m);

  // frame and axis names
  fillRoundRect(ctx, plot.left, plot.top, plot.width, plot.height, SPACE.radius, COLORS.panel);
  ctx.fillStyle = COLORS.textMuted;
  setFont(ctx, TYPE.small);
  drawText(ctx, `${text.xAxis} →`, plot.left + plot.width / 2, plot.top + plot.height + 24, "center");
  ctx.save();
  ctx.translate(m + TYPE.small / 2, plot.top + plot.height / 2);
  ctx.rotate(-Math.PI / 2);
  drawText(ctx, `${text.yAxis} →`, 0, 0, "center");
  ctx.restore();

  // dots: ordinary ones first, highlighted ones on top
  const pixels = points.map((p) => layout.toPixel(p.x, p.y));
  const radius = points.length > 2000 ? 2.5 : points.length > 300 ? 3.5 : 5;
  ctx.fillStyle = COLORS.primary;
  ctx.globalAlpha = 0.75;
  points.forEach((p, i) => {
    if (!p.highlight) dot(ctx, pixels[i].x, pixels[i].y, radius);
  });
  ctx.globalAlpha = 1;
  ctx.fillStyle = COLORS.accent;
  points.forEach((p, i) => {
    if (p.highlight) dot(ctx, pixels[i].x, pixels[i].y, 8);
  });

  const hidden = placeLabels(ctx, points, pixels, plot);
  if (hidden > 0) drawNote(ctx, text.hidden(hidden), plot.left, plot.top + plot.height + 56, plot.width);
  drawPieceLegend(ctx, layout.legendLines, m, plot.top + plot.height + 56 + LEGEND_LINE_HEIGHT, picture.width - 2 * m);
  if (layout.panel && input.neighbours) drawNeighbours(ctx, layout.panel, input.neighbours, text);
  return toPng(picture);
}

function dot(ctx: Ctx, x: number, y: number, r: number): void {
  ctx.beginPath();
  ctx.arc(x, y, r, 0, Math.PI * 2);
  ctx.fill();
}

/** Greedy label placement: right, left, above, below the dot; skip if all overlap. Returns how many were skipped. */
function placeLabels(
  ctx: Ctx,
  points: EmbeddingPoint[],
  pixels: { x: number; y: number }[],
  plot: { left: number; top: number; width: number; height: number },
): number {
  const order = points.map((_, i) => i).sort((a, b) => Number(!!points[b].highlight) - Number(!!points[a].highlight) || a - b);
  const placed: Box[] = [];
  let hidden = 0;
  const bounds = { x: plot.left + 4, y: plot.top + 4, w: plot.width - 8, h: plot.height - 8 };
  const inside = (b: Box) => b.x >= bounds.x && b.y >= bounds.y && b.x + b.w <= bounds.x + bounds.w && b.y + b.h <= bounds.y + bounds.h;
  order.forEach((i, attempt) => {
    if (attempt >= MAX_LABEL_ATTEMPTS) {
      hidden++;
      return;
    }
    const highlight = !!points[i].highlight;
    const size = highlight ? TYPE.label : TYPE.small;
    setFont(ctx, size, highlight ? "bold" : "normal");
    const label = fitText(ctx, visibleToken(points[i].label), 220);
    const w = textWidth(ctx, label) + 6;
    const h = size + 4;
    const { x, y } = pixels[i];
    const offset = highlight ? 12 : 8;
    const candidates: Box[] = [
      { x: x + offset, y: y - h / 2, w, h },
      { x: x - offset - w, y: y - h / 2, w, h },
      { x: x - w / 2, y: y - offset - h, w, h },
      { x: x - w / 2, y: y + offset, w, h },
    ];
    const spot = candidates.find((b) => inside(b) && !placed.some((p) => overlaps(p, b)));
    if (!spot) {
      hidden++;
      return;
    }
    placed.push(spot);
    ctx.fillStyle = highlight ? COLORS.accent : COLORS.text;
    drawText(ctx, label, spot.x + 3, spot.y + h / 2);
  });
  return hidden;
}

/** The side panel: the query token and its nearest tokens with cosine bars. */
function drawNeighbours(
  ctx: Ctx,
  panel: { left: number; top: number; width: number },
  list: NeighbourList,
  text: (typeof LABELS)["en"],
): void {
  let y = panel.top;
  setFont(ctx, TYPE.heading, "bold");
  ctx.fillStyle = COLORS.text;
  drawText(ctx, fitText(ctx, text.nearest(visibleToken(list.query)), panel.width), panel.left, y + TYPE.heading / 2);
  y += TYPE.heading + 20;
  const rowHeight = 44;
  const labelWidth = 150;
  const valueWidth = 60;
  const barX = panel.left + labelWidth + 12;
  const barMax = panel.width - labelWidth - 12 - valueWidth - 8;
  for (const item of list.items.slice(0, MAX_NEIGHBOURS)) {
    const centre = y + rowHeight / 2;
    fillRoundRect(ctx, panel.left, centre - 17, labelWidth, 34, 6, COLORS.panel);
    setFont(ctx, TYPE.label);
    ctx.fillStyle = COLORS.text;
    drawText(ctx, fitText(ctx, visibleToken(item.label), labelWidth - 16), panel.left + 8, centre);
    ctx.fillStyle = COLORS.track;
    ctx.fillRect(barX, centre - 10, barMax, 20);
    // a negative cosine points the other way: drawn in the second colour
    const cosine = Math.max(-1, Math.min(1, item.cosine));
    ctx.fillStyle = cosine >= 0 ? COLORS.primary : COLORS.secondary;
    ctx.fillRect(barX, centre - 10, Math.abs(cosine) * barMax, 20);
    setFont(ctx, TYPE.small);
    ctx.fillStyle = COLORS.text;
    drawText(ctx, cosine.toFixed(2), panel.left + panel.width, centre, "right");
    y += rowHeight;
  }
  y += 12;
  setFont(ctx, TYPE.small - 2);
  ctx.fillStyle = COLORS.textMuted;
  // the explanation may need two lines in the narrow panel
  const words = text.cosine.split(/(?<=:|：)\s*/);
  words.forEach((line, i) => drawText(ctx, fitText(ctx, line, panel.width), panel.left, y + i * (TYPE.small + 4)));
  y += words.length * (TYPE.small + 4) + 16;
  // the notes, wrapped to the panel, each at most NOTE_LINES lines
  setFont(ctx, TYPE.small);
  ctx.fillStyle = COLORS.text;
  for (const note of list.notes ?? []) {
    const lines = wrapText(ctx, note, panel.width);
    for (const [i, line] of lines.slice(0, NOTE_LINES).entries()) {
      const last = i === NOTE_LINES - 1 && lines.length > NOTE_LINES;
      drawText(ctx, fitText(ctx, last ? `${line}…` : line, panel.width), panel.left, y);
      y += TYPE.small + 6;
    }
    y += 10;
  }
}
