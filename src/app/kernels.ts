/**
 * Which kernels the app uses: WebAssembly SIMD (src/tensor/wasm, ~30× the TypeScript matrix
 * products), or the readable TypeScript reference when MINIGPT_KERNELS=typescript is set (to
 * compare, or where WebAssembly SIMD is missing). A training (in its worker thread) also takes
 * the second core when the machine has one; MINIGPT_THREADS=1 keeps it to one.
 */
import { availableParallelism } from "node:os";
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

/**
 * For the training worker: the fastest kernels, with a helper thread on a second core when
 * there is one (the helper blocks this thread while both work: never use these on the bot's
 * main thread).
 */
export function trainingKernels(): Kernels {
  const fastest = fastestKernels();
  if (fastest === referenceKernels || process.env.MINIGPT_THREADS === "1" || availableParallelism() < 2) return fastest;
  try {
    return createWasmKernels({ threads: 2 });
  } catch (err) {
    process.emitWarning(`a second kernel thread is unavailable (${(err as Error).message}); training on one core`);
    return fastest;
  }
}
