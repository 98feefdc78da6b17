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
export type Sizes = Readonly<Record<string, number>>;

/** One call as `run` sees it. */
export interface Call {
  /** byte addresses of the placed buffers (0: null or not placed) */
  readonly at: Readonly<Record<string, number>>;
  readonly n: Sizes;
  /** every argument by name, as given */
  readonly arg: Readonly<Record<string, unknown>>;
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
  /** sizes computed from the others (e.g. the head size HS), for formulas and `run` */
  derive?: Readonly<Record<string, (n: Sizes) => number>>;
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

/**
 * The method `spec` describes, working in `backend`. Everything that depends only on the
 * description is worked out here, once. All methods share the code below, so it touches only
 * objects of one shape each (the compiled buffers, typed arrays of sizes and addresses); the
 * descriptions' own functions read a call's values by name through `Call`'s views of those
 * arrays. No call of a method runs inside another call of the same method, so one set of arrays
 * per method serves every call.
 */
export function generateKernel<K extends keyof Kernels>(spec: KernelSpec<K>, backend: Backend): Kernels[K] {
  const kernel: string = spec.name;
  const reference = referenceKernels[spec.name] as (...args: unknown[]) => unknown;
  if (reference.length !== spec.args.length) {
    throw new Error(`${kernel}: the description names ${spec.args.length} arguments, the reference takes ${reference.length}`);
  }
  for (const name of [...spec.sizes, ...Object.keys(spec.buffers)]) {
    if (!spec.args.includes(name)) throw new Error(`${kernel}: ${name} is not one of its arguments`);
  }
  // 0. one slot per size (then the derived ones) and per buffer address; the arguments as given
  const derived = Object.entries(spec.derive ?? {});
  const sizeNames = [...spec.sizes, ...derived.map(([name]) => name)];
  const sizeSlots = new Float64Array(sizeNames.length);
  const sizeArgs = Int32Array.from(spec.sizes, (name) => spec.args.indexOf(name));
  const bufferNames = spec.args.filter((name) => name in spec.buffers);
  const addressSlots = new Float64Array(bufferNames.length);
  // each buffer's checked length and placed length in this call (−1: its array's own length)
  const needed = new Float64Array(bufferNames.length);
  const placing = new Float64Array(bufferNames.length);
  let current: unknown[] = [];
  const call: Call = {
    at: viewOf(bufferNames, (slot) => addressSlots[slot]),
    n: viewOf(sizeNames, (slot) => sizeSlots[slot]),
    arg: viewOf(spec.args, (slot) => current[slot]),
  };
  const buffers: CompiledBuffer[] = bufferNames.map((name, slot) => {
    const b = spec.buffers[name];
    const floats = formula(kernel, b.floats, sizeNames);
    return {
      name,
      text: b.floats,
      index: spec.args.indexOf(name),
      slot,
      floats,
      placeFloats: b.place ? formula(kernel, b.place, sizeNames) : floats,
      nullable: b.nullable === true,
      placeIf: b.placeIf ?? null,
      copyIn: b.io !== "out",
      written: b.io !== "in",
    };
  });
  const derive = derived.map(([, compute]) => compute);
  const hooks: CompiledHooks = {
    useReference: spec.useReference ?? null,
    validate: spec.validate ?? null,
    empty: spec.empty,
    whenEmpty: spec.whenEmpty ?? null,
    run: spec.run,
    after: spec.after ?? null,
  };

  const method = (...args: unknown[]): unknown => {
    // 1. the reference for float64 and for shapes the module does not take
    for (const b of buffers) if (args[b.index] instanceof Float64Array) return reference(...args);
    current = args;
    for (let i = 0; i < sizeArgs.length; i++) sizeSlots[i] = args[sizeArgs[i]] as number;
    for (let i = 0; i < derive.length; i++) sizeSlots[sizeArgs.length + i] = derive[i](call.n);
    if (hooks.useReference?.(call, backend)) return reference(...args);
    // 2. sizes, then lengths in argument order
    for (let i = 0; i < sizeArgs.length; i++) {
      const value = args[sizeArgs[i]] as number;
      if (!Number.isInteger(value) || value < 0) throw new Error(`${kernel}: ${sizeNames[i]} must be a whole number ≥ 0, got ${value}`);
    }
    let largest = 0;
    for (const b of buffers) {
      needed[b.slot] = b.floats ? evaluate(b.floats, sizeSlots) : -1;
      placing[b.slot] = b.placeFloats === b.floats ? needed[b.slot] : b.placeFloats ? evaluate(b.placeFloats, sizeSlots) : -1;
      largest = Math.max(largest, needed[b.slot]);
    }
    // byte offsets are i32 inside the module
    if (largest * 4 >= 2 ** 31) {
      const list = spec.sizes.map((name, i) => `${name}=${sizeSlots[i]}`).join(", ");
      throw new Error(`${kernel}: ${list} is too large for 32-bit byte offsets`);
    }
    for (const b of buffers) {
      const array = args[b.index] as FloatArray | null;
      if (array === null) {
        if (b.nullable) continue;
        throw new Error(`${kernel}: ${b.name} is null`);
      }
      if (array.length < needed[b.slot]) throw new Error(`${kernel}: ${b.name} has ${array.length} floats, ${b.text} = ${needed[b.slot]}`);
    }
    // 3. nothing to compute, or values the lengths do not show
    if (hooks.empty(call.n)) return hooks.whenEmpty?.(call, backend);
    hooks.validate?.(call);
    // 4. every buffer's address, 5. the module's work, 6. results back
    backend.begin();
    for (const b of buffers) {
      const array = args[b.index] as Float32Array | null;
      const skip = array === null || (b.placeIf !== null && !b.placeIf(call.n));
      addressSlots[b.slot] = skip ? 0 : backend.place(array, placedLength(b, array), b.copyIn);
    }
    const result = hooks.run(call, backend);
    for (const b of buffers) {
      const array = args[b.index] as Float32Array | null;
      if (b.written && addressSlots[b.slot] !== 0) backend.giveBack(array!, addressSlots[b.slot], placedLength(b, array!));
    }
    hooks.after?.(call, backend);
    return result;
  };
  return method as Kernels[K];

  function placedLength(b: CompiledBuffer, array: Float32Array): number {
    return placing[b.slot] < 0 ? array.length : placing[b.slot];
  }
}

/** A buffer's description as the shared code reads it (every field always present). */
interface CompiledBuffer {
  name: string;
  /** its length formula as written, for errors */
  text: string;
  /** its position among the arguments, and its address slot */
  index: number;
  slot: number;
  floats: Formula | null;
  placeFloats: Formula | null;
  nullable: boolean;
  placeIf: ((n: Sizes) => boolean) | null;
  copyIn: boolean;
  written: boolean;
}

/** A description's functions, every one present (null when it has none). */
interface CompiledHooks {
  useReference: KernelSpec["useReference"] | null;
  validate: KernelSpec["validate"] | null;
  empty: KernelSpec["empty"];
  whenEmpty: KernelSpec["whenEmpty"] | null;
  run: KernelSpec["run"];
  after: KernelSpec["after"] | null;
}

/** An object whose property `names[i]` reads `read(i)` (a view of a slot array, by name). */
function viewOf<T>(names: readonly string[], read: (slot: number) => T): Record<string, T> {
  const view = {};
  names.forEach((name, slot) => {
    Object.defineProperty(view, name, { get: () => read(slot), enumerable: true });
  });
  return view as Record<string, T>;
}

/** A length: the product of its terms, each a factor times a size slot (−1: the factor alone). */
type Formula = { factor: number; slot: number }[];

/** "N*OC" or "B*T*3C" read into terms over the size slots; null for "whole" (the array's own length) */
function formula(kernel: string, text: string, sizeNames: readonly string[]): Formula | null {
  if (text === "whole") return null;
  return text.split("*").map((term) => {
    const match = /^(\d*)([A-Za-z]\w*)?$/.exec(term);
    if (!match || (match[1] === "" && match[2] === undefined)) throw new Error(`${kernel}: cannot read the length "${text}"`);
    const slot = match[2] === undefined ? -1 : sizeNames.indexOf(match[2]);
    if (match[2] !== undefined && slot < 0) throw new Error(`${kernel}: the length "${text}" names an unknown size ${match[2]}`);
    return { factor: match[1] === "" ? 1 : Number(match[1]), slot };
  });
}

function evaluate(terms: Formula, sizes: Float64Array): number {
  let product = 1;
  for (const { factor, slot } of terms) product *= slot < 0 ? factor : factor * sizes[slot];
  return product;
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
