/**
 * GELU activation in its tanh form (as in GPT-2):
 *
 *   gelu(x) = 0.5·x·(1 + tanh(u)),   u = √(2/π)·(x + 0.044715·x³)
 *
 * Buffers are flat with N elements (N = B*T*4C in the MLP).
 */
import type { FloatArray } from "./types.ts";

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
const CUBIC = 0.044715;

/** out[N] = gelu(inp[N]) */
export function geluForward(out: FloatArray, inp: FloatArray, N: number): void {
  for (let i = 0; i < N; i++) {
    const x = inp[i];
    const u = SQRT_2_OVER_PI * (x + CUBIC * x * x * x);
    out[i] = 0.5 * x * (1 + Math.tanh(u));
  }
}

/**
 * dinp[N] = gelu'(inp)·dout (written, see ./kernels.ts), where by the product and chain rules
 *   1. u  = √(2/π)·(x + 0.044715·x³),   du/dx = √(2/π)·(1 + 3·0.044715·x²)
 *   2. gelu'(x) = 0.5·(1 + tanh u) + 0.5·x·(1 − tanh² u)·du/dx
 */
export function geluBackward(dinp: FloatArray, inp: FloatArray, dout: FloatArray, N: number): void {
  for (let i = 0; i < N; i++) {
    const x = inp[i];
    const u = SQRT_2_OVER_PI * (x + CUBIC * x * x * x);
    const tanhU = Math.tanh(u);
    const dudx = SQRT_2_OVER_PI * (1 + 3 * CUBIC * x * x);
    const slope = 0.5 * (1 + tanhU) + 0.5 * x * (1 - tanhU * tanhU) * dudx;
    dinp[i] = slope * dout[i];
  }
}
