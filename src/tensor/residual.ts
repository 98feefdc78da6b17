/**
 * Residual connection: the sum that lets each block add to the stream instead of replacing it.
 *
 *   out[i] = a[i] + b[i]        all three buffers have N elements (N = B*T*C here)
 */
import type { FloatArray } from "./types.ts";

/** out[N] = a[N] + b[N] */
export function residualForward(out: FloatArray, a: FloatArray, b: FloatArray, N: number): void {
  for (let i = 0; i < N; i++) out[i] = a[i] + b[i];
}

/** A sum passes its gradient to both inputs unchanged: da[N] = dout, db[N] = dout (written, see ./kernels.ts). */
export function residualBackward(da: FloatArray, db: FloatArray, dout: FloatArray, N: number): void {
  for (let i = 0; i < N; i++) {
    const d = dout[i];
    da[i] = d;
    db[i] = d;
  }
}
