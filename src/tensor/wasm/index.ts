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
 * Attention runs in WebAssembly too when the head size C/NH is a multiple of 4 (else the
 * reference); its exponentials, like the logits' softmax's, are a float32 polynomial (relative
 * error < 2e-7). LayerNorm, residual sums, the embeddings, the gradient's norm and scaling,
 * and the AdamW update run in WebAssembly by the same rules (./row-kernels.ts).
 *
 * Float32 sums: the products add in float32 in a blocked order, so results differ from the
 * reference (which sums in doubles) by float32 rounding, ~1e-6 of the sum of |terms|.
 */
import type { Kernels } from "../kernels.ts";
import type { FloatArray } from "../types.ts";
import {
  linearBackward as referenceLinearBackward,
  linearForward as referenceLinearForward,
  linearRowForward as referenceLinearRowForward,
} from "../linear.ts";
import { attentionBackward as referenceAttentionBackward, attentionForward as referenceAttentionForward } from "../attention.ts";
import { attentionStepForward as referenceAttentionStepForward } from "../attention-step.ts";
import { geluBackward as referenceGeluBackward, geluForward as referenceGeluForward } from "../gelu.ts";
import { softmaxForward as referenceSoftmaxForward } from "../crossentropy.ts";
import { type HeapOptions, Scratch, WasmHeap } from "./heap.ts";
import { KernelThread, type ThreadCall, type ThreadFunction } from "./threads.ts";
import v8 from "node:v8";
import { KERNEL_WASM_BASE64, KERNEL_WASM_FMA_BASE64 } from "./kernel-bytes.ts";
import { type RowExports, createRowKernels } from "./row-kernels.ts";
import {
  BLOCKING,
  type Blocking,
  INIT_FROM_BIAS,
  INIT_FROM_C,
  INIT_ZERO,
  POST_GELU_BACKWARD,
  POST_GELU_FORWARD,
  POST_NONE,
  maxClaimsDepth,
  packFloats,
} from "./program-gemm.ts";
import { buildKernelModule } from "./program.ts";

/** The exports called directly; those the threads share (./threads.ts's THREAD_FUNCTIONS) go through `halves` or `together`. */
interface KernelExports {
  gemm(
    c: number,
    ldc: number,
    a: number,
    rsA: number,
    csA: number,
    b: number,
    rsB: number,
    csB: number,
    bias: number,
    M: number,
    N: number,
    K: number,
    init: number,
    packA: number,
    packB: number,
    tile: number,
    claims: number,
    post: number,
    postAt: number,
  ): void;
  colsum(out: number, src: number, rows: number, cols: number): void;
  attnStep(
    out: number,
    att: number,
    q: number,
    keys: number,
    values: number,
    Tk: number,
    C: number,
    NH: number,
    HS: number,
    scale: number,
  ): void;
  rowTimesT(out: number, x: number, wt: number, bias: number, IC: number, OC: number, init: number): void;
}

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

/** A thread's packing buffers for the matrix product (byte addresses). */
interface Packing {
  packA: number;
  packB: number;
  tile: number;
}

/** A call that both threads may run at once, sharing its work through claim counters. */
interface SharedCall {
  fn: ThreadFunction;
  /** how many i32 counters it claims its work from */
  counters: number;
  /** its arguments, with this thread's packing buffers and `claims` (0: this thread does all) */
  args(pack: Packing, claims: number): number[];
}

/** One matrix product C[M,N] = … + A[M,K]·B[K,N]: its sizes, and its gemm arguments for a thread. */
interface Product {
  M: number;
  N: number;
  K: number;
  /** gemm's arguments with this thread's packing buffers and `claims` (0, or the row counters) */
  args(pack: Packing, claims: number): number[];
}

/** Below this many rows (N, or B·T) a product is not worth sharing with the other thread. */
const MIN_SPLIT_ROWS = 32;
/** …and elementwise work below this many elements */
const MIN_SPLIT_ELEMENTS = 16384;

export function createWasmKernels(options: WasmKernelOptions = {}): WasmKernels {
  const heap = new WasmHeap(options);
  const fma = options.fma ?? fmaAvailable();
  if (fma && !fmaAvailable()) throw new Error("fused multiply-adds need relaxed SIMD, which this runtime does not validate");
  const module = options.blocking ? new WebAssembly.Module(buildKernelModule(options.blocking, { fma })) : kernelModule(fma);
  const instance = new WebAssembly.Instance(module, { env: { memory: heap.memory } });
  const wasm = instance.exports as unknown as KernelExports;

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

  function linearForward(
    out: FloatArray,
    inp: FloatArray,
    weight: FloatArray,
    bias: FloatArray | null,
    N: number,
    IC: number,
    OC: number,
  ): void {
    linearForwardThen("linearForward", out, null, inp, weight, bias, N, IC, OC);
  }

  function linearGeluForward(
    out: FloatArray,
    geluOut: FloatArray,
    inp: FloatArray,
    weight: FloatArray,
    bias: FloatArray | null,
    N: number,
    IC: number,
    OC: number,
  ): void {
    linearForwardThen("linearGeluForward", out, geluOut, inp, weight, bias, N, IC, OC);
  }

  /**
   * out = inp·weightᵀ + bias; with `geluOut`, also geluOut = gelu(out), which the gemm does to
   * each block of out as it finishes it (out's width a multiple of 4; otherwise afterwards)
   */
  function linearForwardThen(
    kernel: string,
    out: FloatArray,
    geluOut: FloatArray | null,
    inp: FloatArray,
    weight: FloatArray,
    bias: FloatArray | null,
    N: number,
    IC: number,
    OC: number,
  ): void {
    if ([out, geluOut, inp, weight, bias].some((array) => array instanceof Float64Array)) {
      referenceLinearForward(out, inp, weight, bias, N, IC, OC);
      if (geluOut) referenceGeluForward(geluOut, out, N * OC);
      return;
    }
    checkSizes(kernel, N, IC, OC);
    checkLength(kernel, "out", out, N * OC, "N*OC");
    if (geluOut) checkLength(kernel, "geluOut", geluOut, N * OC, "N*OC");
    checkLength(kernel, "inp", inp, N * IC, "N*IC");
    checkLength(kernel, "weight", weight, OC * IC, "OC*IC");
    if (bias !== null) checkLength(kernel, "bias", bias, OC, "OC");
    if (N === 0 || OC === 0) return;

    scratch.begin();
    const fused = geluOut !== null && IC > 0 && OC % 4 === 0;
    const outAt = place(out as Float32Array, N * OC, false);
    const geluAt = fused ? place(geluOut as Float32Array, N * OC, false) : 0;
    const inpAt = place(inp as Float32Array, N * IC, true);
    const weightAt = place(weight as Float32Array, OC * IC, true);
    const biasAt = bias === null ? 0 : place(bias as Float32Array, OC, true);
    if (IC === 0) {
      // no products: every row is the bias (or zero)
      const floats = heap.floats;
      for (let n = 0; n < N; n++) {
        for (let o = 0; o < OC; o++) floats[outAt / 4 + n * OC + o] = bias === null ? 0 : floats[biasAt / 4 + o];
      }
    } else {
      // out[N,OC] = bias + inp[N,IC] · B, B(i,o) = weight[o·IC + i]
      const init = bias === null ? INIT_ZERO : INIT_FROM_BIAS;
      products([
        {
          M: N,
          N: OC,
          K: IC,
          args: (pack, claims) => [
            outAt,
            OC,
            inpAt,
            IC,
            1,
            weightAt,
            1,
            IC,
            biasAt,
            N,
            OC,
            IC,
            init,
            pack.packA,
            pack.packB,
            pack.tile,
            claims,
            fused ? POST_GELU_FORWARD : POST_NONE,
            geluAt,
          ],
        },
      ]);
    }
    giveBack(out as Float32Array, outAt, N * OC);
    if (fused) giveBack(geluOut as Float32Array, geluAt, N * OC);
    else if (geluOut) geluForward(geluOut, out, N * OC);
  }

  function linearRowForward(out: FloatArray, x: FloatArray, weightT: FloatArray, bias: FloatArray | null, IC: number, OC: number): void {
    if (out instanceof Float64Array || x instanceof Float64Array || weightT instanceof Float64Array || bias instanceof Float64Array) {
      referenceLinearRowForward(out, x, weightT, bias, IC, OC);
      return;
    }
    checkSizes("linearRowForward", 1, IC, OC);
    checkLength("linearRowForward", "out", out, OC, "OC");
    checkLength("linearRowForward", "x", x, IC, "IC");
    checkLength("linearRowForward", "weightT", weightT, IC * OC, "IC*OC");
    if (bias !== null) checkLength("linearRowForward", "bias", bias, OC, "OC");
    if (OC === 0) return;
    scratch.begin();
    const outAt = place(out, OC, false);
    const xAt = place(x, IC, true);
    const weightAt = place(weightT, IC * OC, true);
    const biasAt = bias === null ? 0 : place(bias, OC, true);
    wasm.rowTimesT(outAt, xAt, weightAt, biasAt, IC, OC, bias === null ? INIT_ZERO : INIT_FROM_BIAS);
    giveBack(out, outAt, OC);
  }

  /** memory.fill; with a helper thread, each thread clears half */
  function zero(buffer: FloatArray, N: number): void {
    if (buffer instanceof Float64Array || heap.addressOf(buffer) < 0) {
      buffer.fill(0, 0, N);
      return;
    }
    checkLength("zero", "buffer", buffer, N, "N");
    const at = heap.addressOf(buffer);
    halves("zero", N, 16, MIN_SPLIT_ELEMENTS, (start, count) => [at + 4 * start, count]);
  }

  /** GELU four at a time in WebAssembly; the last N mod 4 elements (and float64) by the reference */
  function geluForward(out: FloatArray, inp: FloatArray, N: number): void {
    if (out instanceof Float64Array || inp instanceof Float64Array) return referenceGeluForward(out, inp, N);
    checkLength("geluForward", "out", out, N, "N");
    checkLength("geluForward", "inp", inp, N, "N");
    const vectorN = N - (N % 4);
    if (vectorN > 0) {
      scratch.begin();
      const outAt = place(out, vectorN, false);
      const inpAt = place(inp, vectorN, true);
      halves("geluForward", vectorN, 4, MIN_SPLIT_ELEMENTS, (start, count) => [outAt + 4 * start, inpAt + 4 * start, count]);
      giveBack(out, outAt, vectorN);
    }
    if (vectorN < N) referenceGeluForward(out.subarray(vectorN), inp.subarray(vectorN), N - vectorN);
  }

  function geluBackward(dinp: FloatArray, inp: FloatArray, dout: FloatArray, N: number): void {
    if (dinp instanceof Float64Array || inp instanceof Float64Array || dout instanceof Float64Array) {
      return referenceGeluBackward(dinp, inp, dout, N);
    }
    checkLength("geluBackward", "dinp", dinp, N, "N");
    checkLength("geluBackward", "inp", inp, N, "N");
    checkLength("geluBackward", "dout", dout, N, "N");
    const vectorN = N - (N % 4);
    if (vectorN > 0) {
      scratch.begin();
      const dinpAt = place(dinp, vectorN, false);
      const inpAt = place(inp, vectorN, true);
      const doutAt = place(dout, vectorN, true);
      halves("geluBackward", vectorN, 4, MIN_SPLIT_ELEMENTS, (start, count) => [
        dinpAt + 4 * start,
        inpAt + 4 * start,
        doutAt + 4 * start,
        count,
      ]);
      giveBack(dinp, dinpAt, vectorN);
    }
    if (vectorN < N) referenceGeluBackward(dinp.subarray(vectorN), inp.subarray(vectorN), dout.subarray(vectorN), N - vectorN);
  }

  /** rows split between the threads */
  function softmaxForward(probs: FloatArray, logits: FloatArray, N: number, V: number): void {
    if (probs instanceof Float64Array || logits instanceof Float64Array) return referenceSoftmaxForward(probs, logits, N, V);
    checkLength("softmaxForward", "probs", probs, N * V, "N*V");
    checkLength("softmaxForward", "logits", logits, N * V, "N*V");
    if (N * V === 0) return;
    scratch.begin();
    const probsAt = place(probs, N * V, false);
    const logitsAt = place(logits, N * V, true);
    halves("softmaxRows", N, 1, Math.ceil(MIN_SPLIT_ELEMENTS / V), (start, count) => [
      probsAt + 4 * start * V,
      logitsAt + 4 * start * V,
      count,
      V,
    ]);
    giveBack(probs, probsAt, N * V);
  }

  function linearBackward(
    dinp: FloatArray,
    dweight: FloatArray,
    dbias: FloatArray | null,
    dout: FloatArray,
    inp: FloatArray,
    weight: FloatArray,
    N: number,
    IC: number,
    OC: number,
  ): void {
    linearBackwardThen("linearBackward", dinp, dweight, dbias, dout, inp, weight, null, N, IC, OC);
  }

  function linearGeluBackward(
    dpre: FloatArray,
    dweight: FloatArray,
    dbias: FloatArray | null,
    dout: FloatArray,
    inp: FloatArray,
    weight: FloatArray,
    pre: FloatArray,
    N: number,
    IC: number,
    OC: number,
  ): void {
    linearBackwardThen("linearGeluBackward", dpre, dweight, dbias, dout, inp, weight, pre, N, IC, OC);
  }

  /**
   * linear's backward; with `pre` (the input of the GELU that made inp), dinp then becomes the
   * gradient at that GELU's input, gelu'(pre)·dinp, which the gemm does to each block of dinp as
   * it finishes it (IC a multiple of 4; otherwise afterwards)
   */
  function linearBackwardThen(
    kernel: string,
    dinp: FloatArray,
    dweight: FloatArray,
    dbias: FloatArray | null,
    dout: FloatArray,
    inp: FloatArray,
    weight: FloatArray,
    pre: FloatArray | null,
    N: number,
    IC: number,
    OC: number,
  ): void {
    if ([dinp, dweight, dbias, dout, inp, weight, pre].some((array) => array instanceof Float64Array)) {
      referenceLinearBackward(dinp, dweight, dbias, dout, inp, weight, N, IC, OC);
      if (pre) referenceGeluBackward(dinp, pre, dinp, N * IC);
      return;
    }
    checkSizes(kernel, N, IC, OC);
    checkLength(kernel, pre ? "dpre" : "dinp", dinp, N * IC, "N*IC");
    checkLength(kernel, "dweight", dweight, OC * IC, "OC*IC");
    if (dbias !== null) checkLength(kernel, "dbias", dbias, OC, "OC");
    checkLength(kernel, "dout", dout, N * OC, "N*OC");
    checkLength(kernel, "inp", inp, N * IC, "N*IC");
    checkLength(kernel, "weight", weight, OC * IC, "OC*IC");
    if (pre) checkLength(kernel, "pre", pre, N * IC, "N*IC");
    if (N === 0 || OC === 0) {
      // no products: dinp is 0, and so is the GELU's input gradient
      if (N * IC > 0) dinp.fill(0, 0, N * IC);
      return;
    }

    scratch.begin();
    const fused = pre !== null && IC % 4 === 0;
    const doutAt = place(dout as Float32Array, N * OC, true);
    const dbiasAt = dbias === null ? 0 : place(dbias as Float32Array, OC, true);
    // 3. dbias[OC] += Σ_rows dout (after 1., while the helper may still work on 1. and 2.)
    const biasGradient = () => {
      if (dbias === null) return;
      wasm.colsum(dbiasAt, doutAt, N, OC);
      giveBack(dbias as Float32Array, dbiasAt, OC);
    };
    if (IC > 0) {
      const dinpAt = place(dinp as Float32Array, N * IC, false);
      const dweightAt = place(dweight as Float32Array, OC * IC, true);
      const inpAt = place(inp as Float32Array, N * IC, true);
      const weightAt = place(weight as Float32Array, OC * IC, true);
      const preAt = fused ? place(pre as Float32Array, N * IC, true) : 0;
      // 1. dinp[N,IC] = dout[N,OC] · weight[OC,IC] (times gelu'(pre), block by block), then 3.
      //    on this thread, 2. dweight[OC,IC] += doutᵀ · inp, A(o,n) = dout[n·OC + o]
      products(
        [
          {
            M: N,
            N: IC,
            K: OC,
            args: (pack, claims) => [
              dinpAt,
              IC,
              doutAt,
              OC,
              1,
              weightAt,
              IC,
              1,
              0,
              N,
              IC,
              OC,
              INIT_ZERO,
              pack.packA,
              pack.packB,
              pack.tile,
              claims,
              fused ? POST_GELU_BACKWARD : POST_NONE,
              preAt,
            ],
          },
          {
            M: OC,
            N: IC,
            K: N,
            args: (pack, claims) => [
              dweightAt,
              IC,
              doutAt,
              1,
              OC,
              inpAt,
              IC,
              1,
              0,
              OC,
              IC,
              N,
              INIT_FROM_C,
              pack.packA,
              pack.packB,
              pack.tile,
              claims,
              POST_NONE,
              0,
            ],
          },
        ],
        biasGradient,
      );
      giveBack(dinp as Float32Array, dinpAt, N * IC);
      giveBack(dweight as Float32Array, dweightAt, OC * IC);
      if (pre && !fused) geluBackward(dinp, pre, dinp, N * IC);
    } else {
      biasGradient();
    }
  }

  function attentionForward(
    out: FloatArray,
    preatt: FloatArray,
    att: FloatArray,
    qkv: FloatArray,
    B: number,
    T: number,
    C: number,
    NH: number,
  ): void {
    const HS = C / NH;
    if (
      out instanceof Float64Array ||
      preatt instanceof Float64Array ||
      att instanceof Float64Array ||
      qkv instanceof Float64Array ||
      !Number.isInteger(HS) ||
      HS % 4 !== 0
    ) {
      referenceAttentionForward(out, preatt, att, qkv, B, T, C, NH);
      return;
    }
    checkAttentionSizes("attentionForward", B, T, C, NH);
    checkLength("attentionForward", "out", out, B * T * C, "B*T*C");
    checkLength("attentionForward", "preatt", preatt, B * NH * T * T, "B*NH*T*T");
    checkLength("attentionForward", "att", att, B * NH * T * T, "B*NH*T*T");
    checkLength("attentionForward", "qkv", qkv, B * T * 3 * C, "B*T*3C");
    if (B * T * C === 0) return;

    scratch.begin();
    const outAt = place(out, B * T * C, false);
    const preattAt = place(preatt, B * NH * T * T, false);
    const attAt = place(att, B * NH * T * T, false);
    const qkvAt = place(qkv, B * T * 3 * C, true);
    // batch rows shared by the threads
    together(
      [
        {
          fn: "attnForward",
          counters: 1,
          args: (_, claims) => [outAt, preattAt, attAt, qkvAt, B, T, C, NH, HS, 1 / Math.sqrt(HS), claims],
        },
      ],
      B >= 2 && B * T >= 2 * MIN_SPLIT_ROWS,
    );
    giveBack(out, outAt, B * T * C);
    giveBack(preatt, preattAt, B * NH * T * T);
    giveBack(att, attAt, B * NH * T * T);
  }

  function attentionStepForward(
    out: FloatArray,
    att: FloatArray,
    q: FloatArray,
    keys: FloatArray,
    values: FloatArray,
    Tk: number,
    C: number,
    NH: number,
  ): void {
    const HS = C / NH;
    if (
      out instanceof Float64Array ||
      att instanceof Float64Array ||
      q instanceof Float64Array ||
      keys instanceof Float64Array ||
      values instanceof Float64Array ||
      !Number.isInteger(HS) ||
      HS % 4 !== 0
    ) {
      referenceAttentionStepForward(out, att, q, keys, values, Tk, C, NH);
      return;
    }
    checkAttentionSizes("attentionStepForward", 1, Tk, C, NH);
    checkLength("attentionStepForward", "out", out, C, "C");
    checkLength("attentionStepForward", "att", att, NH * Tk, "NH*Tk");
    checkLength("attentionStepForward", "q", q, C, "C");
    checkLength("attentionStepForward", "keys", keys, Tk * C, "Tk*C");
    checkLength("attentionStepForward", "values", values, Tk * C, "Tk*C");
    if (Tk * C === 0) return;
    scratch.begin();
    const outAt = place(out, C, false);
    const attAt = place(att, NH * Tk, false);
    const qAt = place(q, C, true);
    const keysAt = place(keys, Tk * C, true);
    const valuesAt = place(values, Tk * C, true);
    wasm.attnStep(outAt, attAt, qAt, keysAt, valuesAt, Tk, C, NH, HS, 1 / Math.sqrt(HS));
    giveBack(out, outAt, C);
    giveBack(att, attAt, NH * Tk);
  }

  function attentionBackward(
    dqkv: FloatArray,
    dpreatt: FloatArray,
    datt: FloatArray,
    dout: FloatArray,
    qkv: FloatArray,
    att: FloatArray,
    B: number,
    T: number,
    C: number,
    NH: number,
  ): void {
    const HS = C / NH;
    if (
      dqkv instanceof Float64Array ||
      dpreatt instanceof Float64Array ||
      datt instanceof Float64Array ||
      dout instanceof Float64Array ||
      qkv instanceof Float64Array ||
      att instanceof Float64Array ||
      !Number.isInteger(HS) ||
      HS % 4 !== 0
    ) {
      referenceAttentionBackward(dqkv, dpreatt, datt, dout, qkv, att, B, T, C, NH);
      return;
    }
    checkAttentionSizes("attentionBackward", B, T, C, NH);
    checkLength("attentionBackward", "dqkv", dqkv, B * T * 3 * C, "B*T*3C");
    checkLength("attentionBackward", "dpreatt", dpreatt, B * NH * T * T, "B*NH*T*T");
    checkLength("attentionBackward", "datt", datt, B * NH * T * T, "B*NH*T*T");
    checkLength("attentionBackward", "dout", dout, B * T * C, "B*T*C");
    checkLength("attentionBackward", "qkv", qkv, B * T * 3 * C, "B*T*3C");
    checkLength("attentionBackward", "att", att, B * NH * T * T, "B*NH*T*T");
    if (B * T * C === 0) return;

    scratch.begin();
    const dqkvAt = place(dqkv, B * T * 3 * C, false);
    // (scratch above the diagonal is left as it was: copied in and back)
    const dpreattAt = place(dpreatt, B * NH * T * T, true);
    const dattAt = place(datt, B * NH * T * T, true);
    const doutAt = place(dout, B * T * C, true);
    const qkvAt = place(qkv, B * T * 3 * C, true);
    const attAt = place(att, B * NH * T * T, true);
    // batch rows shared by the threads
    together(
      [
        {
          fn: "attnBackward",
          counters: 1,
          args: (_, claims) => [dqkvAt, dpreattAt, dattAt, doutAt, qkvAt, attAt, B, T, C, NH, HS, 1 / Math.sqrt(HS), claims],
        },
      ],
      B >= 2 && B * T >= 2 * MIN_SPLIT_ROWS,
    );
    giveBack(dqkv, dqkvAt, B * T * 3 * C);
    giveBack(dpreatt, dpreattAt, B * NH * T * T);
    giveBack(datt, dattAt, B * NH * T * T);
  }

  return {
    name: `wasm-simd${fma ? "+fma" : ""}${helper ? " ×2 threads" : ""}`,
    ...(helper && { close: () => helper.close() }),
    memory: heap.memory,
    owns: (array) => array instanceof Float32Array && heap.addressOf(array) >= 0,
    alloc: (length) => heap.alloc(length),
    linearForward,
    linearGeluForward,
    linearRowForward,
    linearBackward,
    linearGeluBackward,
    attentionForward,
    attentionBackward,
    attentionStepForward,
    zero,
    geluForward,
    geluBackward,
    softmaxForward,
    // LayerNorm, residual sums and AdamW: ./row-kernels.ts
    ...createRowKernels(instance.exports as unknown as RowExports, {
      begin: () => scratch.begin(),
      place,
      giveBack,
      take: (n) => scratch.take(n),
      floats: () => heap.floats,
      // split at a multiple of 4 rows or elements, when there are at least MIN_SPLIT_ELEMENTS floats
      halves: (fn, n, width, args, fixed) => halves(fn, n, 4, Math.ceil(MIN_SPLIT_ELEMENTS / width), args, fixed),
    }),
  };
}

function checkSizes(kernel: string, N: number, IC: number, OC: number): void {
  for (const [name, value] of [
    ["N", N],
    ["IC", IC],
    ["OC", OC],
  ] as const) {
    if (!Number.isInteger(value) || value < 0) throw new Error(`${kernel}: ${name} must be a whole number ≥ 0, got ${value}`);
  }
  // byte offsets are i32 inside the module
  if (Math.max(N * IC, N * OC, OC * IC) * 4 >= 2 ** 31) {
    throw new Error(`${kernel}: N=${N}, IC=${IC}, OC=${OC} is too large for 32-bit byte offsets`);
  }
}

function checkAttentionSizes(kernel: string, B: number, T: number, C: number, NH: number): void {
  for (const [name, value] of [
    ["B", B],
    ["T", T],
    ["C", C],
    ["NH", NH],
  ] as const) {
    if (!Number.isInteger(value) || value < 0) throw new Error(`${kernel}: ${name} must be a whole number ≥ 0, got ${value}`);
  }
  if (Math.max(B * T * 3 * C, B * NH * T * T) * 4 >= 2 ** 31) {
    throw new Error(`${kernel}: B=${B}, T=${T}, C=${C}, NH=${NH} is too large for 32-bit byte offsets`);
  }
}

function checkLength(kernel: string, name: string, array: FloatArray, needed: number, formula: string): void {
  if (array.length < needed) {
    throw new Error(`${kernel}: ${name} has ${array.length} floats, ${formula} = ${needed}`);
  }
}
