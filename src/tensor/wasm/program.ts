/**
 * The kernels' WebAssembly, written with ./assembler.ts. `buildKernelModule()` returns the
 * module's bytes; scripts/build-wasm.ts (`npm run build:wasm`) stores them in ./kernel-bytes.ts,
 * which the runtime loads (test/tensor/wasm-build.test.ts checks the two still agree).
 *
 * The module's kernels are in:
 *   ./program-gemm.ts       the blocked, packed matrix product every linear layer uses, the
 *                           bias gradient's column sums, one row through a transposed weight
 *   ./program-attention.ts  causal multi-head attention forward and backward, the KV cache's
 *                           step, the logits' softmax
 *   ./program-rows.ts       LayerNorm, residual sums, GELU, gradient norm, AdamW, embeddings
 *   ./program-exp.ts        e^x and tanh from polynomials, which those use
 * This file puts them in one module, in a fixed order, and adds `zero` (see ./README.md for
 * adding a kernel).
 *
 * Every address is a byte address in the one shared memory; strides are in elements. The
 * functions keep no state of their own (scratch comes in as arguments), so several threads
 * can run them at once on one shared memory with separate pack buffers.
 */
import { F32x4, I32, ModuleBuilder } from "./assembler.ts";
import type { AddProduct } from "./program-exp.ts";
import { defineAttention, defineAttentionStep, defineSoftmax } from "./program-attention.ts";
import { defineRowKernels } from "./program-rows.ts";
import { BLOCKING, type Blocking, defineGemm } from "./program-gemm.ts";

/** The largest memory the module accepts, in 64 KiB pages (4 GiB, all of wasm32). */
export const MAX_PAGES = 65536;

/**
 * `fma`: the matrix products (gemm's micro-kernel and rowTimesT) add each product with a fused
 * multiply-add (relaxed SIMD), one rounding instead of two and half the instructions; the
 * module then needs relaxed SIMD to validate (see ./index.ts for how it is enabled).
 */
export function buildKernelModule(blocking: Blocking = BLOCKING, { fma = false }: { fma?: boolean } = {}): Uint8Array<ArrayBuffer> {
  const addProduct: AddProduct = (acc, a, b) => (fma ? F32x4.madd(a, b, acc) : F32x4.add(acc, F32x4.mul(a, b)));
  const { MR, NR, KC, MC, NC, UNROLL } = blocking;
  const positive = [MR, NR, KC, MC, NC, UNROLL].every((x) => Number.isInteger(x) && x >= 1);
  if (!positive || NR % 4 !== 0 || MC % MR !== 0 || NC % NR !== 0) {
    throw new Error(`bad blocking ${JSON.stringify(blocking)}`);
  }
  const module = new ModuleBuilder();
  module.importMemory({ module: "env", name: "memory", minimum: 1, maximum: MAX_PAGES, shared: true });

  // the gemm family (and the GELU kernels its post-operations call)
  defineGemm(module, blocking, addProduct, fma);

  // zero(dst, n): n floats at dst set to 0 (a memory.fill)
  const zero = module.func("zero", { dst: "i32", n: "i32" }, { exported: true });
  zero.define((f, { dst, n }) => f.fill(dst, 0, I32.shl(n, 2)));

  defineAttention(module, addProduct);
  defineAttentionStep(module, addProduct);
  defineSoftmax(module);
  defineRowKernels(module);
  return module.encode();
}
