/**
 * Attribution: which input tokens pushed the model towards one next token, by two methods
 * side by side. One row per input token; in each method's panel a bar from the centre line,
 * to the right (blue) when the token made the target likelier, to the left (pink) when it
 * made it less likely. Each panel has its own scale (its largest |score| fills half the panel),
 * so the two are compared by their pattern, not their lengths.
 */
import { formatInt, formatPercent } from "./format.ts";
import { labelsFor, type Lang } from "./lang.ts";
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
import { pieceLegend } from "./piece-legend.ts";
import { drawText, fitText, setFont, visibleToken, wrapText } from "./text.ts";
import { COLORS, SPACE, TYPE } from "./theme.ts";

export interface AttributionInput {
  /** input token labels [T] */
  tokens: string[];
  /** the next token explained, and its probability after the whole text */
  target: { token: string; prob: number; predicted: boolean };
  /** gradient × input per position [T] */
  gradient: number[];
  /** log p(target) − log p(target without the token), per position [T] */
  occlusion: number[];
  modelName: string;
  lang: Lang;
  /** most rows drawn; longer inputs show their last tokens (default 64) */
  maxRows?: number;
}

const LABELS = {
  en: {
    title: (token: string) => `Why “${token}”? · which tokens pushed it`,
    subtitle: (model: string, p: string, predicted: boolean) =>
      `${model} · p = ${p}${predicted ? " (the predicted next token)" : " (a target you chose)"}`,
    token: "input token",
    gradient: "gradient × input",
    occlusion: "occlusion (token removed)",
    truncated: (shown: number, total: number) => `Showing the last ${shown} of ${formatInt(total)} tokens.`,
    legend:
      "Right (blue) = the token made the target likelier; left (pink) = less likely. Gradient × input: the slope of log p along the token's embedding (a small nudge). Occlusion: how much log p drops when the token is removed. Each panel has its own scale.",
    empty: "No tokens to show: give the model some text first.",
  },
  ja: {
    title: (token: string) => `なぜ「${token}」？ · 後押ししたトークン`,
    subtitle: (model: string, p: string, predicted: boolean) =>
      `${model} · 確率 ${p}${predicted ? "（予測された次のトークン）" : "（指定された対象）"}`,
    token: "入力トークン",
    gradient: "勾配×入力",
    occlusion: "遮蔽（トークンを除く）",
    truncated: (shown: number, total: number) => `${formatInt(total)}トークンのうち最後の${shown}トークンを表示しています。`,
    legend:
      "右（青）= そのトークンが対象の確率を上げた、左（ピンク）= 下げた。勾配×入力: トークンの埋め込み方向への log p の傾き（少し動かしたときの効果）。遮蔽: そのトークンを取り除くと log p がどれだけ下がるか。目盛りはパネルごとです。",
    empty: "表示するトークンがありません。先にテキストを入力してください。",
  },
};

const WIDTH = 1400;
const TOKEN_WIDTH = 220;
const ROW_HEIGHT = 34;
const PANEL_GAP = 40;

export interface AttributionLayout {
  width: number;
  height: number;
  firstRow: number;
  rows: number;
  rowsTop: number;
  /** each panel's left edge, width and centre line; panel 0 = gradient × input, 1 = occlusion */
  panels: { x: number; width: number; centre: number; scale: number }[];
  legendLines: string[];
  footerY: number;
}

function validate(input: AttributionInput): void {
  const T = input.tokens.length;
  for (const [name, scores] of [
    ["gradient", input.gradient],
    ["occlusion", input.occlusion],
  ] as const) {
    if (scores.length !== T) throw new RangeError(`${name} has ${scores.length} scores, expected one per token (${T})`);
    scores.forEach((s, i) => {
      if (!Number.isFinite(s)) throw new RangeError(`${name} score ${i} is ${s}`);
    });
  }
}

export function attributionLayout(input: AttributionInput): AttributionLayout {
  validate(input);
  const m = SPACE.margin;
  const T = input.tokens.length;
  const rows = Math.min(T, input.maxRows ?? 64);
  const firstRow = T - rows;
  const panelsX = m + TOKEN_WIDTH;
  const panelWidth = (WIDTH - m - panelsX - PANEL_GAP) / 2;
  const shown = (scores: number[]) => scores.slice(firstRow);
  const panels = [input.gradient, input.occlusion].map((scores, i) => {
    const x = panelsX + i * (panelWidth + PANEL_GAP);
    const maxAbs = Math.max(0, ...shown(scores).map(Math.abs));
    // half the panel (less room for the number) is the largest |score|
    return { x, width: panelWidth, centre: x + panelWidth / 2, scale: maxAbs > 0 ? (panelWidth / 2 - 70) / maxAbs : 0 };
  });
  const rowsTop = HEADER_HEIGHT + TYPE.label + 20;
  const ctx = measuringContext();
  setFont(ctx, TYPE.small);
  const text = labelsFor(LABELS, input.lang);
  const notes = [rows < T ? text.truncated(rows, T) : null, text.legend, pieceLegend([...input.tokens, input.target.token], input.lang)];
  const legendLines = notes.filter((n): n is string => n !== null).flatMap((n) => wrapText(ctx, n, WIDTH - 2 * m));
  const footerY = rowsTop + rows * ROW_HEIGHT + 24;
  return {
    width: WIDTH,
    height: footerY + legendLines.length * (TYPE.small + 10) + m,
    firstRow,
    rows,
    rowsTop,
    panels,
    legendLines,
    footerY,
  };
}

/** Where the bar of (panel, position) ends (x), and the row's vertical centre (y). */
export function attributionBarEnd(
  layout: AttributionLayout,
  input: AttributionInput,
  panel: 0 | 1,
  position: number,
): { x: number; y: number } {
  const p = layout.panels[panel];
  const score = (panel === 0 ? input.gradient : input.occlusion)[position];
  return { x: p.centre + score * p.scale, y: layout.rowsTop + (position - layout.firstRow + 0.5) * ROW_HEIGHT };
}

/** Scores as short numbers: 3 significant digits. */
function scoreText(v: number): string {
  if (v === 0) return "0";
  const a = Math.abs(v);
  const s = a >= 100 ? v.toFixed(0) : a >= 0.01 ? v.toPrecision(3) : v.toExponential(1);
  return v > 0 ? `+${s}` : s.replace("-", "−");
}

export async function renderAttribution(input: AttributionInput): Promise<Buffer> {
  const text = labelsFor(LABELS, input.lang);
  const header = {
    title: text.title(visibleToken(input.target.token)),
    subtitle: text.subtitle(input.modelName, formatPercent(input.target.prob), input.target.predicted),
  };
  if (input.tokens.length === 0) return renderNothingToShow(header, text.empty);
  const layout = attributionLayout(input);
  const picture = createPicture(layout.width, layout.height);
  const { ctx } = picture;
  const m = SPACE.margin;
  drawHeader(ctx, header, picture.width);

  // 1. column titles
  const titleY = HEADER_HEIGHT + TYPE.label / 2;
  setFont(ctx, TYPE.label, "bold");
  ctx.fillStyle = COLORS.textMuted;
  drawText(ctx, text.token, m, titleY);
  [text.gradient, text.occlusion].forEach((title, i) => {
    const p = layout.panels[i];
    drawText(ctx, fitText(ctx, title, p.width), p.centre, titleY, "center");
  });

  // 2. panel backgrounds and centre lines
  const panelsHeight = layout.rows * ROW_HEIGHT;
  for (const p of layout.panels) {
    fillRoundRect(ctx, p.x, layout.rowsTop - 6, p.width, panelsHeight + 12, SPACE.radius, COLORS.panel);
    ctx.fillStyle = COLORS.axis;
    ctx.fillRect(Math.round(p.centre) - 1, layout.rowsTop - 6, 2, panelsHeight + 12);
  }

  // 3. one row per token: its label, then a bar in each panel with its number
  for (let r = 0; r < layout.rows; r++) {
    const position = layout.firstRow + r;
    const y = layout.rowsTop + (r + 0.5) * ROW_HEIGHT;
    setFont(ctx, TYPE.label);
    ctx.fillStyle = COLORS.text;
    drawText(ctx, fitText(ctx, visibleToken(input.tokens[position]), TOKEN_WIDTH - 20), m, y);
    ([0, 1] as const).forEach((panel) => {
      const p = layout.panels[panel];
      const score = (panel === 0 ? input.gradient : input.occlusion)[position];
      const end = attributionBarEnd(layout, input, panel, position);
      ctx.fillStyle = score >= 0 ? COLORS.primary : COLORS.secondary;
      const x0 = Math.min(p.centre, end.x);
      ctx.fillRect(x0, y - ROW_HEIGHT * 0.32, Math.abs(end.x - p.centre), ROW_HEIGHT * 0.64);
      setFont(ctx, TYPE.small - 2);
      ctx.fillStyle = COLORS.textMuted;
      drawText(ctx, scoreText(score), score >= 0 ? end.x + 6 : end.x - 6, y, score >= 0 ? "left" : "right");
    });
  }

  // 4. how to read it
  layout.legendLines.forEach((line, i) => drawNote(ctx, line, m, layout.footerY + i * (TYPE.small + 10), picture.width - 2 * m));
  return toPng(picture);
}
