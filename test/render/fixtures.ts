/** Plain-data inputs for the render tests and sample pictures (deterministic, no model). */
import { expect } from "vitest";
import { createCanvas, loadImage } from "@napi-rs/canvas";
import { MAX_WIDTH } from "../../src/render/theme.ts";
import { seededRandom as projectRandom } from "../../src/tensor/random.ts";

/** The project's seeded generator (src/tensor/random.ts), as a plain uniform [0, 1) function. */
export function seeded(seed: number): () => number {
  const random = projectRandom(seed);
  return () => random.next();
}

/** Causal softmax rows [T, T]: each query spreads its attention over keys ≤ query. */
export function fakeAttention(T: number, seed: number): Float32Array {
  const random = seeded(seed);
  const w = new Float32Array(T * T);
  for (let q = 0; q < T; q++) {
    let sum = 0;
    for (let k = 0; k <= q; k++) {
      // prefer the token itself, the previous one and the first one, plus noise
      const score = (k === q ? 1.5 : 0) + (k === q - 1 ? 1.2 : 0) + (k === 0 ? 0.8 : 0) + 2 * random();
      w[q * T + k] = Math.exp(score);
      sum += w[q * T + k];
    }
    for (let k = 0; k <= q; k++) w[q * T + k] /= sum;
  }
  return w;
}

export const JA_TOKENS = ["吾", "輩", "は", "猫", "で", "あ", "る", "。", "\n", "名", "前", "は", "ま", "だ", "無", "い", "。"];
export const EN_TOKENS = ["To", " be", ",", " or", " not", " to", " be", ":", " that", " is", " the", " question", "\n"];

/** Decoded picture: size and RGBA pixels. */
export interface Decoded {
  width: number;
  height: number;
  pixel(x: number, y: number): [number, number, number];
  distinctColours(): number;
}

export async function decodePng(bytes: Uint8Array): Promise<Decoded> {
  const image = await loadImage(Buffer.from(bytes));
  const canvas = createCanvas(image.width, image.height);
  const ctx = canvas.getContext("2d");
  ctx.drawImage(image, 0, 0);
  const data = ctx.getImageData(0, 0, image.width, image.height).data;
  return {
    width: image.width,
    height: image.height,
    pixel(x, y) {
      const i = (Math.round(y) * image.width + Math.round(x)) * 4;
      return [data[i], data[i + 1], data[i + 2]];
    },
    distinctColours() {
      const seen = new Set<number>();
      for (let i = 0; i < data.length; i += 4) seen.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
      return seen.size;
    },
  };
}

/** "#rrggbb" → [r, g, b] */
export function hexRgb(hex: string): [number, number, number] {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

export function colourDistance(a: readonly number[], b: readonly number[]): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * Decodes and checks what every picture must be: a PNG, at most MAX_WIDTH wide, a sane
 * height, under 1 MB, and not blank (many distinct colours: text, anti-aliasing, data).
 */
export async function expectSanePicture(bytes: Uint8Array, minColours = 40): Promise<Decoded> {
  expect(Array.from(bytes.subarray(0, 8))).toEqual(PNG_SIGNATURE);
  expect(bytes.length).toBeLessThan(1024 * 1024);
  const picture = await decodePng(bytes);
  expect(picture.width).toBeGreaterThanOrEqual(600);
  expect(picture.width).toBeLessThanOrEqual(MAX_WIDTH);
  expect(picture.height).toBeGreaterThanOrEqual(150);
  expect(picture.height).toBeLessThanOrEqual(4000);
  expect(picture.distinctColours()).toBeGreaterThan(minColours);
  return picture;
}

/** Distance from colour p to the segment between colours a and b (blends of a and b are close). */
export function distanceToBlend(p: readonly number[], a: readonly number[], b: readonly number[]): number {
  const ab = [b[0] - a[0], b[1] - a[1], b[2] - a[2]];
  const ap = [p[0] - a[0], p[1] - a[1], p[2] - a[2]];
  const len2 = ab[0] ** 2 + ab[1] ** 2 + ab[2] ** 2;
  const t = len2 > 0 ? Math.max(0, Math.min(1, (ap[0] * ab[0] + ap[1] * ab[1] + ap[2] * ab[2]) / len2)) : 0;
  return colourDistance(p, [a[0] + t * ab[0], a[1] + t * ab[1], a[2] + t * ab[2]]);
}

export const LANGS = ["ja", "en"] as const;
