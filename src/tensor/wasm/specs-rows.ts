/**
 * The row-wise and element-wise kernels, described for ./kernel-table.ts (the module's code is
 * in ./program-rows.ts): zeroing, GELU, LayerNorm (alone and after a residual sum), the
 * residual sum, the gradient's norm and scaling, AdamW, the embeddings.
 *
 * Threads: each cuts its rows or elements in two halves (`halves`), each element computed as on
 * one thread. LayerNorm's backward, whose weight sums cross rows, sums its two fixed halves of
 * the rows separately, with or without the helper; the embeddings run on one thread (rows are
 * few and short, and two rows of one token add to the same row of dwte).
 * Sums are float32 in WebAssembly and doubles in the references: results agree to a few float32
 * roundings (test/tensor/wasm-{layernorm,residual,adamw,grad-norm}.test.ts state the tolerances).
 */
import type { AdamWUpdate } from "../adamw.ts";
import { checkEmbeddingInputs } from "../embedding.ts";
import { geluBackward as referenceGeluBackward, geluForward as referenceGeluForward } from "../gelu.ts";
import type { IdArray } from "../types.ts";
import type { Backend, Call, KernelSpec, Sizes } from "./kernel-table.ts";
import { MIN_SPLIT_ELEMENTS, rowsOf } from "./kernel-table.ts";

/** sumOfSquares sums this many floats per float32 partial sum (their total is in doubles) */
const SQUARES_CHUNK = 4096;

/** memory.fill, each thread clearing half; a buffer outside the memory: the reference's fill */
export const zero: KernelSpec<"zero"> = {
  name: "zero",
  args: ["buffer", "N"],
  sizes: ["N"],
  buffers: { buffer: { floats: "N", io: "out" } },
  useReference: ({ arg }, backend) => backend.addressOf(arg.buffer as Float32Array) < 0,
  empty: () => false,
  run: ({ at, n }, backend) =>
    backend.halves("zero", n.N, { align: 16, minimum: MIN_SPLIT_ELEMENTS }, (start, count) => [at.buffer + 4 * start, count]),
};

/** GELU four at a time (the first N4 = N − N mod 4 elements); the last N mod 4 by the reference */
const vectorPart = { N4: (n: Sizes) => n.N - (n.N % 4) };
const geluSplit = { align: 4, minimum: MIN_SPLIT_ELEMENTS };

export const geluForward: KernelSpec<"geluForward"> = {
  name: "geluForward",
  args: ["out", "inp", "N"],
  sizes: ["N"],
  buffers: { out: { floats: "N", io: "out", place: "N4" }, inp: { floats: "N", io: "in", place: "N4" } },
  derive: vectorPart,
  empty: ({ N4 }) => N4 === 0,
  run: ({ at, n }, backend) =>
    backend.halves("geluForward", n.N4, geluSplit, (start, count) => [at.out + 4 * start, at.inp + 4 * start, count]),
  after: geluTail,
  whenEmpty: geluTail,
};

export const geluBackward: KernelSpec<"geluBackward"> = {
  name: "geluBackward",
  args: ["dinp", "inp", "dout", "N"],
  sizes: ["N"],
  buffers: {
    dinp: { floats: "N", io: "out", place: "N4" },
    inp: { floats: "N", io: "in", place: "N4" },
    dout: { floats: "N", io: "in", place: "N4" },
  },
  derive: vectorPart,
  empty: ({ N4 }) => N4 === 0,
  run: ({ at, n }, backend) =>
    backend.halves("geluBackward", n.N4, geluSplit, (start, count) => [
      at.dinp + 4 * start,
      at.inp + 4 * start,
      at.dout + 4 * start,
      count,
    ]),
  after: geluTail,
  whenEmpty: geluTail,
};

/** the last N mod 4 elements of a GELU call, by the reference */
function geluTail({ n, arg }: Call): void {
  const { N, N4 } = n;
  if (N4 === N) return;
  const tail = (name: string) => (arg[name] as Float32Array).subarray(N4);
  if ("out" in arg) referenceGeluForward(tail("out"), tail("inp"), N - N4);
  else referenceGeluBackward(tail("dinp"), tail("inp"), tail("dout"), N - N4);
}

const LAYERNORM_OUTPUTS = {
  out: { floats: "N*C", io: "out" },
  mean: { floats: "N", io: "out" },
  rstd: { floats: "N", io: "out" },
} as const;
const LAYERNORM_PARAMETERS = {
  weight: { floats: "C", io: "in" },
  bias: { floats: "C", io: "in", nullable: true },
} as const;

/** LayerNorm of inp's rows, rows cut in two; with a and b placed, each row of inp is first written as a + b */
function layernormRun({ at, n }: Call, backend: Backend, inpAt: number): void {
  const { N, C } = n;
  const a = at.a ?? 0;
  const b = at.b ?? 0;
  backend.halves("layernormForward", N, rowsOf(C), (start, count) => [
    at.out + 4 * start * C,
    at.mean + 4 * start,
    at.rstd + 4 * start,
    inpAt + 4 * start * C,
    at.weight,
    at.bias,
    count,
    C,
    a ? a + 4 * start * C : 0,
    a ? b + 4 * start * C : 0,
  ]);
}

export const layernormForward: KernelSpec<"layernormForward"> = {
  name: "layernormForward",
  args: ["out", "mean", "rstd", "inp", "weight", "bias", "N", "C"],
  sizes: ["N", "C"],
  buffers: { ...LAYERNORM_OUTPUTS, inp: { floats: "N*C", io: "in" }, ...LAYERNORM_PARAMETERS },
  empty: ({ N, C }) => N === 0 || C === 0,
  run: (call, backend) => layernormRun(call, backend, call.at.inp),
};

/** residual = a + b, then its LayerNorm: one pass over the rows (the sum still in cache) */
export const residualLayernormForward: KernelSpec<"residualLayernormForward"> = {
  name: "residualLayernormForward",
  args: ["residual", "out", "mean", "rstd", "a", "b", "weight", "bias", "N", "C"],
  sizes: ["N", "C"],
  buffers: {
    residual: { floats: "N*C", io: "out" },
    ...LAYERNORM_OUTPUTS,
    a: { floats: "N*C", io: "in" },
    b: { floats: "N*C", io: "in" },
    ...LAYERNORM_PARAMETERS,
  },
  empty: ({ N, C }) => N === 0 || C === 0,
  run: (call, backend) => layernormRun(call, backend, call.at.residual),
};

/**
 * Rows in two fixed parts (the helper takes the second when there is one): the first adds its
 * dweight and dbias sums straight in, the second into zeroed partial sums added after.
 */
export const layernormBackward: KernelSpec<"layernormBackward"> = {
  name: "layernormBackward",
  args: ["dinp", "dweight", "dbias", "dout", "inp", "weight", "mean", "rstd", "N", "C"],
  sizes: ["N", "C"],
  buffers: {
    dinp: { floats: "N*C", io: "inout" },
    dweight: { floats: "C", io: "inout" },
    dbias: { floats: "C", io: "inout", nullable: true },
    dout: { floats: "N*C", io: "in" },
    inp: { floats: "N*C", io: "in" },
    weight: { floats: "C", io: "in" },
    mean: { floats: "N", io: "in" },
    rstd: { floats: "N", io: "in" },
  },
  empty: ({ N, C }) => N === 0 || C === 0,
  run: ({ at, n, arg }, backend) => {
    const { N, C } = n;
    const partials = backend.take(2 * C);
    const memory = backend.floats();
    memory.fill(0, partials / 4, partials / 4 + 2 * C);
    backend.halves(
      "layernormBackward",
      N,
      rowsOf(C),
      (start, count) => {
        const first = start === 0;
        return [
          at.dinp + 4 * start * C,
          first ? at.dweight : partials,
          arg.dbias === null ? 0 : first ? at.dbias : partials + 4 * C,
          at.dout + 4 * start * C,
          at.inp + 4 * start * C,
          at.weight,
          at.mean + 4 * start,
          at.rstd + 4 * start,
          count,
          C,
        ];
      },
      true,
    );
    for (let c = 0; c < C; c++) {
      memory[at.dweight / 4 + c] += memory[partials / 4 + c];
      if (arg.dbias !== null) memory[at.dbias / 4 + c] += memory[partials / 4 + C + c];
    }
  },
};

export const residualForward: KernelSpec<"residualForward"> = {
  name: "residualForward",
  args: ["out", "a", "b", "N"],
  sizes: ["N"],
  buffers: { out: { floats: "N", io: "out" }, a: { floats: "N", io: "in" }, b: { floats: "N", io: "in" } },
  empty: ({ N }) => N === 0,
  run: ({ at, n }, backend) =>
    backend.halves("residualForward", n.N, rowsOf(1), (start, count) => [at.out + 4 * start, at.a + 4 * start, at.b + 4 * start, count]),
};

/** float32 sums of SQUARES_CHUNK floats each (split between the threads by chunks), added in doubles in order */
export const sumOfSquares: KernelSpec<"sumOfSquares"> = {
  name: "sumOfSquares",
  args: ["x", "N"],
  sizes: ["N"],
  buffers: { x: { floats: "N", io: "in" } },
  empty: ({ N }) => N === 0,
  whenEmpty: () => 0,
  run: ({ at, n }, backend) => {
    const { N } = n;
    const chunks = Math.ceil(N / SQUARES_CHUNK);
    const partials = backend.take(chunks);
    backend.halves("sumSquares", chunks, rowsOf(SQUARES_CHUNK), (start, count) => [
      partials + 4 * start,
      at.x + 4 * start * SQUARES_CHUNK,
      Math.min(count * SQUARES_CHUNK, N - start * SQUARES_CHUNK),
      SQUARES_CHUNK,
    ]);
    const sums = backend.floats().subarray(partials / 4, partials / 4 + chunks);
    let sum = 0;
    for (let c = 0; c < chunks; c++) sum += sums[c];
    return sum;
  },
};

export const scale: KernelSpec<"scale"> = {
  name: "scale",
  args: ["x", "N", "factor"],
  sizes: ["N"],
  buffers: { x: { floats: "N", io: "inout" } },
  empty: ({ N }) => N === 0,
  run: ({ at, n, arg }, backend) =>
    backend.halves("scale", n.N, rowsOf(1), (start, count) => [at.x + 4 * start, count, arg.factor as number]),
};

/** the constants in doubles, as the reference computes them; only the per-element math is float32 */
export const adamwUpdate: KernelSpec<"adamwUpdate"> = {
  name: "adamwUpdate",
  args: ["params", "grads", "m", "v", "N", "update"],
  sizes: ["N"],
  buffers: {
    params: { floats: "N", io: "inout" },
    grads: { floats: "N", io: "in" },
    m: { floats: "N", io: "inout" },
    v: { floats: "N", io: "inout" },
  },
  empty: ({ N }) => N === 0,
  run: ({ at, n, arg }, backend) => {
    const { lr, weightDecay, beta1, beta2, eps, step } = arg.update as AdamWUpdate;
    const constants = [
      beta1,
      1 - beta1,
      beta2,
      1 - beta2,
      lr / (1 - beta1 ** step),
      1 / Math.sqrt(1 - beta2 ** step),
      lr * weightDecay,
      eps,
    ];
    backend.halves("adamwUpdate", n.N, rowsOf(1), (start, count) => [
      at.params + 4 * start,
      at.grads + 4 * start,
      at.m + 4 * start,
      at.v + 4 * start,
      count,
      ...constants,
    ]);
  },
};

/** the B·T ids as i32s in scratch */
function placeIds(ids: IdArray, B: number, T: number, backend: Backend): number {
  const at = backend.take(B * T);
  new Int32Array(backend.floats().buffer, at, B * T).set(ids.subarray(0, B * T));
  return at;
}

/** one thread: rows are few (B·T) and short (C) */
export const embeddingForward: KernelSpec<"embeddingForward"> = {
  name: "embeddingForward",
  args: ["out", "ids", "wte", "wpe", "B", "T", "C"],
  sizes: ["B", "T", "C"],
  buffers: { out: { floats: "B*T*C", io: "out" }, wte: { floats: "whole", io: "in" }, wpe: { floats: "whole", io: "in" } },
  empty: ({ B, T, C }) => B * T * C === 0,
  validate: ({ arg, n }) => checkEmbeddingInputs(arg.ids as IdArray, arg.wte as Float32Array, arg.wpe as Float32Array, n.B, n.T, n.C),
  run: ({ at, n, arg }, backend) => {
    const { B, T, C } = n;
    backend.exports.embeddingForward(at.out, placeIds(arg.ids as IdArray, B, T, backend), at.wte, at.wpe, B, T, C);
  },
};

/** one thread: two rows with the same token add to the same row of dwte */
export const embeddingBackward: KernelSpec<"embeddingBackward"> = {
  name: "embeddingBackward",
  args: ["dwte", "dwpe", "dout", "ids", "B", "T", "C"],
  sizes: ["B", "T", "C"],
  buffers: { dwte: { floats: "whole", io: "inout" }, dwpe: { floats: "whole", io: "inout" }, dout: { floats: "B*T*C", io: "in" } },
  empty: ({ B, T, C }) => B * T * C === 0,
  validate: ({ arg, n }) => checkEmbeddingInputs(arg.ids as IdArray, arg.dwte as Float32Array, arg.dwpe as Float32Array, n.B, n.T, n.C),
  run: ({ at, n, arg }, backend) => {
    const { B, T, C } = n;
    backend.exports.embeddingBackward(at.dwte, at.dwpe, at.dout, placeIds(arg.ids as IdArray, B, T, backend), B, T, C);
  },
};
