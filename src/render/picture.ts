/**
 * The frame shared by every picture: canvas creation on the theme background, the header
 * (what it shows + which model), notes, rounded boxes, the "nothing to show" picture and
 * PNG encoding.
 */
import { createCanvas, type Canvas } from "@napi-rs/canvas";
import { registerFonts } from "./fonts.ts";
import { COLORS, MAX_HEIGHT, MAX_WIDTH, SPACE, TYPE } from "./theme.ts";
import { drawText, fitText, setFont, wrapText, type Ctx } from "./text.ts";

export interface Picture {
  canvas: Canvas;
  ctx: Ctx;
  width: number;
  height: number;
}

/** A blank picture on the theme background (sizes are clamped to the theme's limits). */
export function createPicture(width: number, height: number): Picture {
  registerFonts();
  const w = Math.max(200, Math.min(MAX_WIDTH, Math.round(width)));
  const h = Math.max(120, Math.min(MAX_HEIGHT, Math.round(height)));
  const canvas = createCanvas(w, h);
  const ctx = canvas.getContext("2d");
  ctx.fillStyle = COLORS.background;
  ctx.fillRect(0, 0, w, h);
  return { canvas, ctx, width: w, height: h };
}

let scratch: Ctx | undefined;

/** A context for measuring text before the real canvas size is known. */
export function measuringContext(): Ctx {
  registerFonts();
  scratch ??= createCanvas(16, 16).getContext("2d");
  return scratch;
}

/**
 * The top `height` pixels of a picture, for pictures drawn on a tall canvas first
 * because their height is only known after drawing.
 */
export function cropPicture(picture: Picture, height: number): Picture {
  const cropped = createPicture(picture.width, Math.min(picture.height, Math.ceil(height)));
  cropped.ctx.drawImage(picture.canvas, 0, 0);
  return cropped;
}

/** PNG bytes (encoded off the main thread by the canvas library). */
export async function toPng(picture: Picture): Promise<Buffer> {
  return picture.canvas.encode("png");
}

export interface Header {
  /** what the picture shows, e.g. "Attention — layer 0, head 1" */
  title: string;
  /** which model and any detail, e.g. "default model · 12 tokens" */
  subtitle: string;
}

/** Height the header takes, including the gap below it. */
export const HEADER_HEIGHT = SPACE.margin + TYPE.title + 14 + TYPE.subtitle + SPACE.headerGap;

/** Draws title and subtitle at the top; returns the y where content starts. */
export function drawHeader(ctx: Ctx, header: Header, width: number): number {
  const maxWidth = width - 2 * SPACE.margin;
  let y = SPACE.margin + TYPE.title / 2;
  ctx.fillStyle = COLORS.text;
  setFont(ctx, TYPE.title, "bold");
  drawText(ctx, fitText(ctx, header.title, maxWidth), SPACE.margin, y);
  y += TYPE.title / 2 + 14 + TYPE.subtitle / 2;
  ctx.fillStyle = COLORS.textMuted;
  setFont(ctx, TYPE.subtitle);
  drawText(ctx, fitText(ctx, header.subtitle, maxWidth), SPACE.margin, y);
  return HEADER_HEIGHT;
}

/** A muted one-line note (e.g. "showing the last 48 of 200 tokens"), truncated to fit. */
export function drawNote(ctx: Ctx, text: string, x: number, y: number, maxWidth: number, size: number = TYPE.small): void {
  ctx.fillStyle = COLORS.textMuted;
  setFont(ctx, size);
  drawText(ctx, fitText(ctx, text, maxWidth), x, y);
}

/** Adds a rounded-rectangle path (fill or stroke it afterwards). */
export function roundRectPath(ctx: Ctx, x: number, y: number, w: number, h: number, r: number): void {
  const radius = Math.max(0, Math.min(r, w / 2, h / 2));
  ctx.beginPath();
  ctx.moveTo(x + radius, y);
  ctx.arcTo(x + w, y, x + w, y + h, radius);
  ctx.arcTo(x + w, y + h, x, y + h, radius);
  ctx.arcTo(x, y + h, x, y, radius);
  ctx.arcTo(x, y, x + w, y, radius);
  ctx.closePath();
}

export function fillRoundRect(ctx: Ctx, x: number, y: number, w: number, h: number, r: number, color: string): void {
  ctx.fillStyle = color;
  roundRectPath(ctx, x, y, w, h, r);
  ctx.fill();
}

/**
 * The picture for empty input: the usual header and a centred message. Every render
 * function returns this (instead of throwing) when it has nothing to draw, so a bot
 * command can always post something that explains itself.
 */
export async function renderNothingToShow(header: Header, message: string, width = 1200): Promise<Buffer> {
  const measure = measuringContext();
  setFont(measure, TYPE.heading);
  const lines = wrapText(measure, message, width - 4 * SPACE.margin).slice(0, 4);
  const boxHeight = lines.length * (TYPE.heading + 12) + 2 * SPACE.margin;
  const picture = createPicture(width, HEADER_HEIGHT + boxHeight + SPACE.margin);
  const { ctx } = picture;
  const top = drawHeader(ctx, header, picture.width);
  fillRoundRect(ctx, SPACE.margin, top, picture.width - 2 * SPACE.margin, boxHeight, SPACE.radius, COLORS.panel);
  ctx.fillStyle = COLORS.textMuted;
  setFont(ctx, TYPE.heading);
  lines.forEach((line, i) => {
    drawText(ctx, line, picture.width / 2, top + SPACE.margin + (i + 0.5) * (TYPE.heading + 12), "center");
  });
  return toPng(picture);
}
