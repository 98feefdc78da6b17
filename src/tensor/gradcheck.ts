/**
 * Numerical differentiation, the slow and obvious way to get a gradient: nudge one number,
 * see how much the loss moves. Back-propagation gives every gradient in one pass; these
 * helpers check it (and the explanatory mode shows the idea on the live model).
 */
import type { FloatArray } from "./types.ts";

/**
 * ∂f/∂x[i] ≈ (f(x + h·eᵢ) − f(x − h·eᵢ)) / 2h, with an error of order h².
 * f reads x (and anything else it likes); x[i] is restored to its value afterwards.
 */
export function centralDifference(f: () => number, x: FloatArray, i: number, h: number): number {
  const original = x[i];
  x[i] = original + h;
  const above = f();
  x[i] = original - h;
  const below = f();
  x[i] = original;
  return (above - below) / (2 * h);
}

/** |a − b| / max(|a|, |b|, tiny): 0 when equal, about 1 when unrelated; tiny avoids 0/0. */
export function relativeError(a: number, b: number, tiny = 1e-12): number {
  return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), tiny);
}

/** How `worstGradientError` differentiates and compares. */
export interface GradientCheckOptions {
  /** the step of the central difference (default 1e-5, about right for float64) */
  h?: number;
  /** which entries of x to check (default all) */
  indices?: Iterable<number>;
  /**
   * the smallest denominator of the relative error (default 1e-12). The central difference
   * carries round-off noise of about 1e-16·|L|/h, so gradients far smaller than that noise
   * can only be compared absolutely: with floor F they must agree to (tolerance·F).
   */
  floor?: number;
}

/**
 * The worst relative error between an analytic gradient and central differences of f,
 * over the chosen entries of x.
 *   f        the scalar loss; it must recompute from x each time it is called
 *   x        a parameter or input, perturbed in place and restored
 *   gradient the back-propagated ∂f/∂x, same length as x
 */
export function worstGradientError(f: () => number, x: FloatArray, gradient: FloatArray, options: GradientCheckOptions = {}): number {
  const { h = 1e-5, indices = x.keys(), floor = 1e-12 } = options;
  let worst = 0;
  for (const i of indices) {
    const numeric = centralDifference(f, x, i, h);
    const error = relativeError(gradient[i], numeric, floor);
    if (error > worst) worst = error;
  }
  return worst;
}
