/**
 * Residual connection: the sum that lets each block add to the stream instead of replacing it.
 *
 *   out[i] = a[i] + b[i]        all three buffers have N elements (N = B*T*C here)
 *
 * Its backward is no kernel: a sum passes its output's gradient to both inputs unchanged, so the
 * model reads one gradient buffer for the stream (see GPT.backward).
 */
import type { FloatArray } from "./types.ts";

/** out[N] = a[N] + b[N] */
export function residualForward(out: FloatArray, a: FloatArray, b: FloatArray, N: number): void {
  for (let i = 0; i < N; i++) out[i] = a[i] + b[i];
}
