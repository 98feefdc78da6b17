/**
 * Tokenization: the text cut into tokens, drawn as coloured chips (neighbours alternate
 * colours so the cuts are visible) with each token's id under it, wrapping like text.
 * A newline token ends its line, as the newline does in the text.
 */
import { CHIP_COLORS, COLORS, SPACE, TYPE } from "./theme.ts";
import { labelsFor, type Lang } from "./lang.ts";
import { formatInt } from "./format.ts";
import { pieceLegend } from "./piece-legend.ts";
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
import { drawText, fitText, setFont, textWidth, visibleToken, wrapText } from "./text.ts";

export interface TokenPiece {
  /** the token's id in the vocabulary */
  id: number;
  /** the text it stands for */
  text: string;
}

export interface TokensInput {
  text: string;
  tokens: TokenPiece[];
  modelName: string;
  lang: Lang;
  vocabSize?: number;
}

const LABELS = {
  en: {
    title: "How the model reads your text: tokens",
    counts: (chars: number, tokens: number) =>
      `${formatInt(chars)} ${chars === 1 ? "character" : "characters"} → ${formatInt(tokens)} ${tokens === 1 ? "token" : "tokens"}`,
    ratio: (r: string) => `${r} characters per token`,
    vocab: (v: number) => `vocabulary of ${formatInt(v)} tokens`,
    legend: "Each chip is one token; the number under it is the token's id, the row of the embedding table the model looks up.",
    truncated: (shown: number, total: number) => `Showing the first ${formatInt(shown)} of ${formatInt(total)} tokens.`,
    empty: "No tokens: the text is empty.",
  },
  ja: {
    title: "モデルが文章を読む単位: トークン",
    counts: (chars: number, tokens: number) => `${formatInt(chars)}文字 → ${formatInt(tokens)}トークン`,
    ratio: (r: string) => `1トークンあたり${r}文字`,
    vocab: (v: number) => `語彙 ${formatInt(v)}トークン`,
    legend: "チップ1つが1トークンです。下の数字はトークンID（モデルが参照する埋め込み表の行番号）です。",
    truncated: (shown: number, total: number) => `${formatInt(total)}トークン中、最初の${formatInt(shown)}トークンを表示`,
    empty: "トークンがありません（テキストが空です）。",
  },
};

const WIDTH = 1400;
const CHIP_GAP = 6;
const CHIP_PAD = 10;
const CHIP_HEIGHT = 62;
const LINE_HEIGHT = CHIP_HEIGHT + 12;
/** Most chip lines drawn; longer texts are cut with a note. */
export const MAX_TOKEN_LINES = 20;

export interface ChipBox {
  index: number;
  x: number;
  y: number;
  width: number;
  label: string;
}

export interface TokensLayout {
  width: number;
  height: number;
  chips: ChipBox[];
  /** tokens drawn (the first `shownCount`) */
  shownCount: number;
  legendLines: string[];
  chipsTop: number;
}

export function tokensLayout(input: TokensInput): TokensLayout {
  const m = SPACE.margin;
  const contentWidth = WIDTH - 2 * m;
  const ctx = measuringContext();
  setFont(ctx, TYPE.small);
  const pieces = pieceLegend(
    input.tokens.map((t) => t.text),
    input.lang,
  );
  const legend = pieces === null ? labelsFor(LABELS, input.lang).legend : `${labelsFor(LABELS, input.lang).legend} ${pieces}`;
  const legendLines = wrapText(ctx, legend, contentWidth);
  const chipsTop = HEADER_HEIGHT + legendLines.length * (TYPE.small + 8) + 16;

  const chips: ChipBox[] = [];
  let x = m;
  let line = 0;
  for (let i = 0; i < input.tokens.length; i++) {
    const token = input.tokens[i];
    setFont(ctx, TYPE.body);
    const label = fitText(ctx, visibleToken(token.text), contentWidth - 2 * CHIP_PAD);
    const labelWidth = textWidth(ctx, label);
    setFont(ctx, TYPE.small - 3);
    const idWidth = textWidth(ctx, String(token.id));
    const width = Math.max(34, Math.ceil(Math.max(labelWidth, idWidth)) + 2 * CHIP_PAD);
    if (x + width > m + contentWidth && x > m) {
      x = m;
      line++;
    }
    if (line >= MAX_TOKEN_LINES) break;
    chips.push({ index: i, x, y: chipsTop + line * LINE_HEIGHT, width, label });
    x += width + CHIP_GAP;
    // a newline token ends its line, like the newline in the text
    if (token.text.endsWith("\n")) {
      x = m;
      line++;
    }
  }
  const lines = chips.length > 0 ? Math.round((chips[chips.length - 1].y - chipsTop) / LINE_HEIGHT) + 1 : 0;
  const truncated = chips.length < input.tokens.length;
  return {
    width: WIDTH,
    height: chipsTop + lines * LINE_HEIGHT + (truncated ? TYPE.small + 20 : 0) + m,
    chips,
    shownCount: chips.length,
    legendLines,
    chipsTop,
  };
}

export async function renderTokens(input: TokensInput): Promise<Buffer> {
  const text = labelsFor(LABELS, input.lang);
  const charCount = [...input.text].length;
  const parts = [input.modelName, text.counts(charCount, input.tokens.length)];
  if (input.tokens.length > 0) parts.push(text.ratio((charCount / input.tokens.length).toFixed(2)));
  if (input.vocabSize !== undefined) parts.push(text.vocab(input.vocabSize));
  const header = { title: text.title, subtitle: parts.join(" · ") };
  if (input.tokens.length === 0) return renderNothingToShow(header, text.empty);

  const layout = tokensLayout(input);
  const picture = createPicture(layout.width, layout.height);
  const { ctx } = picture;
  const m = SPACE.margin;
  drawHeader(ctx, header, picture.width);
  ctx.fillStyle = COLORS.textMuted;
  setFont(ctx, TYPE.small);
  layout.legendLines.forEach((line, i) => drawText(ctx, line, m, HEADER_HEIGHT + (i + 0.5) * (TYPE.small + 8) - 8));

  for (const chip of layout.chips) {
    fillRoundRect(ctx, chip.x, chip.y, chip.width, CHIP_HEIGHT, 7, CHIP_COLORS[chip.index % CHIP_COLORS.length]);
    ctx.fillStyle = COLORS.text;
    setFont(ctx, TYPE.body);
    drawText(ctx, chip.label, chip.x + chip.width / 2, chip.y + 22, "center");
    ctx.fillStyle = "rgba(236,238,243,0.72)";
    setFont(ctx, TYPE.small - 3);
    drawText(ctx, String(input.tokens[chip.index].id), chip.x + chip.width / 2, chip.y + 48, "center");
  }
  if (layout.shownCount < input.tokens.length) {
    const y = picture.height - m - TYPE.small / 2;
    drawNote(ctx, text.truncated(layout.shownCount, input.tokens.length), m, y, picture.width - 2 * m);
  }
  return toPng(picture);
}
