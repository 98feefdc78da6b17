/**
 * The model card: the architecture as stacked blocks, top to bottom in the order data
 * flows (token + position embedding → N × [LayerNorm, attention, LayerNorm, MLP] → final
 * LayerNorm → output head tied to the token embedding), each with its parameter count,
 * and beside it where the parameters are, the total and the compute per token.
 */
import { COLORS, SPACE, TYPE } from "./theme.ts";
import { labelsFor, type Lang } from "./lang.ts";
import { formatCompact, formatInt, formatLoss, formatPercent } from "./format.ts";
import { createPicture, cropPicture, drawHeader, fillRoundRect, HEADER_HEIGHT, roundRectPath, toPng } from "./picture.ts";
import { drawText, fitText, setFont, type Ctx } from "./text.ts";
import type { ParameterCounts } from "../model/params.ts";
export type { ParameterCounts } from "../model/params.ts";

export interface ModelCardConfig {
  vocabSize: number;
  blockSize: number;
  nLayer: number;
  nHead: number;
  nEmbd: number;
  bias: boolean;
}

export interface ModelCardInput {
  config: ModelCardConfig;
  counts: ParameterCounts;
  modelName: string;
  lang: Lang;
  stats?: { step?: number; valLoss?: number; tokenizer?: string };
}

const LABELS = {
  en: {
    title: "Inside the model: architecture and parameters",
    shape: (c: ModelCardConfig) =>
      `${c.nLayer} layers · ${c.nHead} heads · ${c.nEmbd}-number vectors · context ${formatInt(c.blockSize)} tokens · vocabulary ${formatInt(c.vocabSize)}`,
    input: (t: number) => `input: up to ${formatInt(t)} token ids`,
    wte: "Token embedding",
    wpe: "Position embedding",
    add: "add",
    block: (n: number) => `Transformer block × ${n}`,
    blockCounts: (each: string, all: string) => `each ${each}, all ${all}`,
    layerNorm: "LayerNorm",
    attn: "Self-attention",
    attnDetail: (h: number, hs: number) => `attn · ${h} heads × ${hs} · Q, K, V and output projection`,
    mlp: "MLP",
    mlpDetail: (c: number) => `mlp · ${c} → ${4 * c} → ${c}, GELU`,
    residual: "+ residual",
    lnf: "Final LayerNorm",
    head: "Output head",
    headDetail: "lm_head · tied to the token embedding: no new parameters",
    output: (v: number) => `output: a probability for each of the ${formatInt(v)} tokens`,
    parameters: "Parameters",
    groups: { embedding: "token embedding", position: "position embedding", attention: "attention", mlp: "MLP", layernorm: "LayerNorm" },
    compute: "Compute per token",
    predictCost: (n: string) => `predict: ≈ ${n} operations (2 × parameters)`,
    trainCost: (n: string) => `train: ≈ ${n} operations (6 × parameters)`,
    training: "Training",
    step: "step",
    valLoss: "validation loss",
    tokenizer: "tokenizer",
    perLayer: "per layer",
  },
  ja: {
    title: "モデルの中身: 構造とパラメータ数",
    shape: (c: ModelCardConfig) =>
      `${c.nLayer}層 · ${c.nHead}ヘッド · ${c.nEmbd}次元のベクトル · 文脈 ${formatInt(c.blockSize)}トークン · 語彙 ${formatInt(c.vocabSize)}`,
    input: (t: number) => `入力: 最大${formatInt(t)}個のトークンID`,
    wte: "トークン埋め込み",
    wpe: "位置埋め込み",
    add: "足す",
    block: (n: number) => `Transformerブロック × ${n}`,
    blockCounts: (each: string, all: string) => `1つあたり ${each}、全体 ${all}`,
    layerNorm: "レイヤー正規化",
    attn: "自己アテンション",
    attnDetail: (h: number, hs: number) => `attn · ${h}ヘッド × ${hs}次元 · Q・K・V と出力の射影`,
    mlp: "MLP（全結合層）",
    mlpDetail: (c: number) => `mlp · ${c} → ${4 * c} → ${c}、GELU`,
    residual: "+ 残差接続",
    lnf: "最終レイヤー正規化",
    head: "出力ヘッド",
    headDetail: "lm_head · トークン埋め込みと重みを共有: 追加パラメータなし",
    output: (v: number) => `出力: ${formatInt(v)}個のトークンそれぞれの確率`,
    parameters: "パラメータ数",
    groups: { embedding: "トークン埋め込み", position: "位置埋め込み", attention: "アテンション", mlp: "MLP", layernorm: "レイヤー正規化" },
    compute: "1トークンあたりの計算量",
    predictCost: (n: string) => `予測: 約${n}回の演算（パラメータ数 × 2）`,
    trainCost: (n: string) => `学習: 約${n}回の演算（パラメータ数 × 6）`,
    training: "学習",
    step: "ステップ",
    valLoss: "検証損失",
    tokenizer: "トークナイザ",
    perLayer: "1層あたり",
  },
};

const WIDTH = 1500;
const DIAGRAM_WIDTH = 800;
const BOX_HEIGHT = 62;
const ARROW_GAP = 30;
const GROUP_COLORS = {
  embedding: COLORS.primary,
  position: "#4fc6c0",
  attention: COLORS.secondary,
  mlp: COLORS.accent,
  layernorm: COLORS.tertiary,
} as const;
type Group = keyof typeof GROUP_COLORS;

export async function renderModelCard(input: ModelCardInput): Promise<Buffer> {
  const text = labelsFor(LABELS, input.lang);
  const { config, counts } = input;
  for (const key of ["vocabSize", "blockSize", "nLayer", "nHead", "nEmbd"] as const) {
    if (!Number.isInteger(config[key]) || config[key] < 1)
      throw new RangeError(`config.${key} must be a positive integer, got ${config[key]}`);
  }
  for (const key of ["embedding", "position", "attention", "mlp", "layernorm", "total"] as const) {
    if (!Number.isFinite(counts[key]) || counts[key] < 0) throw new RangeError(`counts.${key} must be a count ≥ 0, got ${counts[key]}`);
  }
  // drawn on a tall canvas, then cut to what was used
  const picture = createPicture(WIDTH, 1400);
  const { ctx } = picture;
  drawHeader(ctx, { title: text.title, subtitle: `${input.modelName} · ${text.shape(config)}` }, picture.width);
  const bottom = Math.max(drawArchitecture(ctx, input, text), drawParameterTable(ctx, input, text));
  return toPng(cropPicture(picture, bottom + SPACE.margin));
}

type Labels = (typeof LABELS)["en"];

interface BoxSpec {
  title: string;
  detail: string;
  count: number | null;
  group: Group;
}

/** A block of the diagram: coloured edge, title, detail line, count on the right. */
function drawBox(ctx: Ctx, x: number, y: number, w: number, box: BoxSpec, lang: Lang): void {
  fillRoundRect(ctx, x, y, w, BOX_HEIGHT, SPACE.radius, COLORS.panel);
  ctx.fillStyle = GROUP_COLORS[box.group];
  roundRectPath(ctx, x, y, 8, BOX_HEIGHT, 4);
  ctx.fill();
  const countText = box.count === null ? "" : formatInt(box.count);
  setFont(ctx, TYPE.label, "bold");
  const countWidth = box.count === null ? 0 : ctx.measureText(countText).width + 16;
  ctx.fillStyle = COLORS.text;
  drawText(ctx, fitText(ctx, box.title, w - 40 - countWidth), x + 22, y + 21);
  ctx.fillStyle = COLORS.textMuted;
  setFont(ctx, TYPE.small - 2);
  drawText(ctx, fitText(ctx, box.detail, w - 40 - countWidth), x + 22, y + 45);
  if (box.count !== null) {
    setFont(ctx, TYPE.label, "bold");
    ctx.fillStyle = GROUP_COLORS[box.group];
    drawText(ctx, countText, x + w - 16, y + 21, "right");
    // the short form only where it says something the exact number does not
    const compact = formatCompact(box.count, lang);
    if (compact !== countText) {
      setFont(ctx, TYPE.small - 3);
      ctx.fillStyle = COLORS.textDim;
      drawText(ctx, compact, x + w - 16, y + 45, "right");
    }
  }
}

/** A downward arrow between two boxes. */
function arrowDown(ctx: Ctx, x: number, y1: number, y2: number): void {
  ctx.strokeStyle = COLORS.axis;
  ctx.fillStyle = COLORS.axis;
  ctx.lineWidth = 2.5;
  ctx.beginPath();
  ctx.moveTo(x, y1);
  ctx.lineTo(x, y2 - 8);
  ctx.stroke();
  ctx.beginPath();
  ctx.moveTo(x - 7, y2 - 10);
  ctx.lineTo(x + 7, y2 - 10);
  ctx.lineTo(x, y2);
  ctx.closePath();
  ctx.fill();
}

/** Draws the diagram; returns its bottom y. */
function drawArchitecture(ctx: Ctx, input: ModelCardInput, text: Labels): number {
  const { config: c, counts, lang } = input;
  const m = SPACE.margin;
  const left = m;
  const width = DIAGRAM_WIDTH;
  const centreX = left + width / 2;
  const headSize = Math.floor(c.nEmbd / c.nHead);
  const layerNormSize = c.bias ? 2 * c.nEmbd : c.nEmbd;
  // weight (and bias) of C numbers each
  const layerNormShape = c.bias ? `${c.nEmbd} + ${c.nEmbd}` : `${c.nEmbd}`;
  let y = HEADER_HEIGHT;

  ctx.fillStyle = COLORS.textMuted;
  setFont(ctx, TYPE.small);
  drawText(ctx, text.input(c.blockSize), centreX, y + 8, "center");
  y += 26;

  // 1. the two embeddings side by side, added together
  const half = (width - 20) / 2;
  drawBox(
    ctx,
    left,
    y,
    half,
    { title: text.wte, detail: `wte · ${formatInt(c.vocabSize)} × ${c.nEmbd}`, count: counts.embedding, group: "embedding" },
    lang,
  );
  drawBox(
    ctx,
    left + half + 20,
    y,
    half,
    { title: text.wpe, detail: `wpe · ${formatInt(c.blockSize)} × ${c.nEmbd}`, count: counts.position, group: "position" },
    lang,
  );
  y += BOX_HEIGHT;
  arrowDown(ctx, left + half / 2, y, y + 24);
  arrowDown(ctx, left + half + 20 + half / 2, y, y + 24);
  ctx.strokeStyle = COLORS.axis;
  ctx.lineWidth = 2.5;
  ctx.beginPath();
  ctx.moveTo(left + half / 2, y + 24);
  ctx.lineTo(left + half + 20 + half / 2, y + 24);
  ctx.stroke();
  y += 24;
  arrowDown(ctx, centreX, y, y + ARROW_GAP);
  y += ARROW_GAP;

  // 2. the stack of blocks: one block drawn, "× N" on its frame
  const blockTop = y;
  const inner = { x: left + 70, w: width - 90 };
  const attnPer = counts.attention / c.nLayer;
  const mlpPer = counts.mlp / c.nLayer;
  const blockEach = attnPer + mlpPer + 2 * layerNormSize;
  const header = 58;
  const boxes: BoxSpec[] = [
    { title: text.layerNorm, detail: `ln_1 · ${layerNormShape}`, count: layerNormSize, group: "layernorm" },
    { title: text.attn, detail: text.attnDetail(c.nHead, headSize), count: attnPer, group: "attention" },
    { title: text.layerNorm, detail: `ln_2 · ${layerNormShape}`, count: layerNormSize, group: "layernorm" },
    { title: text.mlp, detail: text.mlpDetail(c.nEmbd), count: mlpPer, group: "mlp" },
  ];
  const blockHeight = header + boxes.length * BOX_HEIGHT + (boxes.length - 1) * 22 + 24;
  // stacked "cards" behind the frame suggest the N copies
  for (let k = Math.min(2, c.nLayer - 1); k >= 1; k--) {
    ctx.strokeStyle = COLORS.panelBorder;
    ctx.lineWidth = 2;
    roundRectPath(ctx, left + 8 * k, blockTop - 8 * k, width - 8 * k, blockHeight, 12);
    ctx.stroke();
  }
  ctx.fillStyle = COLORS.background;
  roundRectPath(ctx, left, blockTop, width - 16, blockHeight, 12);
  ctx.fill();
  ctx.strokeStyle = COLORS.axis;
  ctx.lineWidth = 2;
  ctx.stroke();
  setFont(ctx, TYPE.heading, "bold");
  ctx.fillStyle = COLORS.text;
  drawText(ctx, text.block(c.nLayer), left + 20, blockTop + 28);
  setFont(ctx, TYPE.small);
  ctx.fillStyle = COLORS.textMuted;
  drawText(ctx, text.blockCounts(formatInt(blockEach), formatInt(blockEach * c.nLayer)), left + width - 36, blockTop + 29, "right");

  let by = blockTop + header;
  const boxTops: number[] = [];
  boxes.forEach((box, i) => {
    boxTops.push(by);
    drawBox(ctx, inner.x, by, inner.w - 16, box, lang);
    by += BOX_HEIGHT;
    if (i < boxes.length - 1) {
      arrowDown(ctx, inner.x + (inner.w - 16) / 2, by, by + 22);
      by += 22;
    }
  });
  // residual connections: around (ln_1, attn) and around (ln_2, mlp)
  for (const [from, to] of [
    [0, 1],
    [2, 3],
  ] as const) {
    const x = left + 36;
    const yStart = boxTops[from] - 6;
    const yEnd = boxTops[to] + BOX_HEIGHT / 2;
    ctx.strokeStyle = COLORS.textDim;
    ctx.lineWidth = 2;
    ctx.beginPath();
    ctx.moveTo(inner.x, yStart);
    ctx.lineTo(x, yStart);
    ctx.lineTo(x, yEnd);
    ctx.lineTo(inner.x - 4, yEnd);
    ctx.stroke();
    ctx.fillStyle = COLORS.textDim;
    ctx.beginPath();
    ctx.moveTo(inner.x - 12, yEnd - 6);
    ctx.lineTo(inner.x - 2, yEnd);
    ctx.lineTo(inner.x - 12, yEnd + 6);
    ctx.closePath();
    ctx.fill();
  }
  setFont(ctx, TYPE.small - 2);
  ctx.fillStyle = COLORS.textDim;
  ctx.save();
  ctx.translate(left + 22, (boxTops[0] + boxTops[3] + BOX_HEIGHT) / 2);
  ctx.rotate(-Math.PI / 2);
  drawText(ctx, text.residual, 0, 0, "center");
  ctx.restore();
  y = blockTop + blockHeight;

  // 3. final LayerNorm, output head, output
  arrowDown(ctx, centreX, y, y + ARROW_GAP);
  y += ARROW_GAP;
  drawBox(
    ctx,
    left,
    y,
    width - 16,
    { title: text.lnf, detail: `ln_f · ${layerNormShape}`, count: layerNormSize, group: "layernorm" },
    lang,
  );
  y += BOX_HEIGHT;
  arrowDown(ctx, centreX, y, y + ARROW_GAP);
  y += ARROW_GAP;
  drawBox(ctx, left, y, width - 16, { title: text.head, detail: text.headDetail, count: 0, group: "embedding" }, lang);
  y += BOX_HEIGHT;
  arrowDown(ctx, centreX, y, y + ARROW_GAP);
  y += ARROW_GAP;
  ctx.fillStyle = COLORS.textMuted;
  setFont(ctx, TYPE.small);
  drawText(ctx, text.output(c.vocabSize), centreX, y + 10, "center");
  return y + 24;
}

/** Right column: the total, one bar per group, compute per token, training stats; returns its bottom y. */
function drawParameterTable(ctx: Ctx, input: ModelCardInput, text: Labels): number {
  const { counts, lang } = input;
  const m = SPACE.margin;
  const left = m + DIAGRAM_WIDTH + 50;
  const width = WIDTH - m - left;
  let y = HEADER_HEIGHT + 10;

  setFont(ctx, TYPE.heading, "bold");
  ctx.fillStyle = COLORS.textMuted;
  drawText(ctx, text.parameters, left, y + TYPE.heading / 2);
  y += TYPE.heading + 28;
  setFont(ctx, 56, "bold");
  ctx.fillStyle = COLORS.text;
  drawText(ctx, fitText(ctx, formatInt(counts.total), width), left, y + 10);
  y += 50;
  if (formatCompact(counts.total, lang) !== formatInt(counts.total)) {
    setFont(ctx, TYPE.label);
    ctx.fillStyle = COLORS.textMuted;
    drawText(ctx, `≈ ${formatCompact(counts.total, lang)}`, left, y + 6);
  }
  y += 48;

  const groups: Group[] = ["embedding", "position", "attention", "mlp", "layernorm"];
  const total = counts.total > 0 ? counts.total : 1;
  for (const group of groups) {
    const value = counts[group];
    setFont(ctx, TYPE.label);
    ctx.fillStyle = COLORS.text;
    drawText(ctx, text.groups[group], left, y + 12);
    setFont(ctx, TYPE.label, "bold");
    drawText(ctx, formatInt(value), left + width, y + 12, "right");
    y += 32;
    ctx.fillStyle = COLORS.track;
    ctx.fillRect(left, y, width - 80, 14);
    ctx.fillStyle = GROUP_COLORS[group];
    ctx.fillRect(left, y, Math.max(0, Math.min(1, value / total)) * (width - 80), 14);
    setFont(ctx, TYPE.small);
    ctx.fillStyle = COLORS.textMuted;
    drawText(ctx, formatPercent(value / total), left + width, y + 7, "right");
    y += 40;
  }

  y += 10;
  setFont(ctx, TYPE.label, "bold");
  ctx.fillStyle = COLORS.textMuted;
  drawText(ctx, text.compute, left, y + 10);
  y += TYPE.label + 14;
  setFont(ctx, TYPE.small);
  for (const line of [text.predictCost(formatCompact(2 * counts.total, lang)), text.trainCost(formatCompact(6 * counts.total, lang))]) {
    drawText(ctx, fitText(ctx, line, width), left, y + 10);
    y += TYPE.small + 12;
  }

  const stats = input.stats;
  if (stats && (stats.step !== undefined || stats.valLoss !== undefined || stats.tokenizer !== undefined)) {
    y += 30;
    setFont(ctx, TYPE.heading, "bold");
    ctx.fillStyle = COLORS.textMuted;
    drawText(ctx, text.training, left, y + TYPE.heading / 2);
    y += TYPE.heading + 20;
    const rows: [string, string][] = [];
    if (stats.step !== undefined) rows.push([text.step, formatInt(stats.step)]);
    if (stats.valLoss !== undefined) rows.push([text.valLoss, formatLoss(stats.valLoss)]);
    if (stats.tokenizer !== undefined) rows.push([text.tokenizer, stats.tokenizer]);
    for (const [name, value] of rows) {
      setFont(ctx, TYPE.label);
      ctx.fillStyle = COLORS.textMuted;
      drawText(ctx, name, left, y + 12);
      ctx.fillStyle = COLORS.text;
      setFont(ctx, TYPE.label, "bold");
      drawText(ctx, fitText(ctx, value, width * 0.55), left + width, y + 12, "right");
      y += 38;
    }
  }
  return y;
}
