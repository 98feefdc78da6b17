/**
 * Which kernels the app uses: WebAssembly SIMD (src/tensor/wasm, ~30× the TypeScript matrix
 * products), or the readable TypeScript reference when MINIGPT_KERNELS=typescript is set (to
 * compare, or where WebAssembly SIMD is missing).
 */
import { type Kernels, referenceKernels } from "../tensor/kernels.ts";
import { createWasmKernels } from "../tensor/wasm/index.ts";

let chosen: Kernels | null = null;

export function fastestKernels(): Kernels {
  if (chosen) return chosen;
  if (process.env.MINIGPT_KERNELS === "typescript") {
    chosen = referenceKernels;
  } else {
    try {
      chosen = createWasmKernels();
    } catch (err) {
      process.emitWarning(`WebAssembly SIMD kernels unavailable (${(err as Error).message}); using the TypeScript kernels`);
      chosen = referenceKernels;
    }
  }
  return chosen;
}
