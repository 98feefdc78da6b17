/**
 * The pictures of recent replies, kept in memory so the page can show them by link. The oldest
 * go first once the shelf is full (a reload of an old conversation then says so).
 */
import { randomBytes } from "node:crypto";

export const SHELF_SIZE = 300;

export class ImageShelf {
  private readonly images = new Map<string, Uint8Array>();

  constructor(private readonly size = SHELF_SIZE) {}

  /** Keeps a PNG; returns its address. */
  put(png: Uint8Array): string {
    const id = randomBytes(9).toString("hex");
    this.images.set(id, png);
    while (this.images.size > this.size) this.images.delete(this.images.keys().next().value!);
    return `/images/${id}.png`;
  }

  get(id: string): Uint8Array | undefined {
    return this.images.get(id);
  }
}
