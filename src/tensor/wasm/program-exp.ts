/**
 * e^x and tanh for the kernels, in float32 from polynomials (no Math.exp in WebAssembly):
 * emitExp (one lane) and emitExp4 (four lanes, the very same floats) for the softmaxes
 * (./program-attention.ts), emitOnePlusMinusTanh for GELU (./program-rows.ts).
 */
import { type Expr, F32, F32x4, type FunctionBuilder, I32, I32x4, type Local, type ValType } from "./assembler.ts";

/** acc + a·b of four lanes: one fused multiply-add in the FMA module, a multiply then an add in the other */
export type AddProduct = (acc: Expr, a: Expr, b: Expr) => Expr;

/**
 * e^x in float32 for x ≤ 0 (a score minus its row's max), into `out`; NaN stays NaN.
 * Range reduction x = n·ln2 + r, |r| ≤ ln2/2 (ln2 split in two so n·ln2_hi is exact), then
 * e^r by its Taylor polynomial to r⁶ (relative error < 2e-7), then scaled by 2^n built from
 * the exponent bits. Below −87.33 the result would not be a normal float32: it is 0.
 */
export function emitExp(f: FunctionBuilder<Record<string, ValType>>, x: Local, out: Local, n: Local, r: Local): void {
  f.ifThen(
    F32.lt(x, F32.c(-87.33)),
    () => f.set(out, F32.c(0)),
    () => {
      f.set(n, F32.nearest(F32.mul(x, F32.c(Math.LOG2E))));
      f.set(r, F32.add(F32.sub(x, F32.mul(n, F32.c(0.693359375))), F32.mul(n, F32.c(2.1219444e-4))));
      let poly = F32.c(1 / 720);
      for (const coefficient of [1 / 120, 1 / 24, 1 / 6, 1 / 2, 1, 1]) poly = F32.add(F32.c(coefficient), F32.mul(r, poly));
      f.set(out, F32.mul(poly, F32.fromBits(I32.shl(I32.add(F32.toI32(n), 127), 23))));
    },
  );
}

/**
 * 1.5·2^23: for |y| < 2^22, y + ROUNDING is y rounded to the nearest integer n, ties to even
 * (as f32x4.nearest rounds), plus ROUNDING; its bit pattern is ROUNDING's plus n, so
 * (bits + 127) << 23 is the float 2^n (ROUNDING's own bits shift out): no float→int conversion.
 */
const ROUNDING = 12582912;

/** 2^n in four lanes, from n + ROUNDING (see ROUNDING); n within ±126 */
function twoToThe(nPlusRounding: Expr): Expr {
  return I32x4.shl(I32x4.add(nPlusRounding, I32x4.c(127)), 23);
}

/**
 * e^x of four lanes, x ≤ 0: emitExp's arithmetic lane by lane, so each lane gets emitExp's
 * float; lanes below −87.33 are 0 (NaN stays NaN). `x` is overwritten; `n` and `dead` are scratch.
 */
export function emitExp4(f: FunctionBuilder<Record<string, ValType>>, x: Local, out: Local, n: Local, dead: Local): void {
  f.set(dead, F32x4.lt(x, F32x4.c(-87.33)));
  // n = nearest(x·log2 e) by ROUNDING, and 2^n into `out` (lanes masked below may hold any bits)
  f.set(out, F32x4.add(F32x4.mul(x, F32x4.c(Math.LOG2E)), F32x4.c(ROUNDING)));
  f.set(n, F32x4.sub(out, F32x4.c(ROUNDING)));
  f.set(out, twoToThe(out));
  // r = x − n·ln2 into x, then e^r by its polynomial, times 2^n
  f.set(x, F32x4.add(F32x4.sub(x, F32x4.mul(n, F32x4.c(0.693359375))), F32x4.mul(n, F32x4.c(2.1219444e-4))));
  let poly: Expr = F32x4.c(1 / 720);
  for (const coefficient of [1 / 120, 1 / 24, 1 / 6, 1 / 2, 1, 1]) poly = F32x4.add(F32x4.c(coefficient), F32x4.mul(x, poly));
  f.set(out, F32x4.andNot(F32x4.mul(poly, out), dead));
}

/**
 * 1 + tanh u and 1 − tanh u of four lanes, into `plus` and `minus`, without cancellation:
 *   1 + tanh u = 2·e^{2u}/(e^{2u} + 1),   1 − tanh u = 2/(e^{2u} + 1)
 * with 2u clamped to ±80 (tanh is ±1 in float32 long before) and e^{2u} as in emitExp:
 * 2u = n·ln2 + r, e^r by its Taylor polynomial to r⁶, times 2^n built from the exponent bits
 * (n within ±116: always a normal float). Below 2u = −80, 1 + tanh u is 0 (as float32's tanh is
 * −1 there). GELU needs 1 + tanh and 1 − tanh² = (1 + tanh)(1 − tanh).
 */
export function emitOnePlusMinusTanh(
  f: FunctionBuilder<Record<string, ValType>>,
  u: Expr,
  plus: Local,
  minus: Local,
  r: Local,
  alive: Local,
  addProduct: AddProduct,
): void {
  const n = minus; // reused: n is done with before `minus` is written
  f.set(r, F32x4.add(u, u));
  f.set(alive, F32x4.gt(r, F32x4.c(-80)));
  f.set(r, F32x4.pmin(F32x4.pmax(r, F32x4.c(-80)), F32x4.c(80)));
  // n = nearest(2u·log2 e) by adding and taking away ROUNDING; the sum's bits give 2^n
  f.set(plus, addProduct(F32x4.c(ROUNDING), r, F32x4.c(Math.LOG2E)));
  f.set(n, F32x4.sub(plus, F32x4.c(ROUNDING)));
  f.set(r, addProduct(addProduct(r, n, F32x4.c(-0.693359375)), n, F32x4.c(2.1219444e-4)));
  let poly: Expr = F32x4.c(1 / 720);
  for (const coefficient of [1 / 120, 1 / 24, 1 / 6, 1 / 2, 1, 1]) poly = addProduct(F32x4.c(coefficient), r, poly);
  f.set(plus, F32x4.mul(poly, twoToThe(plus))); // e^{2u}
  f.set(minus, F32x4.div(F32x4.c(2), F32x4.add(plus, F32x4.c(1))));
  f.set(plus, F32x4.and(F32x4.mul(plus, minus), alive));
}
