/**
 * A slice of the loss surface: the loss over a grid of two parameters (the rest fixed),
 * drawn as a shaded map with contour lines (lines of equal loss, like a hiking map's height
 * lines), the paths that gradient descent took from a starting point, and next to it each
 * path's loss step by step.
 *
 * Contours come from marching squares over the grid; the shading is bilinear between grid
 * points. Dark = low loss (the valley), light = high loss.
 */
import { COLORS, SPACE, TYPE } from "./theme.ts";
import { createPicture, drawHeader, drawNote, fillRoundRect, HEADER_HEIGHT, toPng } from "./picture.ts";
import { drawChart, NOTE_LINE, wrapNotes, type Rect } from "./explain-chart.ts";
import { drawText, fitText, setFont, textWidth, type Ctx } from "./text.ts";
import { formatTick } from "./format.ts";
import { niceScale } from "./axis.ts";

export interface LossGrid {
  /** parameter 1 values, increasing (columns) */
  xs: number[];
  /** parameter 2 values, increasing (rows) */
  ys: number[];
  /** loss at (xs[i], ys[j]) is values[j * xs.length + i] */
  values: ArrayLike<number>;
}

export interface DescentPath {
  label: string;
  /** parameter values after 0, 1, 2, … steps */
  points: [number, number][];
  /** the loss at each of those points */
  losses: number[];
}

export interface MapMarker {
  x: number;
  y: number;
  label: string;
  kind: "start" | "model" | "minimum";
}

export interface ContoursInput {
  title: string;
  subtitle: string;
  mapHeading: string;
  xLabel: string;
  yLabel: string;
  grid: LossGrid;
  /** up to three paths: drawn green, blue, pink */
  paths: DescentPath[];
  markers?: MapMarker[];
  /** the right-hand chart of loss per step */
  lossChart: { heading: string; xLabel: string; yLabel: string };
  /** "dark = low loss" style legend under the map: low and high ends */
  shadeLegend: { low: string; high: string };
  notes?: string[];
}

export const PATH_COLORS = [COLORS.tertiary, COLORS.primary, COLORS.secondary] as const;
const WIDTH = 1560;
const MAP_SIZE = 720;
const LEVELS = 14;

export interface ContoursLayout {
  map: Rect;
  chart: Rect;
  width: number;
  height: number;
  /** pixel of a parameter pair on the map */
  toPixel(x: number, y: number): { x: number; y: number };
}

export function contoursLayout(input: ContoursInput): ContoursLayout {
  const m = SPACE.margin;
  const mapLeft = m + TYPE.label + 80;
  const mapTop = HEADER_HEIGHT + TYPE.heading + 26;
  const map = { left: mapLeft, top: mapTop, width: MAP_SIZE, height: MAP_SIZE };
  const chartLeft = mapLeft + MAP_SIZE + 60;
  const chart = { left: chartLeft, top: HEADER_HEIGHT, width: WIDTH - m - chartLeft, height: MAP_SIZE + TYPE.heading + 26 + 90 };
  const notes = wrapNotes(input.notes ?? [], WIDTH - 2 * m);
  const height = mapTop + MAP_SIZE + 90 + 50 + (notes.length ? notes.length * NOTE_LINE + 10 : 0) + m;
  const { xs, ys } = input.grid;
  const x0 = xs[0];
  const x1 = xs[xs.length - 1];
  const y0 = ys[0];
  const y1 = ys[ys.length - 1];
  return {
    map,
    chart,
    width: WIDTH,
    height,
    toPixel: (x, y) => ({
      x: map.left + ((x - x0) / (x1 - x0)) * map.width,
      y: map.top + map.height - ((y - y0) / (y1 - y0)) * map.height,
    }),
  };
}

function checkGrid(grid: LossGrid): void {
  if (grid.xs.length < 2 || grid.ys.length < 2)
    throw new RangeError(`the grid needs at least 2×2 points, got ${grid.xs.length}×${grid.ys.length}`);
  if (grid.values.length !== grid.xs.length * grid.ys.length) {
    throw new RangeError(
      `the grid has ${grid.values.length} values, ${grid.xs.length}×${grid.ys.length} = ${grid.xs.length * grid.ys.length} expected`,
    );
  }
}

/** Contour levels between min and max, closer together near the minimum (where the valley is). */
export function contourLevels(min: number, max: number, count = LEVELS): number[] {
  const levels: number[] = [];
  for (let k = 1; k <= count; k++) levels.push(min + (max - min) * (k / (count + 1)) ** 2);
  return levels;
}

type Segment = [number, number, number, number];

/**
 * Marching squares: the line segments (in grid index coordinates) where the surface crosses
 * `level`. Saddle cells are split by the value at the cell centre.
 */
export function contourSegments(grid: LossGrid, level: number): Segment[] {
  const nx = grid.xs.length;
  const ny = grid.ys.length;
  const v = (i: number, j: number) => grid.values[j * nx + i];
  const out: Segment[] = [];
  for (let j = 0; j < ny - 1; j++) {
    for (let i = 0; i < nx - 1; i++) {
      const a = v(i, j); // bottom-left
      const b = v(i + 1, j); // bottom-right
      const c = v(i + 1, j + 1); // top-right
      const d = v(i, j + 1); // top-left
      if (![a, b, c, d].every(Number.isFinite)) continue;
      const index = (a > level ? 1 : 0) | (b > level ? 2 : 0) | (c > level ? 4 : 0) | (d > level ? 8 : 0);
      if (index === 0 || index === 15) continue;
      const t = (p: number, q: number) => (level - p) / (q - p);
      // crossing points on the four edges: 0 bottom, 1 right, 2 top, 3 left
      const edge = (e: number): [number, number] => {
        if (e === 0) return [i + t(a, b), j];
        if (e === 1) return [i + 1, j + t(b, c)];
        if (e === 2) return [i + t(d, c), j + 1];
        return [i, j + t(a, d)];
      };
      const add = (e1: number, e2: number) => {
        const [p1x, p1y] = edge(e1);
        const [p2x, p2y] = edge(e2);
        out.push([p1x, p1y, p2x, p2y]);
      };
      const centreAbove = (a + b + c + d) / 4 > level;
      switch (index) {
        case 1:
        case 14:
          add(3, 0);
          break;
        case 2:
        case 13:
          add(0, 1);
          break;
        case 3:
        case 12:
          add(3, 1);
          break;
        case 4:
        case 11:
          add(1, 2);
          break;
        case 6:
        case 9:
          add(0, 2);
          break;
        case 7:
        case 8:
          add(2, 3);
          break;
        case 5:
          if (centreAbove) {
            add(0, 1);
            add(2, 3);
          } else {
            add(3, 0);
            add(1, 2);
          }
          break;
        case 10:
          if (centreAbove) {
            add(3, 0);
            add(1, 2);
          } else {
            add(0, 1);
            add(2, 3);
          }
          break;
      }
    }
  }
  return out;
}

/** Shade of a loss t in [0, 1]: dark blue-grey valley to light slate hills. */
function shade(t: number): [number, number, number] {
  const s = Math.sqrt(Math.min(1, Math.max(0, t)));
  const lo = [20, 30, 50];
  const hi = [118, 128, 150];
  return [0, 1, 2].map((k) => Math.round(lo[k] + (hi[k] - lo[k]) * s)) as [number, number, number];
}

/** Bilinear interpolation of the grid at fractional grid coordinates. */
function sample(grid: LossGrid, fi: number, fj: number): number {
  const nx = grid.xs.length;
  const ny = grid.ys.length;
  const i = Math.min(nx - 2, Math.max(0, Math.floor(fi)));
  const j = Math.min(ny - 2, Math.max(0, Math.floor(fj)));
  const u = Math.min(1, Math.max(0, fi - i));
  const w = Math.min(1, Math.max(0, fj - j));
  const v = (a: number, b: number) => grid.values[b * nx + a];
  return (1 - u) * (1 - w) * v(i, j) + u * (1 - w) * v(i + 1, j) + u * w * v(i + 1, j + 1) + (1 - u) * w * v(i, j + 1);
}

export async function renderContours(input: ContoursInput): Promise<Buffer> {
  checkGrid(input.grid);
  const layout = contoursLayout(input);
  const picture = createPicture(layout.width, layout.height);
  const { ctx } = picture;
  const m = SPACE.margin;
  drawHeader(ctx, { title: input.title, subtitle: input.subtitle }, layout.width);
  const { map } = layout;
  const { grid } = input;
  const nx = grid.xs.length;
  const ny = grid.ys.length;
  const finite = Array.from(grid.values).filter(Number.isFinite);
  const min = Math.min(...finite);
  const max = Math.max(...finite);

  ctx.fillStyle = COLORS.text;
  setFont(ctx, TYPE.heading, "bold");
  drawText(ctx, fitText(ctx, input.mapHeading, map.width + 80), map.left - 80, HEADER_HEIGHT + TYPE.heading / 2 + 2);

  // 1. shading, in blocks of 4 px
  const block = 4;
  const image = ctx.createImageData(map.width, map.height);
  for (let py = 0; py < map.height; py += block) {
    for (let px = 0; px < map.width; px += block) {
      const fi = ((px + block / 2) / map.width) * (nx - 1);
      const fj = (1 - (py + block / 2) / map.height) * (ny - 1);
      const value = sample(grid, fi, fj);
      const [r, g, b] = shade(max > min ? (value - min) / (max - min) : 0);
      for (let y = py; y < Math.min(map.height, py + block); y++) {
        for (let x = px; x < Math.min(map.width, px + block); x++) {
          const k = (y * map.width + x) * 4;
          image.data[k] = r;
          image.data[k + 1] = g;
          image.data[k + 2] = b;
          image.data[k + 3] = 255;
        }
      }
    }
  }
  ctx.putImageData(image, map.left, map.top);

  // 2. contour lines
  const toMap = (fi: number, fj: number) => ({
    x: map.left + (fi / (nx - 1)) * map.width,
    y: map.top + map.height - (fj / (ny - 1)) * map.height,
  });
  ctx.strokeStyle = "rgba(236,238,243,0.35)";
  ctx.lineWidth = 1.5;
  for (const level of contourLevels(min, max)) {
    ctx.beginPath();
    for (const [ax, ay, bx, by] of contourSegments(grid, level)) {
      const p = toMap(ax, ay);
      const q = toMap(bx, by);
      ctx.moveTo(p.x, p.y);
      ctx.lineTo(q.x, q.y);
    }
    ctx.stroke();
  }
  ctx.strokeStyle = COLORS.axis;
  ctx.lineWidth = 1;
  ctx.strokeRect(map.left - 0.5, map.top - 0.5, map.width + 1, map.height + 1);

  // 3. axes: ticks on nice values of both parameters
  drawMapAxes(ctx, input, layout);

  // 4. descent paths and markers, clipped to the map
  ctx.save();
  ctx.beginPath();
  ctx.rect(map.left, map.top, map.width, map.height);
  ctx.clip();
  // the wildest path first, so the calmer ones stay visible on top of it
  const drawOrder = input.paths.map((_, k) => k).reverse();
  drawOrder.forEach((k) => {
    const path = input.paths[k];
    const color = PATH_COLORS[k % PATH_COLORS.length];
    const pixels = path.points.map(([x, y]) => layout.toPixel(x, y));
    ctx.strokeStyle = COLORS.background;
    ctx.lineWidth = 6;
    strokeLine(ctx, pixels);
    ctx.strokeStyle = color;
    ctx.lineWidth = 3;
    strokeLine(ctx, pixels);
    ctx.fillStyle = color;
    for (const p of pixels) {
      ctx.beginPath();
      ctx.arc(p.x, p.y, 4.5, 0, Math.PI * 2);
      ctx.fill();
    }
  });
  for (const marker of input.markers ?? []) drawMarker(ctx, marker, layout);
  drawMarkerLabels(ctx, input.markers ?? [], layout);
  ctx.restore();

  // 5. shade legend under the map
  const legendY = map.top + map.height + 84;
  const barWidth = 240;
  setFont(ctx, TYPE.small);
  ctx.fillStyle = COLORS.textMuted;
  drawText(ctx, input.shadeLegend.low, map.left, legendY);
  const barLeft = map.left + textWidth(ctx, input.shadeLegend.low) + 12;
  const gradient = ctx.createLinearGradient(barLeft, 0, barLeft + barWidth, 0);
  for (let s = 0; s <= 10; s++) {
    const [r, g, b] = shade(s / 10);
    gradient.addColorStop(s / 10, `rgb(${r},${g},${b})`);
  }
  ctx.fillStyle = gradient;
  ctx.fillRect(barLeft, legendY - 9, barWidth, 18);
  ctx.fillStyle = COLORS.textMuted;
  drawText(ctx, input.shadeLegend.high, barLeft + barWidth + 12, legendY);

  // 6. loss per step, one line per path
  // y range: from the lowest loss to a little above the start; a diverging path leaves the top
  const startLoss = input.paths[0]?.losses[0] ?? max;
  const lowest = Math.min(min, ...input.paths.flatMap((p) => p.losses.filter(Number.isFinite)));
  const highest = Math.max(...input.paths.flatMap((p) => p.losses.filter(Number.isFinite)));
  const top = Math.max(Math.min(highest, startLoss + 1.5 * (startLoss - lowest)), startLoss + 0.1 * (startLoss - lowest), lowest + 1e-6);
  drawChart(
    ctx,
    {
      heading: input.lossChart.heading,
      x: {
        label: input.lossChart.xLabel,
        min: 0,
        max: Math.max(1, ...input.paths.map((p) => p.losses.length - 1)),
        format: (v) => String(Math.round(v)),
      },
      y: { label: input.lossChart.yLabel, min: lowest - 0.05 * (top - lowest), max: top },
      series: input.paths.map((p, k) => ({
        label: p.label,
        color: PATH_COLORS[k % PATH_COLORS.length],
        points: p.losses.map((loss, step) => [step, Math.min(loss, top * 10)] as [number, number]),
        dots: 4,
      })),
    },
    layout.chart,
  );

  const notes = wrapNotes(input.notes ?? [], layout.width - 2 * m);
  notes.forEach((line, i) => drawNote(ctx, line, m, legendY + 40 + i * NOTE_LINE, layout.width - 2 * m));
  return toPng(picture);
}

function strokeLine(ctx: Ctx, pixels: { x: number; y: number }[]): void {
  if (pixels.length < 2) return;
  ctx.beginPath();
  ctx.moveTo(pixels[0].x, pixels[0].y);
  for (const p of pixels.slice(1)) ctx.lineTo(p.x, p.y);
  ctx.stroke();
}

function markerColor(marker: MapMarker): string {
  return marker.kind === "start" ? COLORS.text : marker.kind === "minimum" ? COLORS.accent : COLORS.textMuted;
}

function drawMarker(ctx: Ctx, marker: MapMarker, layout: ContoursLayout): void {
  const p = layout.toPixel(marker.x, marker.y);
  ctx.fillStyle = markerColor(marker);
  ctx.strokeStyle = COLORS.background;
  ctx.lineWidth = 2.5;
  ctx.beginPath();
  if (marker.kind === "minimum") {
    // a cross
    const r = 11;
    ctx.moveTo(p.x - r, p.y);
    ctx.lineTo(p.x + r, p.y);
    ctx.moveTo(p.x, p.y - r);
    ctx.lineTo(p.x, p.y + r);
    ctx.strokeStyle = COLORS.accent;
    ctx.lineWidth = 4;
    ctx.stroke();
  } else if (marker.kind === "model") {
    ctx.rect(p.x - 7, p.y - 7, 14, 14);
    ctx.fill();
    ctx.stroke();
  } else {
    ctx.arc(p.x, p.y, 9, 0, Math.PI * 2);
    ctx.fill();
    ctx.stroke();
  }
}

interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

const overlap = (a: Box, b: Box) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

/** Labels beside their markers: the first of four spots that stays on the map and clear of the others. */
function drawMarkerLabels(ctx: Ctx, markers: MapMarker[], layout: ContoursLayout): void {
  const { map } = layout;
  const h = TYPE.small + 8;
  const taken: Box[] = markers.map((m) => {
    const p = layout.toPixel(m.x, m.y);
    return { x: p.x - 12, y: p.y - 12, w: 24, h: 24 };
  });
  setFont(ctx, TYPE.small, "bold");
  for (const marker of markers) {
    const p = layout.toPixel(marker.x, marker.y);
    const w = textWidth(ctx, marker.label) + 12;
    const spots: Box[] = [
      { x: p.x + 12, y: p.y - 16 - h, w, h },
      { x: p.x - 12 - w, y: p.y - 16 - h, w, h },
      { x: p.x + 12, y: p.y + 16, w, h },
      { x: p.x - 12 - w, y: p.y + 16, w, h },
    ];
    const inside = (b: Box) =>
      b.x >= map.left + 2 && b.y >= map.top + 2 && b.x + b.w <= map.left + map.width - 2 && b.y + b.h <= map.top + map.height - 2;
    const spot = spots.find((b) => inside(b) && !taken.some((t) => overlap(t, b))) ?? spots.find(inside) ?? spots[0];
    taken.push(spot);
    fillRoundRect(ctx, spot.x, spot.y, spot.w, spot.h, 4, "rgba(27,29,35,0.82)");
    ctx.fillStyle = markerColor(marker);
    drawText(ctx, marker.label, spot.x + 6, spot.y + h / 2);
  }
}

function drawMapAxes(ctx: Ctx, input: ContoursInput, layout: ContoursLayout): void {
  const { map } = layout;
  const { xs, ys } = input.grid;
  setFont(ctx, TYPE.small);
  ctx.fillStyle = COLORS.textMuted;
  const xScale = niceScale(xs[0], xs[xs.length - 1], 6);
  for (const t of xScale.ticks) {
    if (t < xs[0] - 1e-12 || t > xs[xs.length - 1] + 1e-12) continue;
    const { x } = layout.toPixel(t, ys[0]);
    drawText(ctx, formatTick(t, xScale.step).replace(/^-/, "−"), x, map.top + map.height + 20, "center");
    ctx.fillRect(x - 0.5, map.top + map.height, 1, 6);
  }
  const yScale = niceScale(ys[0], ys[ys.length - 1], 6);
  for (const t of yScale.ticks) {
    if (t < ys[0] - 1e-12 || t > ys[ys.length - 1] + 1e-12) continue;
    const { y } = layout.toPixel(xs[0], t);
    drawText(ctx, formatTick(t, yScale.step).replace(/^-/, "−"), map.left - 10, y, "right");
    ctx.fillRect(map.left - 6, y - 0.5, 6, 1);
  }
  setFont(ctx, TYPE.label);
  drawText(ctx, fitText(ctx, `${input.xLabel} →`, map.width), map.left + map.width / 2, map.top + map.height + 52, "center");
  ctx.save();
  ctx.translate(SPACE.margin + TYPE.label / 2, map.top + map.height / 2);
  ctx.rotate(-Math.PI / 2);
  drawText(ctx, fitText(ctx, `${input.yLabel} →`, map.height), 0, 0, "center");
  ctx.restore();
}
