/**
 * The neurons of one token: the text as a strip of tokens with the token read outlined (with a
 * neuron named, each token filled with that neuron's value there), then one row per layer with
 * its strongest neurons at the token, each cell filled by its value (heat colour, scaled to the
 * largest value shown), and under the grid each layer's strongest neuron's best context from
 * the training text, its firing token in brackets.
 */
import { heatColor, heatRgb, luminance } from "./colormap.ts";
import { labelsFor, type Lang } from "./lang.ts";
import { createPicture, drawHeader, drawNote, HEADER_HEIGHT, measuringContext, renderNothingToShow, toPng } from "./picture.ts";
import { pieceLegend } from "./piece-legend.ts";
import { drawText, fitText, setFont, textWidth, visibleText, visibleToken, wrapText } from "./text.ts";
import { COLORS, SPACE, TYPE } from "./theme.ts";

export interface NeuronCell {
  index: number;
  value: number;
}

export interface NeuronsPictureInput {
  /** the input tokens' labels [T] */
  tokens: string[];
  /** the position read */
  position: number;
  /** per layer, its strongest neurons at the position */
  layers: NeuronCell[][];
  /** per layer, the best context of its strongest neuron (null: none to show) */
  contexts: ({ before: string; token: string; after: string } | null)[];
  /** a neuron named: its layer, index and value at every token */
  along: { layer: number; index: number; values: number[] } | null;
  /** a sentence about the contexts (being read, none known), or null */
  contextNote: string | null;
  modelName: string;
  lang: Lang;
}

const LABELS = {
  en: {
    title: "Neurons · what fires in each layer's MLP",
    subtitle: (model: string, token: string) => `${model} · at “${token}”`,
    layer: (l: number) => `layer ${l}`,
    neuron: (l: number, i: number) => `neuron ${l}.${i}`,
    along: "its value along the text",
    contexts: "Each layer's strongest neuron, where it fired most in the training text:",
    legend:
      "A neuron is one of the MLP's 4C values after the GELU, h = GELU(ln_2(x) · W_fcᵀ + b_fc). Each cell is a neuron of that layer, named by its index, with its value at the outlined token; colour = the value against the largest one shown.",
    empty: "No tokens to show: give the model some text first.",
  },
  ja: {
    title: "ニューロン · 各レイヤーの MLP で発火しているもの",
    subtitle: (model: string, token: string) => `${model} · 「${token}」で`,
    layer: (l: number) => `レイヤー${l}`,
    neuron: (l: number, i: number) => `ニューロン ${l}.${i}`,
    along: "文章に沿った値",
    contexts: "各レイヤーで最も強いニューロンが、学習テキストで最も強く発火した箇所:",
    legend:
      "ニューロンは MLP の GELU の後の 4C 個の値の 1 つです: h = GELU(ln_2(x) · W_fcᵀ + b_fc)。各マスはそのレイヤーのニューロン（番号）で、枠で囲んだトークンでの値を示します。色は表示中の最大値に対する大きさです。",
    empty: "表示するトークンがありません。先にテキストを入力してください。",
  },
};

const WIDTH = 1400;
const LABEL_WIDTH = 150;
const STRIP_HEIGHT = 54;
const CELL_HEIGHT = 58;
const CELL_GAP = 4;
/** most tokens drawn in the strip (the last ones, which hold the token read when it is the last) */
const MAX_STRIP_TOKENS = 16;

export interface NeuronsLayout {
  width: number;
  height: number;
  stripY: number;
  firstToken: number;
  stripTokens: number;
  stripCellWidth: number;
  gridX: number;
  gridY: number;
  cellWidth: number;
  contextsY: number;
  noteLines: string[];
  footerY: number;
}

export function neuronsLayout(input: NeuronsPictureInput): NeuronsLayout {
  const m = SPACE.margin;
  const T = input.tokens.length;
  const stripTokens = Math.min(T, MAX_STRIP_TOKENS);
  // the strip ends at the position read, or at the text's end when it is near it
  const firstToken = Math.max(0, Math.min(T - stripTokens, input.position - Math.floor(stripTokens / 2)));
  const gridX = m + LABEL_WIDTH;
  const k = Math.max(1, ...input.layers.map((l) => l.length));
  const stripY = HEADER_HEIGHT + (input.along ? 34 : 0);
  const gridY = stripY + STRIP_HEIGHT + 30;
  const contextsY = gridY + input.layers.length * CELL_HEIGHT + 36;
  const ctx = measuringContext();
  setFont(ctx, TYPE.small);
  const notes = [LABELS[input.lang].legend, input.contextNote, pieceLegend(input.tokens, input.lang)];
  const noteLines = notes.filter((n): n is string => n !== null).flatMap((n) => wrapText(ctx, n, WIDTH - 2 * m));
  const contextRows = input.contexts.some((c) => c !== null) ? 1 + input.layers.length : 0;
  const footerY = contextsY + contextRows * (TYPE.label + 14) + 20;
  return {
    width: WIDTH,
    height: footerY + noteLines.length * (TYPE.small + 10) + m,
    stripY,
    firstToken,
    stripTokens,
    stripCellWidth: Math.floor((WIDTH - m - gridX) / Math.max(1, stripTokens)),
    gridX,
    gridY,
    cellWidth: Math.floor((WIDTH - m - gridX) / k),
    contextsY,
    noteLines,
    footerY,
  };
}

/** The cell of layer l's i-th neuron in picture pixels (gap excluded). */
export function neuronCellRect(layout: NeuronsLayout, layer: number, i: number): { x: number; y: number; w: number; h: number } {
  return {
    x: layout.gridX + i * layout.cellWidth,
    y: layout.gridY + layer * CELL_HEIGHT,
    w: layout.cellWidth - CELL_GAP,
    h: CELL_HEIGHT - CELL_GAP,
  };
}

/** The strip's cell of token t (null when it is not drawn). */
export function stripCellRect(layout: NeuronsLayout, t: number): { x: number; y: number; w: number; h: number } | null {
  const c = t - layout.firstToken;
  if (c < 0 || c >= layout.stripTokens) return null;
  return { x: layout.gridX + c * layout.stripCellWidth, y: layout.stripY, w: layout.stripCellWidth - CELL_GAP, h: STRIP_HEIGHT - CELL_GAP };
}

/** A value against the largest: 0 for values at or under 0 (GELU's small negatives), 1 for the largest. */
const scaled = (v: number, max: number) => (max > 0 ? Math.max(0, Math.min(1, v / max)) : 0);

export async function renderNeurons(input: NeuronsPictureInput): Promise<Buffer> {
  const text = labelsFor(LABELS, input.lang);
  const header = { title: text.title, subtitle: text.subtitle(input.modelName, visibleToken(input.tokens[input.position] ?? "")) };
  if (input.tokens.length === 0 || input.layers.length === 0) return renderNothingToShow(header, text.empty);
  const layout = neuronsLayout(input);
  const picture = createPicture(layout.width, layout.height);
  const { ctx } = picture;
  const m = SPACE.margin;
  drawHeader(ctx, header, picture.width);

  // 1. the strip of tokens; with a neuron named, filled by its value
  const alongMax = input.along ? Math.max(...input.along.values) : 0;
  if (input.along) {
    setFont(ctx, TYPE.label, "bold");
    ctx.fillStyle = COLORS.text;
    drawText(ctx, `${text.neuron(input.along.layer, input.along.index)} · ${text.along}`, layout.gridX, layout.stripY - 18);
  }
  for (let t = layout.firstToken; t < layout.firstToken + layout.stripTokens; t++) {
    const r = stripCellRect(layout, t)!;
    const heat = input.along ? scaled(input.along.values[t], alongMax) : null;
    ctx.fillStyle = heat === null ? COLORS.panel : heatColor(heat);
    ctx.fillRect(r.x, r.y, r.w, r.h);
    ctx.fillStyle = heat !== null && luminance(heatRgb(heat)) > 0.3 ? COLORS.accentText : COLORS.text;
    setFont(ctx, TYPE.label, t === input.position ? "bold" : "normal");
    drawText(ctx, fitText(ctx, visibleToken(input.tokens[t]), r.w - 8), r.x + r.w / 2, r.y + r.h / 2, "center");
    if (t === input.position) {
      ctx.strokeStyle = COLORS.accent;
      ctx.lineWidth = 3;
      ctx.strokeRect(r.x - 2, r.y - 2, r.w + 4, r.h + 4);
    }
  }

  // 2. one row per layer: its strongest neurons, filled by value against the largest shown
  const max = Math.max(0, ...input.layers.flat().map((c) => c.value));
  input.layers.forEach((cells, l) => {
    setFont(ctx, TYPE.label);
    ctx.fillStyle = COLORS.textMuted;
    drawText(ctx, text.layer(l), m, layout.gridY + l * CELL_HEIGHT + (CELL_HEIGHT - CELL_GAP) / 2);
    cells.forEach((cell, i) => {
      const r = neuronCellRect(layout, l, i);
      const heat = scaled(cell.value, max);
      ctx.fillStyle = heatColor(heat);
      ctx.fillRect(r.x, r.y, r.w, r.h);
      ctx.fillStyle = luminance(heatRgb(heat)) > 0.3 ? COLORS.accentText : COLORS.text;
      setFont(ctx, TYPE.label, "bold");
      drawText(ctx, `#${cell.index}`, r.x + r.w / 2, r.y + r.h / 2 - 10, "center");
      setFont(ctx, TYPE.small - 2);
      drawText(ctx, cell.value.toFixed(2), r.x + r.w / 2, r.y + r.h / 2 + 14, "center");
    });
  });

  // 3. the best context of each layer's strongest neuron
  if (input.contexts.some((c) => c !== null)) {
    setFont(ctx, TYPE.label, "bold");
    ctx.fillStyle = COLORS.text;
    drawText(ctx, text.contexts, m, layout.contextsY);
    input.contexts.forEach((c, l) => {
      const y = layout.contextsY + (l + 1) * (TYPE.label + 14);
      const top = input.layers[l][0];
      setFont(ctx, TYPE.label);
      ctx.fillStyle = COLORS.textMuted;
      drawText(ctx, top ? `${l}.${top.index}` : text.layer(l), m, y);
      if (!c) return;
      // before · the token that fired (bold, accent) · after, cut to the width left
      const before = visibleText(`…${c.before}`);
      const fired = visibleText(c.token);
      let x = layout.gridX;
      ctx.fillStyle = COLORS.text;
      drawText(ctx, before, x, y);
      x += textWidth(ctx, before);
      setFont(ctx, TYPE.label, "bold");
      ctx.fillStyle = COLORS.accent;
      drawText(ctx, fired, x, y);
      x += textWidth(ctx, fired);
      setFont(ctx, TYPE.label);
      ctx.fillStyle = COLORS.text;
      drawText(ctx, fitText(ctx, visibleText(`${c.after}…`), Math.max(0, WIDTH - m - x)), x, y);
    });
  }

  // 4. what it shows
  layout.noteLines.forEach((l, i) => drawNote(ctx, l, m, layout.footerY + i * (TYPE.small + 10), picture.width - 2 * m));
  return toPng(picture);
}
