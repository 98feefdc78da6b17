/**
 * Kernels whose matrix products run in WebAssembly with 128-bit SIMD (see ./program-gemm.ts for
 * the blocked, packed, register-tiled product and ./heap.ts for the memory they work in).
 *
 *   const kernels = createWasmKernels();
 *   const x = kernels.alloc(N * C);    // lives inside the WebAssembly memory: used in place
 *
 * Arguments:
 *   - Float32Arrays from this backend's `alloc` (or subarrays of them) are read and written in
 *     place, no copy.
 *   - Any other Float32Array is copied into per-call scratch (and outputs copied back): same
 *     results, a little slower.
 *   - Float64Arrays (gradient checks) go to the reference TypeScript kernels.
 * Every kernel is described once in ./specs-linear.ts, ./specs-attention.ts or ./specs-rows.ts
 * (its buffers, their lengths, in or out, how it splits across the threads) and turned into its
 * method by ./kernel-table.ts. This file loads the module and gives the kernels the memory,
 * the scratch and the helper thread (`halves`, `together`, `products`). Attention runs in
 * WebAssembly when the head size C/NH is a multiple of 4 (else the reference).
 *
 * Float32 sums: the products add in float32 in a blocked order, so results differ from the
 * reference (which sums in doubles) by float32 rounding, ~1e-6 of the sum of |terms|.
 */
import type { Kernels } from "../kernels.ts";
import type { FloatArray } from "../types.ts";
import { type HeapOptions, Scratch, WasmHeap } from "./heap.ts";
import { KernelThread, type ThreadCall, type ThreadFunction } from "./threads.ts";
import v8 from "node:v8";
import { KERNEL_WASM_BASE64, KERNEL_WASM_FMA_BASE64 } from "./kernel-bytes.ts";
import { BLOCKING, type Blocking, maxClaimsDepth, packFloats } from "./program-gemm.ts";
import { buildKernelModule } from "./program.ts";
import {
  type Backend,
  type KernelSpec,
  MIN_SPLIT_ROWS,
  type Packing,
  type Product,
  type SharedCall,
  generateKernel,
} from "./kernel-table.ts";
import * as linear from "./specs-linear.ts";
import * as attention from "./specs-attention.ts";
import * as rows from "./specs-rows.ts";

/** Every kernel the backend runs in WebAssembly, each described once (./specs-*.ts). */
const SPECS = { ...linear, ...attention, ...rows } satisfies { [K in keyof Kernels]?: KernelSpec<K> };

/** The Kernels interface plus what a caller may need to share the memory (e.g. with workers). */
export interface WasmKernels extends Kernels {
  readonly memory: WebAssembly.Memory;
  /** true when `array` lives in this backend's memory (it will be used in place) */
  owns(array: FloatArray): boolean;
  /** ends the helper thread, if any */
  close?(): Promise<void>;
}

const compiled = new Map<boolean, WebAssembly.Module>();
let fmaRuns: boolean | undefined;

/**
 * Whether this process can run fused multiply-adds: relaxed SIMD, behind V8's
 * --experimental-wasm-relaxed-simd in Node 20 (turned on here; process-wide, threads included).
 * MINIGPT_FMA=0 keeps the plain module.
 */
export function fmaAvailable(): boolean {
  // decided once per thread
  if (fmaRuns === undefined) {
    const bytes = Buffer.from(KERNEL_WASM_FMA_BASE64, "base64");
    if (process.env.MINIGPT_FMA === "0") fmaRuns = false;
    else if (WebAssembly.validate(bytes)) fmaRuns = true;
    else {
      v8.setFlagsFromString("--experimental-wasm-relaxed-simd");
      fmaRuns = WebAssembly.validate(bytes);
    }
  }
  return fmaRuns;
}

/** The compiled module (compiled once per thread, instantiated per backend): with FMA where it runs. */
export function kernelModule(fma = fmaAvailable()): WebAssembly.Module {
  let module = compiled.get(fma);
  if (!module) {
    module = new WebAssembly.Module(Buffer.from(fma ? KERNEL_WASM_FMA_BASE64 : KERNEL_WASM_BASE64, "base64"));
    compiled.set(fma, module);
  }
  return module;
}

export interface WasmKernelOptions extends HeapOptions {
  /**
   * Build the module with another blocking instead of loading the stored one (tests use tiny
   * blocks to cross every block edge; tuning tries others).
   */
  blocking?: Blocking;
  /**
   * 2: a helper worker thread shares every large matrix product and attention (claiming row
   * blocks), and takes half of GELU, LayerNorm and the other elementwise kernels (./threads.ts).
   * It blocks the calling thread while both run, so use it in worker
   * threads (the training), not on the bot's main thread. Default 1.
   */
  threads?: 1 | 2;
  /** fused multiply-adds in the matrix products (default: where relaxed SIMD runs) */
  fma?: boolean;
  /** with a helper thread: how long each side spins before it sleeps (default ./threads.ts's SPIN_MS; 0: at once) */
  spinMs?: number;
}

export function createWasmKernels(options: WasmKernelOptions = {}): WasmKernels {
  const heap = new WasmHeap(options);
  const fma = options.fma ?? fmaAvailable();
  if (fma && !fmaAvailable()) throw new Error("fused multiply-adds need relaxed SIMD, which this runtime does not validate");
  const module = options.blocking ? new WebAssembly.Module(buildKernelModule(options.blocking, { fma })) : kernelModule(fma);
  const instance = new WebAssembly.Instance(module, { env: { memory: heap.memory } });

  // packing buffers and the edge tile, for the whole life of the backend
  const blocking = options.blocking ?? BLOCKING;
  const floats = packFloats(blocking);
  const ownPack: Packing = {
    packA: heap.reserve(floats.packA * 4),
    packB: heap.reserve(floats.packB * 4),
    tile: heap.reserve(floats.tile * 4),
  };
  const scratch = new Scratch(heap);
  // the helper thread, with packing buffers of its own
  const helper = options.threads === 2 ? new KernelThread(module, heap.memory, options.spinMs) : null;
  const helperPack: Packing | null = helper && {
    packA: heap.reserve(floats.packA * 4),
    packB: heap.reserve(floats.packB * 4),
    tile: heap.reserve(floats.tile * 4),
  };
  const exported = instance.exports as unknown as Record<ThreadFunction, (...args: number[]) => void>;

  /**
   * Runs the export `fn` over [0, n) of some index (rows, batch rows or elements), in two parts
   * when there is a helper thread and n ≥ `minimum`: the helper takes [cut, n), this thread
   * [0, cut), with `cut` a multiple of `align` near the middle. `args(start, count)` gives one
   * part's arguments. `fixed`: the two parts also without a helper (both on this thread), for
   * kernels whose parts sum separately: the floats then do not depend on the threads.
   */
  function halves(
    fn: ThreadFunction,
    n: number,
    align: number,
    minimum: number,
    args: (start: number, count: number) => number[],
    fixed = false,
  ): void {
    const cut = (helper || fixed) && n >= minimum ? align * Math.floor(n / (2 * align)) : n;
    if (cut < n && helper) helper.post([[fn, args(cut, n - cut)]]);
    try {
      if (cut > 0) exported[fn](...args(0, cut));
      if (cut < n && !helper) exported[fn](...args(cut, n - cut));
    } finally {
      // even when this thread's part threw: the helper's part must end before anything else runs
      helper?.wait();
    }
  }

  /**
   * Runs the calls in order on this thread and, when `shared` (and there is a helper thread),
   * the very same calls on the helper at once, in reverse order: each call's work (row blocks,
   * batch rows) is claimed from zeroed counters, so whichever thread is free takes the next
   * piece, and neither waits for a fixed half of the other. With two products (a linear layer's
   * backward) each thread starts on its own one and turns to the other's leftover blocks at the
   * end: it packs that product's B only if blocks are left for it. `afterFirst` runs on this
   * thread after its first call.
   */
  function together(calls: SharedCall[], shared: boolean, afterFirst?: () => void): void {
    const both = shared && helper !== null;
    const claims = calls.map(({ counters }) => {
      if (!both) return 0;
      const at = scratch.take(counters);
      heap.floats.fill(0, at / 4, at / 4 + counters);
      return at;
    });
    if (both) helper.post(calls.map((call, i): ThreadCall => [call.fn, call.args(helperPack!, claims[i])]).reverse());
    try {
      calls.forEach((call, i) => {
        exported[call.fn](...call.args(ownPack, claims[i]));
        if (i === 0) afterFirst?.();
      });
    } finally {
      if (both) helper.wait();
    }
  }

  /**
   * Matrix products in order, shared by the threads when each has rows enough and a K that one
   * packing of B holds (see gemm in ./program-gemm.ts); one counter per column slab (≥ NR wide).
   */
  function products(list: Product[], afterFirst?: () => void): void {
    const shared = list.every(({ M, K }) => M >= 2 * MIN_SPLIT_ROWS && K <= maxClaimsDepth(blocking));
    together(
      list.map((product) => ({ fn: "gemm", counters: Math.ceil(product.N / blocking.NR), args: product.args })),
      shared,
      afterFirst,
    );
  }

  /** the byte address of `array` inside the memory, copying it into scratch when it is elsewhere */
  function place(array: Float32Array, length: number, copyIn: boolean): number {
    const own = heap.addressOf(array);
    if (own >= 0) return own;
    const address = scratch.take(length);
    if (copyIn) heap.floats.set(array.subarray(0, length), address / 4);
    return address;
  }

  /** copies a result computed in scratch back into a foreign array */
  function giveBack(array: Float32Array, address: number, length: number): void {
    if (heap.addressOf(array) >= 0) return;
    array.set(heap.floats.subarray(address / 4, address / 4 + length));
  }

  const backend: Backend = {
    exports: instance.exports as unknown as Backend["exports"],
    halves: (fn, count, { align, minimum }, args, fixed) => halves(fn, count, align, minimum, args, fixed),
    together,
    products,
    take: (floats) => scratch.take(floats),
    floats: () => heap.floats,
    addressOf: (array) => heap.addressOf(array),
    begin: () => scratch.begin(),
    place,
    giveBack,
    kernels: () => kernels,
  };
  const generated = Object.fromEntries(Object.values(SPECS).map((spec) => [spec.name, generateKernel(spec as KernelSpec, backend)])) as {
    [K in keyof typeof SPECS]: Kernels[K];
  };

  const kernels: WasmKernels = {
    name: `wasm-simd${fma ? "+fma" : ""}${helper ? " ×2 threads" : ""}`,
    ...(helper && { close: () => helper.close() }),
    memory: heap.memory,
    owns: (array) => array instanceof Float32Array && heap.addressOf(array) >= 0,
    alloc: (length) => heap.alloc(length),
    ...generated,
  };
  return kernels;
}
