/**
 * The WebAssembly backend's kernels, each described once (./specs-*.ts) and turned into its
 * `Kernels` method here. Every method does the same six steps, so they are written once:
 *
 *   1. any Float64Array argument (gradient checks), or a shape the module does not take
 *      (`useReference`): the readable reference kernel of ../kernels.ts, same arguments
 *   2. every size a whole number ≥ 0, no buffer past 32-bit byte offsets, every buffer at
 *      least as long as its formula says ("N*OC"), checked in argument order
 *   3. nothing to do (`empty`): `whenEmpty`, done; else `validate` (e.g. the token ids)
 *   4. forget the last call's scratch; place every buffer: its byte address in the memory when
 *      it lives there (used in place), else a copy in scratch ("in"/"inout": filled with its
 *      values, "out": not)
 *   5. `run`: the module's exports on those addresses, split across the threads as the
 *      description says (./index.ts's `halves`, `together`, `products`)
 *   6. give back: copy every "out"/"inout" buffer that lives elsewhere out of scratch; `after`
 *
 * See ./README.md for adding a kernel.
 */
import { type Kernels, referenceKernels } from "../kernels.ts";
import type { FloatArray } from "../types.ts";
import type { ThreadCall, ThreadFunction } from "./threads.ts";

/** A buffer argument of a kernel. */
export interface BufferSpec {
  /** how many floats it needs, a product of sizes ("N*OC", "B*T*3C"), or "whole": its length, unchecked */
  floats: string;
  /** whether the kernel reads it ("in"), writes it without reading ("out") or both ("inout") */
  io: "in" | "out" | "inout";
  /** null is allowed (a missing bias): its address is 0 */
  nullable?: true;
  /** how many floats to place, when fewer than `floats` (a formula over sizes and `derive`'s) */
  place?: string;
  /** placed only when this holds (else its address is 0) */
  placeIf?: (n: Sizes) => boolean;
}

/** The sizes of one call by name (the kernel's size arguments and what `derive` adds). */
export type Sizes = Record<string, number>;

/** One call as `run` sees it. */
export interface Call {
  /** byte addresses of the placed buffers (0: null or not placed) */
  at: Record<string, number>;
  n: Sizes;
  /** every argument by name, as given */
  arg: Record<string, unknown>;
}

/** What the backend offers a kernel's `run` (see ./index.ts). */
export interface Backend {
  /** the module's exports, called on this thread */
  exports: Record<string, (...args: number[]) => number | undefined>;
  /**
   * runs export `fn` over [0, count) rows or elements, in two parts when there is a helper
   * thread and count ≥ `minimum` (cut at a multiple of `align`): `args(start, part)` gives one
   * part's arguments. `fixed`: two parts also without a helper, so the floats do not depend on
   * the threads
   */
  halves(
    fn: ThreadFunction,
    count: number,
    split: { align: number; minimum: number },
    args: (start: number, part: number) => number[],
    fixed?: boolean,
  ): void;
  /** runs the calls on this thread and, when `shared` and there is a helper, the same calls there at once, claiming work from counters */
  together(calls: SharedCall[], shared: boolean, afterFirst?: () => void): void;
  /** matrix products in order, shared by the threads when large enough (see ./specs-linear.ts) */
  products(list: Product[], afterFirst?: () => void): void;
  /** `floats` of per-call scratch (byte address; forgotten at the next call) */
  take(floats: number): number;
  /** the memory as floats */
  floats(): Float32Array;
  /** the byte address of an array in the memory, −1 if it lives elsewhere */
  addressOf(array: Float32Array): number;
  /** forget the last call's scratch */
  begin(): void;
  /** the byte address of `array`'s first `length` floats, copied into scratch when it lives elsewhere */
  place(array: Float32Array, length: number, copyIn: boolean): number;
  /** copies a result computed in scratch back into a foreign array (no-op for the memory's own) */
  giveBack(array: Float32Array, address: number, length: number): void;
  /** the finished backend's kernels (for a kernel that ends with another one) */
  kernels(): Kernels;
}

/** A thread's packing buffers for the matrix product (byte addresses). */
export interface Packing {
  packA: number;
  packB: number;
  tile: number;
}

/** A call that both threads may run at once, sharing its work through claim counters. */
export interface SharedCall {
  fn: ThreadFunction;
  /** how many i32 counters it claims its work from */
  counters: number;
  /** its arguments, with this thread's packing buffers and `claims` (0: this thread does all) */
  args(pack: Packing, claims: number): number[];
}

/** One matrix product C[M,N] = … + A[M,K]·B[K,N]: its sizes, and its gemm arguments for a thread. */
export interface Product {
  M: number;
  N: number;
  K: number;
  /** gemm's arguments with this thread's packing buffers and `claims` (0, or the row counters) */
  args(pack: Packing, claims: number): number[];
}

/** The description of one `Kernels` method. */
export interface KernelSpec<K extends keyof Kernels = keyof Kernels> {
  name: K;
  /** the method's arguments in order: buffers, sizes, and other values (passed to `run` as they are) */
  args: readonly string[];
  /** the sizes among `args` */
  sizes: readonly string[];
  /** the buffers among `args` */
  buffers: Readonly<Record<string, BufferSpec>>;
  /** sizes computed from the others (e.g. the head size), for formulas and `run` */
  derive?: (n: Sizes) => Sizes;
  /** the call goes to the reference kernel (a shape the module does not take, a buffer it cannot reach) */
  useReference?: (call: Call, backend: Backend) => boolean;
  /** throws on bad values the lengths do not show (after the length checks, when not empty) */
  validate?: (call: Call) => void;
  /** true when there is nothing to compute */
  empty: (n: Sizes) => boolean;
  /** what an empty call does (default: nothing) and returns */
  whenEmpty?: (call: Call, backend: Backend) => unknown;
  /** the module's work on the placed buffers; its value is the method's */
  run: (call: Call, backend: Backend) => unknown;
  /** after the results are given back (e.g. a GELU the module did not fuse) */
  after?: (call: Call, backend: Backend) => void;
}

/** The method `spec` describes, working in `backend`. */
export function generateKernel<K extends keyof Kernels>(spec: KernelSpec<K>, backend: Backend): Kernels[K] {
  const reference = referenceKernels[spec.name] as (...args: unknown[]) => unknown;
  if (reference.length !== spec.args.length) {
    throw new Error(`${spec.name}: the description names ${spec.args.length} arguments, the reference takes ${reference.length}`);
  }
  const bufferNames = spec.args.filter((name) => name in spec.buffers);
  const checked = bufferNames.map((name) => ({ name, spec: spec.buffers[name], floats: formula(spec.name, spec.buffers[name].floats) }));
  const placed = checked.map((b) => ({ ...b, placeFloats: b.spec.place ? formula(spec.name, b.spec.place) : b.floats }));

  const method = (...args: unknown[]): unknown => {
    const arg: Record<string, unknown> = {};
    spec.args.forEach((name, i) => {
      arg[name] = args[i];
    });
    // 1. the reference for float64 and for shapes the module does not take
    if (bufferNames.some((name) => arg[name] instanceof Float64Array)) return reference(...args);
    const given: Sizes = {};
    for (const name of spec.sizes) given[name] = arg[name] as number;
    const n = spec.derive ? { ...given, ...spec.derive(given) } : given;
    const call: Call = { at: {}, n, arg };
    if (spec.useReference?.(call, backend)) return reference(...args);
    // 2. sizes, then lengths in argument order
    checkSizes(
      spec.name,
      given,
      checked.map((b) => (b.floats ? b.floats(n) : 0)),
    );
    for (const b of checked) {
      const array = arg[b.name] as FloatArray | null;
      if (array === null) {
        if (b.spec.nullable) continue;
        throw new Error(`${spec.name}: ${b.name} is null`);
      }
      if (b.floats && array.length < b.floats(n)) {
        throw new Error(`${spec.name}: ${b.name} has ${array.length} floats, ${b.spec.floats} = ${b.floats(n)}`);
      }
    }
    // 3. nothing to compute, or values the lengths do not show
    if (spec.empty(n)) return spec.whenEmpty?.(call, backend);
    spec.validate?.(call);
    // 4. every buffer's address, 5. the module's work, 6. results back
    backend.begin();
    const out: { array: Float32Array; at: number; length: number }[] = [];
    for (const b of placed) {
      const array = arg[b.name] as Float32Array | null;
      if (array === null || (b.spec.placeIf && !b.spec.placeIf(n))) {
        call.at[b.name] = 0;
        continue;
      }
      const length = b.placeFloats ? b.placeFloats(n) : array.length;
      call.at[b.name] = backend.place(array, length, b.spec.io !== "out");
      if (b.spec.io !== "in") out.push({ array, at: call.at[b.name], length });
    }
    const result = spec.run(call, backend);
    for (const { array, at, length } of out) backend.giveBack(array, at, length);
    spec.after?.(call, backend);
    return result;
  };
  return method as Kernels[K];
}

/** "N*OC" or "B*T*3C" as a function of the sizes; null for "whole" (the array's own length) */
function formula(kernel: string, text: string): ((n: Sizes) => number) | null {
  if (text === "whole") return null;
  const terms = text.split("*").map((term) => {
    const match = /^(\d*)([A-Za-z]\w*)?$/.exec(term);
    if (!match || (match[1] === "" && match[2] === undefined)) throw new Error(`${kernel}: cannot read the length "${text}"`);
    return { factor: match[1] === "" ? 1 : Number(match[1]), size: match[2] };
  });
  return (n) =>
    terms.reduce((product, { factor, size }) => {
      if (size !== undefined && n[size] === undefined) throw new Error(`${kernel}: the length "${text}" names an unknown size ${size}`);
      return product * factor * (size === undefined ? 1 : n[size]);
    }, 1);
}

function checkSizes(kernel: string, sizes: Sizes, lengths: number[]): void {
  for (const [name, value] of Object.entries(sizes)) {
    if (!Number.isInteger(value) || value < 0) throw new Error(`${kernel}: ${name} must be a whole number ≥ 0, got ${value}`);
  }
  // byte offsets are i32 inside the module
  if (Math.max(0, ...lengths) * 4 >= 2 ** 31) {
    const list = Object.entries(sizes)
      .map(([name, value]) => `${name}=${value}`)
      .join(", ");
    throw new Error(`${kernel}: ${list} is too large for 32-bit byte offsets`);
  }
}

/** How elementwise or row work of `width` floats per item splits: at a multiple of 4, when there are MIN_SPLIT_ELEMENTS floats */
export function rowsOf(width: number): { align: number; minimum: number } {
  return { align: 4, minimum: Math.ceil(MIN_SPLIT_ELEMENTS / width) };
}

/** Below this many rows (N, or B·T) a product or attention is not worth sharing with the other thread. */
export const MIN_SPLIT_ROWS = 32;
/** …and elementwise work below this many elements */
export const MIN_SPLIT_ELEMENTS = 16384;

export type { ThreadCall };
