/**
 * What clipping the gradient needs (../train/adamw.ts clipGradNorm):
 *
 *   ‖g‖² = Σ g[i]²        sumOfSquares, summed in doubles
 *   g[i] *= factor         scale
 */
import type { FloatArray } from "./types.ts";

/** Σ x[i]² over x[0…N), in doubles */
export function sumOfSquares(x: FloatArray, N: number): number {
  let sum = 0;
  for (let i = 0; i < N; i++) sum += x[i] * x[i];
  return sum;
}

/** x[0…N) *= factor */
export function scale(x: FloatArray, N: number, factor: number): void {
  for (let i = 0; i < N; i++) x[i] *= factor;
}
