/**
 * Shared pieces of the kernel tests: the scalar loss L = Σ out·g, the gradient check that
 * prints its worst relative error, and element-wise comparisons.
 */
import type { FloatArray } from "../../src/tensor/types.ts";
import { worstGradientError, type GradientCheckOptions } from "../../src/tensor/gradcheck.ts";

/**
 * Gradients smaller than this are compared by absolute error (≤ 1e-9 with the tolerance below):
 * the central difference's round-off, ~1e-16·Σ|terms of L|/h ≈ 1e-11..1e-10, would otherwise
 * dominate the relative error of a gradient that happens to be near 0 (e.g. gelu' at x ≈ −0.75).
 */
export const GRADIENT_FLOOR = 1e-3;
/** The bound every float64 gradient check must meet. */
export const GRADIENT_TOLERANCE = 1e-6;

/** Σ_i a[i]·b[i] in doubles: with g fixed and random, L = Σ out·g has ∂L/∂out = g. */
export function weightedSum(a: FloatArray, b: FloatArray): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] * b[i];
  return sum;
}

/**
 * Runs the gradient check, prints `kernel gradient: worst relative error …`, returns the worst.
 * Options: `indices` to sample entries of x; `h` (default 1e-5) larger for a loss that is
 * linear in each entry of x (linear layers, sums), where any step is exact and a larger one
 * cuts the round-off.
 */
export function checkGradient(
  kernel: string,
  gradientName: string,
  loss: () => number,
  x: FloatArray,
  gradient: FloatArray,
  options: GradientCheckOptions = {},
): number {
  const worst = worstGradientError(loss, x, gradient, { floor: GRADIENT_FLOOR, ...options });
  console.log(`${kernel.padEnd(13)} ${gradientName.padEnd(8)} worst relative error ${worst.toExponential(2)}`);
  return worst;
}

/** max_i |a[i] − b[i]| / max(|b[i]|, floor): how far `actual` strays from `expected`. */
export function maxRelativeDifference(actual: FloatArray, expected: FloatArray, floor = 1): number {
  if (actual.length !== expected.length) {
    throw new Error(`lengths differ: ${actual.length} vs ${expected.length}`);
  }
  let worst = 0;
  for (let i = 0; i < actual.length; i++) {
    const difference = Math.abs(actual[i] - expected[i]) / Math.max(Math.abs(expected[i]), floor);
    if (difference > worst) worst = difference;
  }
  return worst;
}

/** The float32 rounding of a float64 array, and back: inputs both precisions see identically. */
export function roundedToFloat32(values: Float64Array): { f32: Float32Array; f64: Float64Array } {
  const f32 = Float32Array.from(values);
  return { f32, f64: Float64Array.from(f32) };
}

/** A new Float64Array with factor·a[i]: what a gradient must become after `factor` backward calls. */
export function scaledCopy(a: FloatArray, factor: number): Float64Array {
  return Float64Array.from(a, (x) => factor * x);
}

/** Tolerance for "called twice, exactly doubled" (only summation order differs). */
export const ACCUMULATION_TOLERANCE = 1e-12;
