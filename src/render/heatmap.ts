/**
 * Drawing pieces of the attention pictures: a causal attention matrix as coloured cells
 * (the future, key > query, hatched grey and empty) and the colour scale bar.
 */
import { heatColor, heatRgb, luminance } from "./colormap.ts";
import { niceScale } from "./axis.ts";
import { decimalsFor } from "./format.ts";
import { COLORS, TYPE } from "./theme.ts";
import { drawText, fitText, setFont, type Ctx } from "./text.ts";

/** Where a matrix of n×n cells sits: top-left corner and cell pitch (px). */
export interface MatrixGeometry {
  x: number;
  y: number;
  /** pitch of one cell, gap included */
  cell: number;
  /** number of rows = columns */
  n: number;
}

/** Space between neighbouring cells for a given pitch. */
export function cellGap(cell: number): number {
  return cell >= 16 ? 2 : cell >= 6 ? 1 : 0;
}

/** Centre of cell (row, col) in picture pixels. */
export function cellCentre(g: MatrixGeometry, row: number, col: number): { x: number; y: number } {
  const inner = g.cell - cellGap(g.cell);
  return { x: g.x + col * g.cell + inner / 2, y: g.y + row * g.cell + inner / 2 };
}

export interface MatrixStyle {
  /** write each weight inside its cell (only sensible for big cells) */
  showValues: boolean;
}

/**
 * Draws the matrix. `valueAt(row, col)` is only asked for visible cells (col ≤ row);
 * colour = value / max on the heat scale.
 */
export function drawAttentionMatrix(
  ctx: Ctx,
  g: MatrixGeometry,
  valueAt: (row: number, col: number) => number,
  max: number,
  style: MatrixStyle = { showValues: false },
): void {
  const gap = cellGap(g.cell);
  const inner = g.cell - gap;
  const scale = max > 0 ? 1 / max : 1;
  // 1. visible cells: key ≤ query
  for (let row = 0; row < g.n; row++) {
    for (let col = 0; col <= row; col++) {
      ctx.fillStyle = heatColor(valueAt(row, col) * scale);
      ctx.fillRect(g.x + col * g.cell, g.y + row * g.cell, inner, inner);
    }
  }
  // 2. masked cells: key > query, flat grey with a diagonal hatch drawn through a clip
  ctx.fillStyle = COLORS.mask;
  ctx.save();
  ctx.beginPath();
  for (let row = 0; row < g.n; row++) {
    for (let col = row + 1; col < g.n; col++) ctx.rect(g.x + col * g.cell, g.y + row * g.cell, inner, inner);
  }
  ctx.fill();
  if (inner >= 8) {
    ctx.clip();
    ctx.strokeStyle = COLORS.maskHatch;
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    const size = g.n * g.cell;
    for (let d = -size; d < size; d += 8) {
      ctx.moveTo(g.x + d, g.y + size);
      ctx.lineTo(g.x + d + size, g.y);
    }
    ctx.stroke();
  }
  ctx.restore();
  // 3. the numbers, dark on bright cells and light on dark ones
  if (style.showValues) {
    setFont(ctx, Math.min(22, Math.floor(inner * 0.3)));
    for (let row = 0; row < g.n; row++) {
      for (let col = 0; col <= row; col++) {
        const value = valueAt(row, col);
        ctx.fillStyle = luminance(heatRgb(value * scale)) > 0.3 ? COLORS.accentText : COLORS.text;
        const centre = cellCentre(g, row, col);
        drawText(ctx, value.toFixed(2), centre.x, centre.y, "center");
      }
    }
  }
}

/** Width the scale bar and its numbers take. */
export const SCALE_BAR_WIDTH = 150;

/**
 * A vertical colour bar from 0 (bottom) to max (top) with tick numbers, and below it a
 * swatch explaining the masked colour.
 */
export function drawScaleBar(ctx: Ctx, x: number, y: number, height: number, max: number, maskLabel: string): void {
  const barWidth = 26;
  const top = max > 0 ? max : 1;
  for (let i = 0; i < height; i++) {
    ctx.fillStyle = heatColor(1 - i / (height - 1));
    ctx.fillRect(x, y + i, barWidth, 1);
  }
  ctx.strokeStyle = COLORS.axis;
  ctx.lineWidth = 1;
  ctx.strokeRect(x - 0.5, y - 0.5, barWidth + 1, height + 1);

  // ticks at nice values below max, and max itself at the top
  setFont(ctx, TYPE.small);
  ctx.fillStyle = COLORS.textMuted;
  const scale = niceScale(0, top, 5);
  const yOf = (v: number) => y + height - (v / top) * height;
  // all numbers with the same decimals, at least 2 (attention weights are fractions)
  const decimals = Math.max(2, decimalsFor(scale.step));
  const drawTick = (v: number, label: string) => {
    const ty = yOf(v);
    ctx.fillRect(x + barWidth, Math.round(ty) - 1, 6, 2);
    drawText(ctx, label, x + barWidth + 10, ty);
  };
  for (const v of scale.ticks) {
    if (v > top || yOf(v) - yOf(top) < TYPE.small * 1.2) continue;
    drawTick(v, v.toFixed(decimals));
  }
  drawTick(top, top.toFixed(decimals));

  // mask swatch
  const swatchY = y + height + 24;
  ctx.fillStyle = COLORS.mask;
  ctx.fillRect(x, swatchY, barWidth, barWidth);
  ctx.strokeStyle = COLORS.maskHatch;
  ctx.lineWidth = 1.5;
  ctx.save();
  ctx.beginPath();
  ctx.rect(x, swatchY, barWidth, barWidth);
  ctx.clip();
  ctx.beginPath();
  for (let d = -barWidth; d < barWidth; d += 8) {
    ctx.moveTo(x + d, swatchY + barWidth);
    ctx.lineTo(x + d + barWidth, swatchY);
  }
  ctx.stroke();
  ctx.restore();
  ctx.fillStyle = COLORS.textMuted;
  drawText(ctx, fitText(ctx, maskLabel, SCALE_BAR_WIDTH - barWidth - 10), x + barWidth + 10, swatchY + barWidth / 2);
}

/** Height the scale bar block needs below its bar (the mask swatch). */
export const SCALE_BAR_FOOTER = 24 + 26;
