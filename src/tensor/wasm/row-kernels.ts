/**
 * The WebAssembly LayerNorm, residual, gradient-norm and AdamW kernels (./program-rows.ts) behind
 * the `Kernels` methods of the same names, with the backend's argument rules (see ./index.ts):
 *   - Float32Arrays in the backend's memory are used in place; other Float32Arrays are copied
 *     into scratch (outputs copied back);
 *   - any Float64Array sends the call to the readable reference;
 *   - with a helper thread, they split their rows or elements with it (`halves`), each element
 *     computed as on one thread. LayerNorm's backward, whose weight sums cross rows, sums its
 *     two fixed halves of the rows separately, with or without the helper.
 * Sums are float32 in WebAssembly and doubles in the references: results agree to a few float32
 * roundings (test/tensor/wasm-{layernorm,residual,adamw,grad-norm}.test.ts state the tolerances).
 */
import type { Kernels } from "../kernels.ts";
import type { FloatArray, IdArray } from "../types.ts";
import { layernormBackward as referenceLayernormBackward, layernormForward as referenceLayernormForward } from "../layernorm.ts";
import { residualForward as referenceResidualForward } from "../residual.ts";
import { type AdamWUpdate, adamwUpdate as referenceAdamwUpdate } from "../adamw.ts";
import { scale as referenceScale, sumOfSquares as referenceSumOfSquares } from "../grad-norm.ts";
import {
  checkEmbeddingInputs,
  embeddingBackward as referenceEmbeddingBackward,
  embeddingForward as referenceEmbeddingForward,
} from "../embedding.ts";

/** sumOfSquares sums this many floats per float32 partial sum (their total is in doubles) */
const SQUARES_CHUNK = 4096;

/** The exports these kernels call directly (byte addresses; 0 = no bias); the others go through `halves`. */
export interface RowExports {
  embeddingForward(out: number, ids: number, wte: number, wpe: number, B: number, T: number, C: number): void;
  embeddingBackward(dwte: number, dwpe: number, dout: number, ids: number, B: number, T: number, C: number): void;
}

/** How the backend hands arrays to the module. */
export interface Placement {
  /** forget the previous call's scratch */
  begin(): void;
  /** the byte address of `array`'s first `length` floats, copied into scratch when it lives elsewhere */
  place(array: Float32Array, length: number, copyIn: boolean): number;
  /** copies a result computed in scratch back into a foreign array (no-op for the backend's own) */
  giveBack(array: Float32Array, address: number, length: number): void;
  /**
   * runs the export over [0, n) rows or elements, split with the helper thread when there is
   * one and n·`width` is large enough; `args(start, count)` gives one part's arguments
   */
  halves(
    fn: "layernormForward" | "layernormBackward" | "residualForward" | "adamwUpdate" | "sumSquares" | "scale",
    n: number,
    width: number,
    args: (start: number, count: number) => number[],
    fixed?: boolean,
  ): void;
  /** `floats` of per-call scratch (forgotten at the next begin()) */
  take(floats: number): number;
  /** the backend's memory as floats */
  floats(): Float32Array;
}

type RowKernels = Pick<
  Kernels,
  | "layernormForward"
  | "residualLayernormForward"
  | "layernormBackward"
  | "residualForward"
  | "sumOfSquares"
  | "scale"
  | "adamwUpdate"
  | "embeddingForward"
  | "embeddingBackward"
>;

export function createRowKernels(wasm: RowExports, { begin, place, giveBack, halves, take, floats }: Placement): RowKernels {
  function layernormForward(
    out: FloatArray,
    mean: FloatArray,
    rstd: FloatArray,
    inp: FloatArray,
    weight: FloatArray,
    bias: FloatArray | null,
    N: number,
    C: number,
  ): void {
    layernormRows("layernormForward", out, mean, rstd, inp, weight, bias, N, C, null);
  }

  function residualLayernormForward(
    residual: FloatArray,
    out: FloatArray,
    mean: FloatArray,
    rstd: FloatArray,
    a: FloatArray,
    b: FloatArray,
    weight: FloatArray,
    bias: FloatArray | null,
    N: number,
    C: number,
  ): void {
    layernormRows("residualLayernormForward", out, mean, rstd, residual, weight, bias, N, C, { a, b });
  }

  /** LayerNorm of inp's rows; with `sum`, each row of inp is first written as sum.a + sum.b */
  function layernormRows(
    kernel: string,
    out: FloatArray,
    mean: FloatArray,
    rstd: FloatArray,
    inp: FloatArray,
    weight: FloatArray,
    bias: FloatArray | null,
    N: number,
    C: number,
    sum: { a: FloatArray; b: FloatArray } | null,
  ): void {
    if ([out, mean, rstd, inp, weight, bias, sum?.a, sum?.b].some((array) => array instanceof Float64Array)) {
      if (sum) referenceResidualForward(inp, sum.a, sum.b, N * C);
      referenceLayernormForward(out, mean, rstd, inp, weight, bias, N, C);
      return;
    }
    checkCounts(kernel, { N, C });
    checkLength(kernel, "out", out, N * C, "N*C");
    checkLength(kernel, "mean", mean, N, "N");
    checkLength(kernel, "rstd", rstd, N, "N");
    checkLength(kernel, sum ? "residual" : "inp", inp, N * C, "N*C");
    if (sum) {
      checkLength(kernel, "a", sum.a, N * C, "N*C");
      checkLength(kernel, "b", sum.b, N * C, "N*C");
    }
    checkLength(kernel, "weight", weight, C, "C");
    if (bias !== null) checkLength(kernel, "bias", bias, C, "C");
    if (N === 0 || C === 0) return;

    begin();
    const outAt = place(out as Float32Array, N * C, false);
    const meanAt = place(mean as Float32Array, N, false);
    const rstdAt = place(rstd as Float32Array, N, false);
    const inpAt = place(inp as Float32Array, N * C, sum === null);
    const aAt = sum ? place(sum.a as Float32Array, N * C, true) : 0;
    const bAt = sum ? place(sum.b as Float32Array, N * C, true) : 0;
    const weightAt = place(weight as Float32Array, C, true);
    const biasAt = bias === null ? 0 : place(bias as Float32Array, C, true);
    halves("layernormForward", N, C, (start, count) => [
      outAt + 4 * start * C,
      meanAt + 4 * start,
      rstdAt + 4 * start,
      inpAt + 4 * start * C,
      weightAt,
      biasAt,
      count,
      C,
      sum ? aAt + 4 * start * C : 0,
      sum ? bAt + 4 * start * C : 0,
    ]);
    giveBack(out as Float32Array, outAt, N * C);
    giveBack(mean as Float32Array, meanAt, N);
    giveBack(rstd as Float32Array, rstdAt, N);
    if (sum) giveBack(inp as Float32Array, inpAt, N * C);
  }

  function layernormBackward(
    dinp: FloatArray,
    dweight: FloatArray,
    dbias: FloatArray | null,
    dout: FloatArray,
    inp: FloatArray,
    weight: FloatArray,
    mean: FloatArray,
    rstd: FloatArray,
    N: number,
    C: number,
  ): void {
    if (
      dinp instanceof Float64Array ||
      dweight instanceof Float64Array ||
      dbias instanceof Float64Array ||
      dout instanceof Float64Array ||
      inp instanceof Float64Array ||
      weight instanceof Float64Array ||
      mean instanceof Float64Array ||
      rstd instanceof Float64Array
    ) {
      referenceLayernormBackward(dinp, dweight, dbias, dout, inp, weight, mean, rstd, N, C);
      return;
    }
    checkCounts("layernormBackward", { N, C });
    checkLength("layernormBackward", "dinp", dinp, N * C, "N*C");
    checkLength("layernormBackward", "dweight", dweight, C, "C");
    if (dbias !== null) checkLength("layernormBackward", "dbias", dbias, C, "C");
    checkLength("layernormBackward", "dout", dout, N * C, "N*C");
    checkLength("layernormBackward", "inp", inp, N * C, "N*C");
    checkLength("layernormBackward", "weight", weight, C, "C");
    checkLength("layernormBackward", "mean", mean, N, "N");
    checkLength("layernormBackward", "rstd", rstd, N, "N");
    if (N === 0 || C === 0) return;

    begin();
    const dinpAt = place(dinp, N * C, true);
    const dweightAt = place(dweight, C, true);
    const dbiasAt = dbias === null ? 0 : place(dbias, C, true);
    const doutAt = place(dout, N * C, true),
      inpAt = place(inp, N * C, true),
      weightAt = place(weight, C, true);
    const meanAt = place(mean, N, true),
      rstdAt = place(rstd, N, true);
    // rows in two fixed parts (the helper takes the second when there is one): the first adds
    // its dweight and dbias sums straight in, the second into zeroed partial sums added after
    const partials = take(2 * C);
    const memory = floats();
    memory.fill(0, partials / 4, partials / 4 + 2 * C);
    halves(
      "layernormBackward",
      N,
      C,
      (start, count) => {
        const first = start === 0;
        return [
          dinpAt + 4 * start * C,
          first ? dweightAt : partials,
          dbias === null ? 0 : first ? dbiasAt : partials + 4 * C,
          doutAt + 4 * start * C,
          inpAt + 4 * start * C,
          weightAt,
          meanAt + 4 * start,
          rstdAt + 4 * start,
          count,
          C,
        ];
      },
      true,
    );
    for (let c = 0; c < C; c++) {
      memory[dweightAt / 4 + c] += memory[partials / 4 + c];
      if (dbias !== null) memory[dbiasAt / 4 + c] += memory[partials / 4 + C + c];
    }
    giveBack(dinp, dinpAt, N * C);
    giveBack(dweight, dweightAt, C);
    if (dbias !== null) giveBack(dbias, dbiasAt, C);
  }

  function residualForward(out: FloatArray, a: FloatArray, b: FloatArray, N: number): void {
    if (out instanceof Float64Array || a instanceof Float64Array || b instanceof Float64Array) {
      referenceResidualForward(out, a, b, N);
      return;
    }
    checkCounts("residualForward", { N });
    for (const [name, array] of [
      ["out", out],
      ["a", a],
      ["b", b],
    ] as const)
      checkLength("residualForward", name, array, N, "N");
    if (N === 0) return;
    begin();
    const outAt = place(out, N, false);
    const aAt = place(a, N, true),
      bAt = place(b, N, true);
    halves("residualForward", N, 1, (start, count) => [outAt + 4 * start, aAt + 4 * start, bAt + 4 * start, count]);
    giveBack(out, outAt, N);
  }

  /** float32 sums of SQUARES_CHUNK floats each (split between the threads by chunks), added in doubles in order */
  function sumOfSquares(x: FloatArray, N: number): number {
    if (x instanceof Float64Array) return referenceSumOfSquares(x, N);
    checkCounts("sumOfSquares", { N });
    checkLength("sumOfSquares", "x", x, N, "N");
    if (N === 0) return 0;
    begin();
    const xAt = place(x, N, true);
    const chunks = Math.ceil(N / SQUARES_CHUNK);
    const partials = take(chunks);
    halves("sumSquares", chunks, SQUARES_CHUNK, (start, count) => [
      partials + 4 * start,
      xAt + 4 * start * SQUARES_CHUNK,
      Math.min(count * SQUARES_CHUNK, N - start * SQUARES_CHUNK),
      SQUARES_CHUNK,
    ]);
    const sums = floats().subarray(partials / 4, partials / 4 + chunks);
    let sum = 0;
    for (let c = 0; c < chunks; c++) sum += sums[c];
    return sum;
  }

  function scale(x: FloatArray, N: number, factor: number): void {
    if (x instanceof Float64Array) return referenceScale(x, N, factor);
    checkCounts("scale", { N });
    checkLength("scale", "x", x, N, "N");
    if (N === 0) return;
    begin();
    const xAt = place(x, N, true);
    halves("scale", N, 1, (start, count) => [xAt + 4 * start, count, factor]);
    giveBack(x, xAt, N);
  }

  function adamwUpdate(params: FloatArray, grads: FloatArray, m: FloatArray, v: FloatArray, N: number, update: AdamWUpdate): void {
    if (params instanceof Float64Array || grads instanceof Float64Array || m instanceof Float64Array || v instanceof Float64Array) {
      referenceAdamwUpdate(params, grads, m, v, N, update);
      return;
    }
    checkCounts("adamwUpdate", { N });
    for (const [name, array] of [
      ["params", params],
      ["grads", grads],
      ["m", m],
      ["v", v],
    ] as const) {
      checkLength("adamwUpdate", name, array, N, "N");
    }
    if (N === 0) return;
    // the constants in doubles, as the reference computes them; only the per-element math is float32
    const { lr, weightDecay, beta1, beta2, eps, step } = update;
    begin();
    const paramsAt = place(params, N, true);
    const mAt = place(m, N, true);
    const vAt = place(v, N, true);
    const gradsAt = place(grads, N, true);
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
    halves("adamwUpdate", N, 1, (start, count) => [
      paramsAt + 4 * start,
      gradsAt + 4 * start,
      mAt + 4 * start,
      vAt + 4 * start,
      count,
      ...constants,
    ]);
    giveBack(params, paramsAt, N);
    giveBack(m, mAt, N);
    giveBack(v, vAt, N);
  }

  /** the B·T ids as i32s in scratch, after checking them against wte and wpe */
  function placeIds(ids: IdArray, wte: FloatArray, wpe: FloatArray, B: number, T: number, C: number): number {
    checkEmbeddingInputs(ids, wte, wpe, B, T, C);
    const at = take(B * T);
    new Int32Array(floats().buffer, at, B * T).set(ids.subarray(0, B * T));
    return at;
  }

  /** one thread: rows are few (B·T) and short (C) */
  function embeddingForward(out: FloatArray, ids: IdArray, wte: FloatArray, wpe: FloatArray, B: number, T: number, C: number): void {
    if (out instanceof Float64Array || wte instanceof Float64Array || wpe instanceof Float64Array) {
      referenceEmbeddingForward(out, ids, wte, wpe, B, T, C);
      return;
    }
    checkCounts("embeddingForward", { B, T, C });
    checkLength("embeddingForward", "out", out, B * T * C, "B*T*C");
    if (B * T * C === 0) return;
    begin();
    const idsAt = placeIds(ids, wte, wpe, B, T, C);
    const outAt = place(out, B * T * C, false);
    wasm.embeddingForward(outAt, idsAt, place(wte, wte.length, true), place(wpe, wpe.length, true), B, T, C);
    giveBack(out, outAt, B * T * C);
  }

  /** one thread: two rows with the same token add to the same row of dwte */
  function embeddingBackward(dwte: FloatArray, dwpe: FloatArray, dout: FloatArray, ids: IdArray, B: number, T: number, C: number): void {
    if (dwte instanceof Float64Array || dwpe instanceof Float64Array || dout instanceof Float64Array) {
      referenceEmbeddingBackward(dwte, dwpe, dout, ids, B, T, C);
      return;
    }
    checkCounts("embeddingBackward", { B, T, C });
    checkLength("embeddingBackward", "dout", dout, B * T * C, "B*T*C");
    if (B * T * C === 0) return;
    begin();
    const idsAt = placeIds(ids, dwte, dwpe, B, T, C);
    const dwteAt = place(dwte, dwte.length, true),
      dwpeAt = place(dwpe, dwpe.length, true);
    wasm.embeddingBackward(dwteAt, dwpeAt, place(dout, B * T * C, true), idsAt, B, T, C);
    giveBack(dwte, dwteAt, dwte.length);
    giveBack(dwpe, dwpeAt, dwpe.length);
  }

  return {
    layernormForward,
    residualLayernormForward,
    layernormBackward,
    residualForward,
    sumOfSquares,
    scale,
    adamwUpdate,
    embeddingForward,
    embeddingBackward,
  };
}

function checkCounts(kernel: string, counts: Record<string, number>): void {
  for (const [name, value] of Object.entries(counts)) {
    if (!Number.isInteger(value) || value < 0) throw new Error(`${kernel}: ${name} must be a whole number ≥ 0, got ${value}`);
  }
  // byte offsets are i32 inside the module
  const elements = Object.values(counts).reduce((a, b) => a * b, 1);
  if (elements * 4 >= 2 ** 31) throw new Error(`${kernel}: ${JSON.stringify(counts)} is too large for 32-bit byte offsets`);
}

function checkLength(kernel: string, name: string, array: FloatArray, needed: number, formula: string): void {
  if (array.length < needed) throw new Error(`${kernel}: ${name} has ${array.length} floats, ${formula} = ${needed}`);
}
