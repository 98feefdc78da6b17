/**
 * Ablation: the next-token bars before and after switching attention heads off, and the grid of
 * every head switched off alone (rows = layers, columns = heads), each cell the change in the
 * log-probability of the whole model's top token. The more a head's removal lowers it, the
 * brighter its cell (the heat scale, 0 → the largest drop); cells whose removal raises it stay
 * dark with their number in blue. The heads switched off for the bars are outlined.
 */
import { heatColor, heatRgb, luminance } from "./colormap.ts";
import { formatPercent } from "./format.ts";
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

export interface AblationBar {
  token: string;
  before: number;
  after: number;
}

export interface AblationInput {
  /** the whole model's top candidates with their probabilities before and after */
  bars: AblationBar[];
  /** the ablated model's own top token */
  afterTop: { token: string; prob: number };
  /** the heads switched off, as "2.1,3.0" */
  heads: { layer: number; head: number }[];
  /** whether the heads were picked from the grid (none were named) */
  chosenFromGrid: boolean;
  /** the whole model's top token, which the grid follows */
  topToken: string;
  /** [layer][head]: log p(top) with that head alone off − log p(top) */
  grid: number[][];
  modelName: string;
  lang: Lang;
}

const LABELS = {
  en: {
    title: "Ablation · switching attention heads off",
    subtitle: (model: string, heads: string, chosen: boolean) => `${model} · off: ${heads}${chosen ? " (the most decisive head)" : ""}`,
    bars: "Next token: the whole model (blue) and with those heads off (orange)",
    now: (token: string, p: string) => `With them off, the likeliest next token is “${token}” (${p}).`,
    grid: (token: string) => `Each head switched off alone: change in log p(“${token}”)`,
    layer: (l: number) => `layer ${l}`,
    head: (h: number) => `head ${h}`,
    legend:
      "Brighter = removing that head lowers the top token's log-probability more (negative numbers). Blue numbers: removing the head makes it likelier. Outlined: the heads switched off for the bars.",
    empty: "Nothing to show.",
  },
  ja: {
    title: "アブレーション · アテンションヘッドを止める",
    subtitle: (model: string, heads: string, chosen: boolean) => `${model} · 停止: ${heads}${chosen ? "（最も効いているヘッド）" : ""}`,
    bars: "次のトークン: モデル全体（青）と、ヘッドを止めたとき（橙）",
    now: (token: string, p: string) => `止めると、最も確率の高い次のトークンは「${token}」（${p}）です。`,
    grid: (token: string) => `ヘッドを1つだけ止めたときの log p(「${token}」) の変化`,
    layer: (l: number) => `レイヤー${l}`,
    head: (h: number) => `ヘッド${h}`,
    legend:
      "明るいほど、そのヘッドを止めると第1候補の対数確率が大きく下がります（負の数）。青い数字: 止めると逆に確率が上がるヘッド。枠: 上の棒グラフで止めたヘッド。",
    empty: "表示するものがありません。",
  },
};

const WIDTH = 1400;
const CHIP_WIDTH = 240;
const BAR_ROW = 62;
const PERCENT_WIDTH = 100;
const GRID_LABEL = 150;

export interface AblationLayout {
  width: number;
  height: number;
  barsTop: number;
  barX: number;
  barMaxWidth: number;
  gridTop: number;
  gridX: number;
  cellWidth: number;
  cellHeight: number;
  /** the largest drop (−min Δ, ≥ 0): the brightest colour */
  maxDrop: number;
  legendLines: string[];
  footerY: number;
}

function validate(input: AblationInput): void {
  const heads = input.grid[0]?.length ?? 0;
  input.grid.forEach((row, l) => {
    if (row.length !== heads) throw new RangeError(`layer ${l} has ${row.length} heads in the grid, layer 0 has ${heads}`);
    row.forEach((v, h) => {
      if (!Number.isFinite(v)) throw new RangeError(`grid cell ${l}.${h} is ${v}`);
    });
  });
  for (const b of input.bars) {
    for (const p of [b.before, b.after])
      if (!(p >= 0 && p <= 1 + 1e-6)) throw new RangeError(`bar “${b.token}” has probability ${p}, expected 0..1`);
  }
}

export function ablationLayout(input: AblationInput): AblationLayout {
  validate(input);
  const m = SPACE.margin;
  const barsTop = HEADER_HEIGHT + TYPE.label + 20;
  const barX = m + CHIP_WIDTH + 20;
  const barMaxWidth = WIDTH - m - PERCENT_WIDTH - barX;
  const gridTitleY = barsTop + input.bars.length * BAR_ROW + TYPE.small + 40;
  const gridTop = gridTitleY + TYPE.label + 50;
  const heads = input.grid[0]?.length ?? 0;
  const cellWidth = Math.min(140, Math.floor((WIDTH - 2 * m - GRID_LABEL) / Math.max(1, heads)));
  const cellHeight = Math.min(64, Math.max(34, cellWidth * 0.6));
  const maxDrop = Math.max(0, ...input.grid.flat().map((v) => -v));
  const ctx = measuringContext();
  setFont(ctx, TYPE.small);
  const text = labelsFor(LABELS, input.lang);
  const notes = [text.legend, pieceLegend([...input.bars.map((b) => b.token), input.afterTop.token], input.lang)];
  const legendLines = notes.filter((n): n is string => n !== null).flatMap((n) => wrapText(ctx, n, WIDTH - 2 * m));
  const footerY = gridTop + input.grid.length * cellHeight + 30;
  return {
    width: WIDTH,
    height: footerY + legendLines.length * (TYPE.small + 10) + m,
    barsTop,
    barX,
    barMaxWidth,
    gridTop,
    gridX: m + GRID_LABEL,
    cellWidth,
    cellHeight,
    maxDrop,
    legendLines,
    footerY,
  };
}

/** The grid cell of (layer, head), gap excluded. */
export function ablationCellRect(layout: AblationLayout, layer: number, head: number): { x: number; y: number; w: number; h: number } {
  return {
    x: layout.gridX + head * layout.cellWidth,
    y: layout.gridTop + layer * layout.cellHeight,
    w: layout.cellWidth - 3,
    h: layout.cellHeight - 3,
  };
}

/** The vertical centre of bar row i, and where its before (0) and after (1) bars end. */
export function ablationBarEnds(layout: AblationLayout, bar: AblationBar, i: number): { y: number; before: number; after: number } {
  return {
    y: layout.barsTop + (i + 0.5) * BAR_ROW,
    before: layout.barX + bar.before * layout.barMaxWidth,
    after: layout.barX + bar.after * layout.barMaxWidth,
  };
}

function deltaText(v: number): string {
  const s = Math.abs(v) >= 10 ? Math.abs(v).toFixed(1) : Math.abs(v).toFixed(2);
  return v < 0 ? `−${s}` : `+${s}`;
}

export async function renderAblation(input: AblationInput): Promise<Buffer> {
  const text = labelsFor(LABELS, input.lang);
  const headsText = input.heads.map((h) => `${h.layer}.${h.head}`).join(", ");
  const header = { title: text.title, subtitle: text.subtitle(input.modelName, headsText, input.chosenFromGrid) };
  if (input.bars.length === 0 || input.grid.length === 0) return renderNothingToShow(header, text.empty);
  const layout = ablationLayout(input);
  const picture = createPicture(layout.width, layout.height);
  const { ctx } = picture;
  const m = SPACE.margin;
  drawHeader(ctx, header, picture.width);

  // 1. the bars: each of the whole model's candidates, before (blue) above after (orange)
  setFont(ctx, TYPE.label, "bold");
  ctx.fillStyle = COLORS.textMuted;
  drawText(ctx, fitText(ctx, text.bars, picture.width - 2 * m), m, HEADER_HEIGHT + TYPE.label / 2);
  input.bars.forEach((bar, i) => {
    const ends = ablationBarEnds(layout, bar, i);
    fillRoundRect(ctx, m, ends.y - 20, CHIP_WIDTH, 40, 6, COLORS.panel);
    ctx.fillStyle = COLORS.text;
    setFont(ctx, TYPE.label);
    drawText(ctx, fitText(ctx, visibleToken(bar.token), CHIP_WIDTH - 24), m + 12, ends.y);
    for (const [which, end, colour, dy] of [
      ["before", ends.before, COLORS.primary, -12],
      ["after", ends.after, COLORS.accent, 12],
    ] as const) {
      ctx.fillStyle = COLORS.track;
      ctx.fillRect(layout.barX, ends.y + dy - 10, layout.barMaxWidth, 20);
      ctx.fillStyle = colour;
      ctx.fillRect(layout.barX, ends.y + dy - 10, end - layout.barX, 20);
      setFont(ctx, TYPE.small);
      ctx.fillStyle = colour;
      drawText(ctx, formatPercent(which === "before" ? bar.before : bar.after), picture.width - m, ends.y + dy, "right");
    }
  });
  const nowY = layout.barsTop + input.bars.length * BAR_ROW + 16;
  drawNote(
    ctx,
    text.now(visibleToken(input.afterTop.token), formatPercent(input.afterTop.prob)),
    m,
    nowY,
    picture.width - 2 * m,
    TYPE.label,
  );

  // 2. the grid: layers × heads, brighter = a larger drop
  const gridTitleY = layout.gridTop - 50 - TYPE.label / 2;
  setFont(ctx, TYPE.label, "bold");
  ctx.fillStyle = COLORS.textMuted;
  drawText(ctx, fitText(ctx, text.grid(visibleToken(input.topToken)), picture.width - 2 * m), m, gridTitleY);
  const heads = input.grid[0].length;
  setFont(ctx, TYPE.small);
  for (let h = 0; h < heads; h++) {
    const r = ablationCellRect(layout, 0, h);
    drawText(ctx, fitText(ctx, text.head(h), r.w), r.x + r.w / 2, layout.gridTop - 18, "center");
  }
  const off = new Set(input.heads.map((h) => `${h.layer}.${h.head}`));
  input.grid.forEach((row, l) => {
    const r0 = ablationCellRect(layout, l, 0);
    setFont(ctx, TYPE.small);
    ctx.fillStyle = COLORS.textMuted;
    drawText(ctx, text.layer(l), m, r0.y + r0.h / 2);
    row.forEach((delta, h) => {
      const r = ablationCellRect(layout, l, h);
      const t = layout.maxDrop > 0 ? Math.max(0, -delta) / layout.maxDrop : 0;
      ctx.fillStyle = heatColor(t);
      ctx.fillRect(r.x, r.y, r.w, r.h);
      ctx.fillStyle = delta > 0 ? COLORS.primary : luminance(heatRgb(t)) > 0.3 ? COLORS.accentText : COLORS.text;
      setFont(ctx, Math.min(TYPE.small, Math.floor(r.h * 0.45)));
      if (r.w >= 40) drawText(ctx, deltaText(delta), r.x + r.w / 2, r.y + r.h / 2, "center");
      if (off.has(`${l}.${h}`)) {
        ctx.strokeStyle = COLORS.accent;
        ctx.lineWidth = 3;
        ctx.strokeRect(r.x + 1.5, r.y + 1.5, r.w - 3, r.h - 3);
      }
    });
  });

  // 3. how to read it
  layout.legendLines.forEach((line, i) => drawNote(ctx, line, m, layout.footerY + i * (TYPE.small + 10), picture.width - 2 * m));
  return toPng(picture);
}
