/**
 * How the WebAssembly kernel tests hand values to a backend: in its own memory ("alloc", used
 * in place) or in an ordinary array ("plain", copied in and out), so both paths are tested.
 */
import type { WasmKernels } from "../../src/tensor/wasm/index.ts";

export type Placement = "alloc" | "plain";

/** float32 values in the backend's memory or in an ordinary array */
export function place(kernels: WasmKernels, placement: Placement, values: Float32Array): Float32Array {
  const array = placement === "alloc" ? kernels.alloc(values.length) : new Float32Array(values.length);
  array.set(values);
  return array;
}

/** the same values as doubles, for the float64 reference */
export const f64 = (a: Float32Array) => Float64Array.from(a);
