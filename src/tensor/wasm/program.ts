/**
 * The kernels' WebAssembly, written with ./assembler.ts. `buildKernelModule()` returns the
 * module's bytes; scripts/build-wasm.ts stores them in ./kernel-bytes.ts, which the runtime
 * loads (a test checks the two still agree).
 *
 * One general matrix product does every linear layer:
 *
 *   C[M,N] = (C or bias or 0) + A[M,K] · B[K,N]
 *
 * with A and B given by element strides, so a transposed operand is just other strides:
 *   forward   out[N,OC]     = bias + inp[N,IC] · weightᵀ       A = inp,   B(i,o) = weight[o,i]
 *   backward  dinp[N,IC]   += dout[N,OC] · weight[OC,IC]       A = dout,  B = weight
 *             dweight[OC,IC] += doutᵀ · inp[N,IC]              A(o,n) = dout[n,o], B = inp
 *
 * It is blocked like BLIS / llm.c's CPU matmuls, with the whole depth of B packed at once so
 * that row blocks are independent (two threads can share one product's rows, see gemm below):
 *   for each slab of C's columns (NC wide; narrower when K is deep):
 *     1. pack B[all K, slab] into NR-wide column panels  [K][NR] (zero-padded)
 *     for each MC-tall block of rows (in order, or claimed from a shared counter):
 *       for each KC-deep slice of K:
 *         2. pack that A block into MR-tall row panels     [KC][MR] (zero-padded)
 *         3. for every NR-panel of B (its KC rows stay in L1) and every MR-panel of A:
 *            the micro-kernel keeps the MR×NR tile of C in MR·NR/4 f32x4 registers and adds
 *            one outer product per step of k: NR/4 vector loads of B, MR broadcast loads of A,
 *            MR·NR/4 multiplies and adds (fused where relaxed SIMD runs).
 *   Tiles on the ragged right/bottom edge go through a small MR×NR scratch tile.
 *
 * The module also exports `colsum` (the bias gradient), `rowTimesT` (one row through a
 * transposed weight, for generation) and causal multi-head attention, forward and backward
 * (`attnForward`, `attnBackward`, see defineAttention below), and GELU forward and backward
 * (`geluForward`, `geluBackward`, see defineGelu), the logits' softmax (`softmaxRows`), and LayerNorm, residual sums and the AdamW
 * update (`layernormForward`, `layernormBackward`, `residualForward`, `residualBackward`,
 * `adamwUpdate`, see ./program-rows.ts).
 *
 * Every address is a byte address in the one shared memory; strides are in elements. The
 * functions keep no state of their own (scratch comes in as arguments), so several threads
 * can run them at once on one shared memory with separate pack buffers.
 */
import {
  type Expr, F32, F32x4, type FunctionBuilder, I32, type I32Like, I32x4, type Local, ModuleBuilder, type ValType,
} from "./assembler.ts";
import { defineRowKernels } from "./program-rows.ts";

/** The blocking of the product (sizes in floats). */
export interface Blocking {
  /** rows of the micro-kernel's C tile */
  MR: number;
  /** columns of the micro-kernel's C tile (a multiple of 4: one f32x4 per 4 columns) */
  NR: number;
  /** depth of one K slice: a B panel KC×NR and an A panel MR×KC stay in L1 */
  KC: number;
  /** rows of one packed A block (multiple of MR): MC×KC floats stay in L2 */
  MC: number;
  /** columns of one packed B block (multiple of NR) */
  NC: number;
  /** steps of k per trip of the micro-kernel's main loop */
  UNROLL: number;
}

/**
 * The blocking the stored module is built with, chosen by measurement (Node 20 / V8 11.3 on a
 * Zen 5 core, baby-model shapes):
 *   - 2×16 (8 accumulators, 4 B vectors, 1 broadcast: 14 of the 16 xmm registers) ran at
 *     ~55 GFLOP/s; 4×8 at ~46, 6×16 at ~38, 4×12 and 3×16 spill.
 *   - UNROLL 1: TurboFan schedules all loads of an unrolled body first, runs out of registers
 *     and spills accumulators to the stack (2: ~34 GFLOP/s, 4: ~30, 8: ~28).
 *   - KC, MC, NC barely matter at these sizes (everything fits in L2); these keep a B panel
 *     (16 KiB) in L1 and the packed blocks in L2 for larger models.
 */
export const BLOCKING: Blocking = { MR: 2, NR: 16, KC: 256, MC: 64, NC: 512, UNROLL: 1 };

/** the packed B block holds this many K slices at the full slab width NC (deeper K: narrower slabs) */
const DEEP_SLICES = 4;

/** floats the packing buffers need: A block [MC,KC], B block [DEEP_SLICES·KC, NC], edge tile [MR,NR] */
export function packFloats({ MR, NR, KC, MC, NC }: Blocking): { packA: number; packB: number; tile: number } {
  return { packA: MC * KC, packB: DEEP_SLICES * KC * NC, tile: MR * NR };
}

/** the deepest K a gemm with claims can take: its B must fit one packing, at least NR wide */
export function maxClaimsDepth(blocking: Blocking): number {
  return Math.floor(packFloats(blocking).packB / blocking.NR);
}

/** How C starts before the products are added (the gemm's `init` argument). */
export const INIT_ZERO = 0;
export const INIT_FROM_C = 1;
export const INIT_FROM_BIAS = 2;

/** The largest memory the module accepts, in 64 KiB pages (4 GiB, all of wasm32). */
export const MAX_PAGES = 65536;

/**
 * `fma`: the matrix products (gemm's micro-kernel and rowTimesT) add each product with a fused
 * multiply-add (relaxed SIMD), one rounding instead of two and half the instructions; the
 * module then needs relaxed SIMD to validate (see ./index.ts for how it is enabled).
 */
/** acc + a·b of four lanes: one fused multiply-add in the FMA module, a multiply then an add in the other */
type AddProduct = (acc: Expr, a: Expr, b: Expr) => Expr;

export function buildKernelModule(blocking: Blocking = BLOCKING, { fma = false }: { fma?: boolean } = {}): Uint8Array<ArrayBuffer> {
  const addProduct: AddProduct = (acc, a, b) => (fma ? F32x4.madd(a, b, acc) : F32x4.add(acc, F32x4.mul(a, b)));
  const { MR, NR, KC, MC, NC, UNROLL } = blocking;
  const positive = [MR, NR, KC, MC, NC, UNROLL].every((x) => Number.isInteger(x) && x >= 1);
  if (!positive || NR % 4 !== 0 || MC % MR !== 0 || NC % NR !== 0) {
    throw new Error(`bad blocking ${JSON.stringify(blocking)}`);
  }
  const module = new ModuleBuilder();
  module.importMemory({ module: "env", name: "memory", minimum: 1, maximum: MAX_PAGES, shared: true });

  const NV = NR / 4; // f32x4 vectors across one tile row
  const PACK_B = packFloats(blocking).packB;

  // -------------------------------------------------------------------------------------------
  // micro(pa, pb, k, c, ldcBytes, init, bias)
  //   tile C[MR,NR] at c (rows ldcBytes apart) = start + Σ_p A[:,p] ⊗ B[p,:]
  //   pa: packed A panel [k][MR]; pb: packed B panel [k][NR]; start per `init`
  const micro = module.func("micro", {
    pa: "i32", pb: "i32", k: "i32", c: "i32", ldc: "i32", init: "i32", bias: "i32",
  });
  micro.define((f, { pa, pb, k, c, ldc, init, bias }) => {
    const acc: Local[][] = [];
    for (let r = 0; r < MR; r++) acc.push(Array.from({ length: NV }, () => f.local("v128")));
    const b: Local[] = Array.from({ length: NV }, () => f.local("v128"));
    const a = f.local("v128");
    const row = f.local("i32");
    const left = f.local("i32");

    // 1. the tile's starting value
    f.ifThen(I32.eq(init, INIT_FROM_C), () => {
      f.set(row, c);
      for (let r = 0; r < MR; r++) {
        for (let v = 0; v < NV; v++) f.set(acc[r][v], F32x4.load(row, 16 * v));
        if (r < MR - 1) f.inc(row, ldc);
      }
    }, () => {
      f.ifThen(I32.eq(init, INIT_FROM_BIAS), () => {
        for (let v = 0; v < NV; v++) f.set(b[v], F32x4.load(bias, 16 * v));
      }, () => {
        for (let v = 0; v < NV; v++) f.set(b[v], F32x4.zero());
      });
      for (let r = 0; r < MR; r++) for (let v = 0; v < NV; v++) f.set(acc[r][v], b[v]);
    });

    // 2. one outer product per step of k: `u` steps ahead of pa/pb
    const step = (u: number) => {
      for (let v = 0; v < NV; v++) f.set(b[v], F32x4.load(pb, 4 * (u * NR + 4 * v)));
      for (let r = 0; r < MR; r++) {
        f.set(a, F32x4.loadSplat(pa, 4 * (u * MR + r)));
        for (let v = 0; v < NV; v++) f.set(acc[r][v], addProduct(acc[r][v], a, b[v]));
      }
    };
    f.set(left, k);
    f.whileLoop(I32.geS(left, UNROLL), () => {
      for (let u = 0; u < UNROLL; u++) step(u);
      f.inc(pa, 4 * MR * UNROLL);
      f.inc(pb, 4 * NR * UNROLL);
      f.inc(left, -UNROLL);
    });
    f.whileLoop(I32.gtS(left, 0), () => {
      step(0);
      f.inc(pa, 4 * MR);
      f.inc(pb, 4 * NR);
      f.inc(left, -1);
    });

    // 3. store the tile
    f.set(row, c);
    for (let r = 0; r < MR; r++) {
      for (let v = 0; v < NV; v++) f.store(row, acc[r][v], 16 * v);
      if (r < MR - 1) f.inc(row, ldc);
    }
  });

  // -------------------------------------------------------------------------------------------
  // packA(dst, src, rs, cs, mc, kc): rows 0..mc of A (element (i,p) at src + 4(i·rs + p·cs)),
  //   columns 0..kc, into panels of MR rows: panel q at dst + 4·q·MR·kc, element (r,p) at [p·MR + r]
  const packA = module.func("packA", { dst: "i32", src: "i32", rs: "i32", cs: "i32", mc: "i32", kc: "i32" });
  packA.define((f, { dst, src, rs, cs, mc, kc }) => {
    const i0 = f.local("i32"), h = f.local("i32"), r = f.local("i32"), p = f.local("i32");
    const s = f.local("i32"), d = f.local("i32"), panel = f.local("i32"), cs4 = f.local("i32");
    f.set(cs4, I32.shl(cs, 2));
    f.set(panel, dst);
    f.forRange(i0, 0, mc, MR, () => {
      f.set(h, I32.minS(MR, I32.sub(mc, i0)));
      f.ifThen(I32.and(I32.eq(rs, 1), I32.eq(h, MR)), () => {
        // the panel's MR values at each p are contiguous: copy them as vectors
        f.set(s, I32.add(src, I32.shl(i0, 2)));
        f.set(d, panel);
        f.forRange(p, 0, kc, 1, () => {
          for (let v = 0; v < Math.floor(MR / 4); v++) f.store(d, F32x4.load(s, 16 * v), 16 * v);
          for (let r0 = 4 * Math.floor(MR / 4); r0 < MR; r0++) f.store(d, F32.load(s, 4 * r0), 4 * r0);
          f.inc(s, cs4);
          f.inc(d, 4 * MR);
        });
      }, () => {
        // row by row (each row of A read along p), then zero rows h..MR
        f.forRange(r, 0, MR, 1, () => {
          f.set(d, I32.add(panel, I32.shl(r, 2)));
          f.ifThen(I32.ltS(r, h), () => {
            f.set(s, I32.add(src, I32.shl(I32.mul(I32.add(i0, r), rs), 2)));
            f.forRange(p, 0, kc, 1, () => {
              f.store(d, F32.load(s));
              f.inc(s, cs4);
              f.inc(d, 4 * MR);
            });
          }, () => {
            f.forRange(p, 0, kc, 1, () => {
              f.store(d, F32.c(0));
              f.inc(d, 4 * MR);
            });
          });
        });
      });
      f.inc(panel, I32.mul(kc, 4 * MR));
    });
  });

  // -------------------------------------------------------------------------------------------
  // packB(dst, src, rs, cs, kc, nc): rows 0..kc, columns 0..nc of B (element (p,j) at
  //   src + 4(p·rs + j·cs)) into panels of NR columns: panel q at dst + 4·q·NR·kc, (p,c) at [p·NR + c]
  const packB = module.func("packB", { dst: "i32", src: "i32", rs: "i32", cs: "i32", kc: "i32", nc: "i32" });
  packB.define((f, { dst, src, rs, cs, kc, nc }) => {
    const j0 = f.local("i32"), w = f.local("i32"), col = f.local("i32"), p = f.local("i32");
    const s = f.local("i32"), d = f.local("i32"), panel = f.local("i32"), rs4 = f.local("i32");
    f.set(rs4, I32.shl(rs, 2));
    f.set(panel, dst);
    f.forRange(j0, 0, nc, NR, () => {
      f.set(w, I32.minS(NR, I32.sub(nc, j0)));
      f.ifThen(I32.and(I32.eq(cs, 1), I32.eq(w, NR)), () => {
        // each row's NR values are contiguous: copy them as vectors
        f.set(s, I32.add(src, I32.shl(j0, 2)));
        f.set(d, panel);
        f.forRange(p, 0, kc, 1, () => {
          for (let v = 0; v < NR / 4; v++) f.store(d, F32x4.load(s, 16 * v), 16 * v);
          f.inc(s, rs4);
          f.inc(d, 4 * NR);
        });
      }, () => {
        // column by column (each column of B read along p), then zero columns w..NR
        f.forRange(col, 0, NR, 1, () => {
          f.set(d, I32.add(panel, I32.shl(col, 2)));
          f.ifThen(I32.ltS(col, w), () => {
            f.set(s, I32.add(src, I32.shl(I32.mul(I32.add(j0, col), cs), 2)));
            f.forRange(p, 0, kc, 1, () => {
              f.store(d, F32.load(s));
              f.inc(s, rs4);
              f.inc(d, 4 * NR);
            });
          }, () => {
            f.forRange(p, 0, kc, 1, () => {
              f.store(d, F32.c(0));
              f.inc(d, 4 * NR);
            });
          });
        });
      });
      f.inc(panel, I32.mul(kc, 4 * NR));
    });
  });

  // -------------------------------------------------------------------------------------------
  // gemm(c, ldc, a, rsA, csA, b, rsB, csB, bias, M, N, K, init, packA, packB, tile, claims)
  //   C[M,N] (rows ldc elements apart) = start + A[M,K]·B[K,N]; start per `init`
  //   (INIT_FROM_BIAS reads bias[N]). packA/packB/tile: scratch of packFloats()'s sizes.
  //   claims = 0: this call computes every row block, in order. Otherwise it is the byte address
  //   of one i32 counter per column slab (ceil(N/NR) of them are enough), zeroed by the caller,
  //   and several threads may run the very same call at once (each with its own scratch): each
  //   takes the next MC rows of a slab with an atomic add until none are left, so a thread that
  //   starts late or is slowed by the host simply takes fewer. Claims need K ≤ PACK_B/NR (one
  //   pass over K: a later pass adds to rows that the other thread may still be writing).
  const gemm = module.func("gemm", {
    c: "i32", ldc: "i32", a: "i32", rsA: "i32", csA: "i32", b: "i32", rsB: "i32", csB: "i32",
    bias: "i32", M: "i32", N: "i32", K: "i32", init: "i32", pa: "i32", pb: "i32", tile: "i32", claims: "i32",
  }, { exported: true });
  gemm.define((f, { c, ldc, a, rsA, csA, b, rsB, csB, bias, M, N, K, init, pa, pb, tile, claims }) => {
    const jc = f.local("i32"), nc = f.local("i32"), pc = f.local("i32"), kc = f.local("i32");
    const ic = f.local("i32"), mc = f.local("i32"), jr = f.local("i32"), nr = f.local("i32");
    const ir = f.local("i32"), mr = f.local("i32"), mode = f.local("i32"), ctile = f.local("i32");
    const apanel = f.local("i32"), bpanel = f.local("i32"), biasAt = f.local("i32");
    const ldc4 = f.local("i32"), r = f.local("i32"), col = f.local("i32"), t = f.local("i32");
    const deepest = f.local("i32"), width = f.local("i32"), pd = f.local("i32"), kd = f.local("i32");
    const counter = f.local("i32"), next = f.local("i32"), packed = f.local("i32");
    // no K: nothing to add (the callers handle it)
    f.ifThen(I32.leS(K, 0), () => f.ret());
    f.set(ldc4, I32.shl(ldc, 2));
    // 1. how much of B one packing holds: all of K (up to PACK_B/NR deep) for a slab of
    //    `width` columns, NC when it fits, narrower (a multiple of NR) for deep K
    f.set(deepest, I32.minS(K, PACK_B / NR));
    f.set(width, I32.minS(NC, I32.mul(I32.divS(I32.divS(I32.c(PACK_B), deepest), NR), NR)));
    f.set(counter, claims);
    f.set(jc, 0);
    f.whileLoop(I32.ltS(jc, N), () => {
      f.set(nc, I32.minS(width, I32.sub(N, jc)));
      f.set(pd, 0);
      f.whileLoop(I32.ltS(pd, K), () => {
        f.set(kd, I32.minS(deepest, I32.sub(K, pd)));
        // 2. row blocks: the next one in order, or the next unclaimed one
        f.set(packed, 0);
        forClaimed(f, ic, M, MC, counter, next, () => {
          // 3. with the first block: pack B[pd…pd+kd, jc…jc+nc] into NR-wide panels, each kd deep
          //    (a thread that finds every block taken packs nothing)
          f.ifThen(I32.eqz(packed), () => {
            f.call(packB, [pb, I32.add(b, I32.shl(I32.add(I32.mul(pd, rsB), I32.mul(jc, csB)), 2)), rsB, csB, kd, nc]);
            f.set(packed, 1);
          });
          f.set(mc, I32.minS(MC, I32.sub(M, ic)));
          f.forRange(pc, 0, kd, KC, () => {
            f.set(kc, I32.minS(KC, I32.sub(kd, pc)));
            // the first K slice starts C per `init`; later ones add to it
            f.set(mode, init);
            f.ifThen(I32.gtS(I32.add(pd, pc), 0), () => f.set(mode, INIT_FROM_C));
            // 4. pack A[ic…, pd+pc…]
            f.call(packA, [pa, I32.add(a, I32.shl(I32.add(I32.mul(ic, rsA), I32.mul(I32.add(pd, pc), csA)), 2)), rsA, csA, mc, kc]);
            // 5. every tile of this block: B panel jr/NR, rows pc… of it
            f.forRange(jr, 0, nc, NR, () => {
              f.set(nr, I32.minS(NR, I32.sub(nc, jr)));
              f.set(bpanel, I32.add(pb, I32.shl(I32.add(I32.mul(jr, kd), I32.mul(pc, NR)), 2)));
              f.set(biasAt, I32.add(bias, I32.shl(I32.add(jc, jr), 2)));
              f.forRange(ir, 0, mc, MR, () => {
                f.set(mr, I32.minS(MR, I32.sub(mc, ir)));
                f.set(apanel, I32.add(pa, I32.shl(I32.mul(ir, kc), 2)));
                f.set(ctile, I32.add(c, I32.shl(I32.add(I32.mul(I32.add(ic, ir), ldc), I32.add(jc, jr)), 2)));
                f.ifThen(I32.and(I32.eq(mr, MR), I32.eq(nr, NR)), () => {
                  f.call(micro, [apanel, bpanel, kc, ctile, ldc4, mode, biasAt]);
                }, () => {
                  // ragged edge: start the scratch tile like C's valid part, compute, copy back
                  f.forRange(r, 0, MR, 1, () => {
                    f.forRange(col, 0, NR, 1, () => {
                      f.set(t, I32.add(tile, I32.shl(I32.add(I32.mul(r, NR), col), 2)));
                      f.store(t, F32.c(0));
                      f.ifThen(I32.and(I32.ltS(r, mr), I32.ltS(col, nr)), () => {
                        f.ifThen(I32.eq(mode, INIT_FROM_C), () => {
                          f.store(t, F32.load(I32.add(ctile, I32.add(I32.mul(r, ldc4), I32.shl(col, 2)))));
                        });
                        f.ifThen(I32.eq(mode, INIT_FROM_BIAS), () => {
                          f.store(t, F32.load(I32.add(biasAt, I32.shl(col, 2))));
                        });
                      });
                    });
                  });
                  f.call(micro, [apanel, bpanel, kc, tile, 4 * NR, INIT_FROM_C, 0]);
                  f.forRange(r, 0, mr, 1, () => {
                    f.forRange(col, 0, nr, 1, () => {
                      f.store(I32.add(ctile, I32.add(I32.mul(r, ldc4), I32.shl(col, 2))),
                        F32.load(I32.add(tile, I32.shl(I32.add(I32.mul(r, NR), col), 2))));
                    });
                  });
                });
              });
            });
          });
        });
        f.inc(pd, kd);
      });
      f.ifThen(claims, () => f.inc(counter, 4));
      f.inc(jc, nc);
    });
  });

  // -------------------------------------------------------------------------------------------
  // colsum(out, src, rows, cols): out[j] += Σ_n src[n·cols + j]  (the bias gradient)
  //   16 columns at a time (one cache line of each row), then 4, then one
  const colsum = module.func("colsum", { out: "i32", src: "i32", rows: "i32", cols: "i32" }, { exported: true });
  colsum.define((f, { out, src, rows, cols }) => {
    const j = f.local("i32"), n = f.local("i32"), s = f.local("i32"), stride = f.local("i32");
    const sums = Array.from({ length: 4 }, () => f.local("v128"));
    const sum = f.local("f32");
    f.set(stride, I32.shl(cols, 2));
    f.set(j, 0);
    for (const width of [16, 4]) {
      const vectors = width / 4;
      f.whileLoop(I32.leS(I32.add(j, width), cols), () => {
        for (let v = 0; v < vectors; v++) f.set(sums[v], F32x4.zero());
        f.set(s, I32.add(src, I32.shl(j, 2)));
        f.forRange(n, 0, rows, 1, () => {
          for (let v = 0; v < vectors; v++) f.set(sums[v], F32x4.add(sums[v], F32x4.load(s, 16 * v)));
          f.inc(s, stride);
        });
        const at = I32.add(out, I32.shl(j, 2));
        for (let v = 0; v < vectors; v++) f.store(at, F32x4.add(F32x4.load(at, 16 * v), sums[v]), 16 * v);
        f.inc(j, width);
      });
    }
    f.whileLoop(I32.ltS(j, cols), () => {
      f.set(sum, F32.c(0));
      f.set(s, I32.add(src, I32.shl(j, 2)));
      f.forRange(n, 0, rows, 1, () => {
        f.set(sum, F32.add(sum, F32.load(s)));
        f.inc(s, stride);
      });
      const at = I32.add(out, I32.shl(j, 2));
      f.store(at, F32.add(F32.load(at), sum));
      f.inc(j, 1);
    });
  });

  // -------------------------------------------------------------------------------------------
  // rowTimesT(out, x, wt, bias, IC, OC, init): out[o] = start + Σ_i x[i]·wt[i·OC + o]
  //   One row through a layer whose weight is kept transposed, wt [IC,OC] (the KV cache's step:
  //   no packing, every load a vector). Each output adds its products in ascending i, one f32
  //   multiply and one f32 add at a time, exactly as the micro-kernel does: the results equal
  //   gemm's bit for bit. 32 outputs at a time (eight independent sums, two cache lines of each
  //   weight row), then 4, then one.
  const rowTimesT = module.func("rowTimesT", {
    out: "i32", x: "i32", wt: "i32", bias: "i32", IC: "i32", OC: "i32", init: "i32",
  }, { exported: true });
  rowTimesT.define((f, { out, x, wt, bias, IC, OC, init }) => {
    const o = f.local("i32"), i = f.local("i32"), w = f.local("i32"), xs = f.local("i32"), stride = f.local("i32");
    const acc = Array.from({ length: 8 }, () => f.local("v128"));
    const a = f.local("v128");
    const sum = f.local("f32");
    f.set(stride, I32.shl(OC, 2));
    f.set(o, 0);
    for (const width of [32, 4]) {
      const vectors = width / 4;
      f.whileLoop(I32.leS(I32.add(o, width), OC), () => {
        // 1. start from the bias (or zero)
        f.ifThen(I32.eq(init, INIT_FROM_BIAS), () => {
          for (let v = 0; v < vectors; v++) f.set(acc[v], F32x4.load(I32.add(bias, I32.shl(o, 2)), 16 * v));
        }, () => {
          for (let v = 0; v < vectors; v++) f.set(acc[v], F32x4.zero());
        });
        // 2. acc += x[i] · wt[i, o…o+width) for i = 0 … IC−1
        f.set(w, I32.add(wt, I32.shl(o, 2)));
        f.set(xs, x);
        f.forRange(i, 0, IC, 1, () => {
          f.set(a, F32x4.loadSplat(xs));
          for (let v = 0; v < vectors; v++) f.set(acc[v], addProduct(acc[v], a, F32x4.load(w, 16 * v)));
          f.inc(w, stride);
          f.inc(xs, 4);
        });
        for (let v = 0; v < vectors; v++) f.store(I32.add(out, I32.shl(o, 2)), acc[v], 16 * v);
        f.inc(o, width);
      });
    }
    f.whileLoop(I32.ltS(o, OC), () => {
      f.set(sum, F32.c(0));
      f.ifThen(I32.eq(init, INIT_FROM_BIAS), () => f.set(sum, F32.load(I32.add(bias, I32.shl(o, 2)))));
      f.set(w, I32.add(wt, I32.shl(o, 2)));
      f.set(xs, x);
      f.forRange(i, 0, IC, 1, () => {
        // one lane of the vector path's operation, so every output is summed alike
        if (fma) f.set(sum, F32x4.extractLane(F32x4.madd(F32x4.loadSplat(xs), F32x4.loadSplat(w), F32x4.splat(sum)), 0));
        else f.set(sum, F32.add(sum, F32.mul(F32.load(xs), F32.load(w))));
        f.inc(w, stride);
        f.inc(xs, 4);
      });
      f.store(I32.add(out, I32.shl(o, 2)), sum);
      f.inc(o, 1);
    });
  });

  // zero(dst, n): n floats at dst set to 0 (a memory.fill)
  const zero = module.func("zero", { dst: "i32", n: "i32" }, { exported: true });
  zero.define((f, { dst, n }) => f.fill(dst, 0, I32.shl(n, 2)));

  defineAttention(module, addProduct);
  defineAttentionStep(module, addProduct);
  defineSoftmax(module);
  defineGelu(module, addProduct);
  defineRowKernels(module);
  return module.encode();
}

/**
 * for (i = 0; i < end; i = next) body, where next is i + step when `counter` is 0 (this thread
 * takes every i, in order); otherwise `counter` is the byte address of a shared i32, zeroed by
 * the caller, and each i is what an atomic add of `step` to it returned, so threads running the
 * same loop take turns and no i is done twice. `next` is scratch.
 */
function forClaimed(f: FunctionBuilder<Record<string, ValType>>, i: Local, end: I32Like, step: number,
  counter: Local, next: Local, body: () => void): void {
  f.set(next, 0);
  f.block((done) => {
    f.loop((top) => {
      f.ifThen(counter, () => f.set(i, I32.atomicAdd(counter, step)), () => {
        f.set(i, next);
        f.inc(next, step);
      });
      f.brIf(done, I32.geS(i, end));
      body();
      f.br(top);
    });
  });
}

/**
 * e^x in float32 for x ≤ 0 (a score minus its row's max), into `out`; NaN stays NaN.
 * Range reduction x = n·ln2 + r, |r| ≤ ln2/2 (ln2 split in two so n·ln2_hi is exact), then
 * e^r by its Taylor polynomial to r⁶ (relative error < 2e-7), then scaled by 2^n built from
 * the exponent bits. Below −87.33 the result would not be a normal float32: it is 0.
 */
function emitExp(f: FunctionBuilder<Record<string, ValType>>, x: Local, out: Local, n: Local, r: Local): void {
  f.ifThen(F32.lt(x, F32.c(-87.33)), () => f.set(out, F32.c(0)), () => {
    f.set(n, F32.nearest(F32.mul(x, F32.c(Math.LOG2E))));
    f.set(r, F32.add(F32.sub(x, F32.mul(n, F32.c(0.693359375))), F32.mul(n, F32.c(2.12194440e-4))));
    let poly = F32.c(1 / 720);
    for (const coefficient of [1 / 120, 1 / 24, 1 / 6, 1 / 2, 1, 1]) poly = F32.add(F32.c(coefficient), F32.mul(r, poly));
    f.set(out, F32.mul(poly, F32.fromBits(I32.shl(I32.add(F32.toI32(n), 127), 23))));
  });
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
function emitExp4(f: FunctionBuilder<Record<string, ValType>>, x: Local, out: Local, n: Local, dead: Local): void {
  f.set(dead, F32x4.lt(x, F32x4.c(-87.33)));
  // n = nearest(x·log2 e) by ROUNDING, and 2^n into `out` (lanes masked below may hold any bits)
  f.set(out, F32x4.add(F32x4.mul(x, F32x4.c(Math.LOG2E)), F32x4.c(ROUNDING)));
  f.set(n, F32x4.sub(out, F32x4.c(ROUNDING)));
  f.set(out, twoToThe(out));
  // r = x − n·ln2 into x, then e^r by its polynomial, times 2^n
  f.set(x, F32x4.add(F32x4.sub(x, F32x4.mul(n, F32x4.c(0.693359375))), F32x4.mul(n, F32x4.c(2.12194440e-4))));
  let poly: Expr = F32x4.c(1 / 720);
  for (const coefficient of [1 / 120, 1 / 24, 1 / 6, 1 / 2, 1, 1]) poly = F32x4.add(F32x4.c(coefficient), F32x4.mul(x, poly));
  f.set(out, F32x4.andNot(F32x4.mul(poly, out), dead));
}

/** Scratch locals of emitSoftmax: f32 score, sum, e, n, r, inv; i32 t2; v128 acc[0…3] and w. */
interface SoftmaxLocals {
  t2: Local; score: Local; sum: Local; e: Local; n: Local; r: Local; inv: Local;
  acc: Local[]; w: Local;
}

/**
 * weights[0…count) = e^(scores − max) / Σ e^(scores − max), for `count` floats at byte addresses
 * `scores` and `weights` (may be the same) whose largest is `max`: the exponentials four at a
 * time, then one (each the same float either way); summed one by one in order, in float32.
 */
function emitSoftmax(f: FunctionBuilder<Record<string, ValType>>, scores: Local, weights: Local, count: Expr, max: Local,
  { t2, score, sum, e, n, r, inv, acc, w }: SoftmaxLocals): void {
  const scoreAt = I32.add(scores, I32.shl(t2, 2));
  const weightAt = I32.add(weights, I32.shl(t2, 2));
  // 1. e^(score − max), and their sum
  f.set(sum, F32.c(0));
  f.set(acc[1], F32x4.splat(max));
  f.set(t2, 0);
  f.whileLoop(I32.leS(I32.add(t2, 4), count), () => {
    f.set(acc[0], F32x4.sub(F32x4.load(scoreAt), acc[1]));
    emitExp4(f, acc[0], acc[2], acc[3], w);
    f.store(weightAt, acc[2]);
    for (let k = 0; k < 4; k++) f.set(sum, F32.add(sum, F32x4.extractLane(acc[2], k)));
    f.inc(t2, 4);
  });
  f.whileLoop(I32.ltS(t2, count), () => {
    f.set(score, F32.sub(F32.load(scoreAt), max));
    emitExp(f, score, e, n, r);
    f.store(weightAt, e);
    f.set(sum, F32.add(sum, e));
    f.inc(t2, 1);
  });
  // 2. each divided by the sum (times its reciprocal)
  f.set(inv, F32.div(F32.c(1), sum));
  f.set(acc[1], F32x4.splat(inv));
  f.set(t2, 0);
  f.whileLoop(I32.leS(I32.add(t2, 4), count), () => {
    f.store(weightAt, F32x4.mul(F32x4.load(weightAt), acc[1]));
    f.inc(t2, 4);
  });
  f.whileLoop(I32.ltS(t2, count), () => {
    f.store(weightAt, F32.mul(F32.load(weightAt), inv));
    f.inc(t2, 1);
  });
}

/**
 * softmaxRows(probs, logits, rows, V): probs[r,:] = softmax(logits[r,:]) for `rows` rows of V
 * floats (../crossentropy.ts's softmaxForward): 1. the row's max, four at a time then one,
 * 2. emitSoftmax.
 */
function defineSoftmax(module: ModuleBuilder): void {
  const softmax = module.func("softmaxRows", { probs: "i32", logits: "i32", rows: "i32", V: "i32" }, { exported: true });
  softmax.define((f, { probs, logits, rows, V }) => {
    const row = f.local("i32"), src = f.local("i32"), dst = f.local("i32"), t2 = f.local("i32");
    const max = f.local("f32"), score = f.local("f32"), sum = f.local("f32"), e = f.local("f32");
    const n = f.local("f32"), r = f.local("f32"), inv = f.local("f32");
    const acc = Array.from({ length: 4 }, () => f.local("v128")), w = f.local("v128");
    f.set(src, logits);
    f.set(dst, probs);
    f.forRange(row, 0, rows, 1, () => {
      // 1. max
      f.set(w, F32x4.splat(F32.c(-Infinity)));
      f.set(t2, 0);
      f.whileLoop(I32.leS(I32.add(t2, 4), V), () => {
        f.set(w, F32x4.max(w, F32x4.load(I32.add(src, I32.shl(t2, 2)))));
        f.inc(t2, 4);
      });
      f.set(max, F32.max(F32.max(F32x4.extractLane(w, 0), F32x4.extractLane(w, 1)), F32.max(F32x4.extractLane(w, 2), F32x4.extractLane(w, 3))));
      f.whileLoop(I32.ltS(t2, V), () => {
        f.set(max, F32.max(max, F32.load(I32.add(src, I32.shl(t2, 2)))));
        f.inc(t2, 1);
      });
      // 2. the softmax
      emitSoftmax(f, src, dst, V, max, { t2, score, sum, e, n, r, inv, acc, w });
      f.inc(src, I32.shl(V, 2));
      f.inc(dst, I32.shl(V, 2));
    });
  });
}

/** Where one attention row reads and writes (byte addresses and strides), and its scratch locals. */
interface AttentionRow {
  /** this row's query (HS floats) */
  q: Local;
  /** the first key and value of this head; rows `stride` bytes apart */
  keys: Expr;
  values: Expr;
  stride: Local;
  /** how many keys: positions 0 … count−1 */
  count: Expr;
  /** the scaled scores and the softmaxed weights (count floats each; may be the same row) */
  scores: Local;
  weights: Local;
  /** the row's output (HS floats) */
  out: Local;
  HSb: Local;
  scale: Local;
  tmp: {
    key: Local; value: Local; t2: Local; i: Local;
    max: Local; score: Local; sum: Local; e: Local; n: Local; r: Local; inv: Local;
    /** four v128 */
    acc: Local[]; w: Local;
  };
}


/**
 * One query's attention, the reference's three steps with f32x4 along the head's channels:
 *   1. scores[t2] = q·k_t2 / √HS, and their max (four keys at a time, then one)
 *   2. weights = softmax(scores) (exponentials four at a time, summed in t2's order)
 *   3. out = Σ_t2 weights[t2]·v_t2, 16 channels at a time, then 4
 * attnForward runs it for every (b, t, h), attnStep for the one new query: the same
 * instructions, so a cached step gives the full pass's floats. Each score and weight is the
 * same float whether its key went in a group of four or alone.
 */
function emitAttentionRow(f: FunctionBuilder<Record<string, ValType>>, row: AttentionRow, addProduct: AddProduct): void {
  const { q, stride, count, scores, weights, out, HSb, scale } = row;
  const { key, value, t2, i, max, score, sum, e, n, r, inv, acc, w } = row.tmp;
  const scoreAt = (k: number) => I32.add(scores, I32.shl(I32.add(t2, k), 2));
  // 1. scores and their max: four keys (`key`, +stride, +2·stride, +3·stride) share each q load
  f.set(max, F32.c(-Infinity));
  f.set(key, row.keys);
  f.set(t2, 0);
  f.whileLoop(I32.leS(I32.add(t2, 4), count), () => {
    for (const a of acc) f.set(a, F32x4.zero());
    f.forRange(i, 0, HSb, 16, () => {
      f.set(w, F32x4.load(I32.add(q, i)));
      f.set(value, I32.add(key, i));
      for (let k = 0; k < 4; k++) {
        f.set(acc[k], addProduct(acc[k], w, F32x4.load(value)));
        if (k < 3) f.inc(value, stride);
      }
    });
    for (let k = 0; k < 4; k++) {
      f.set(score, F32.mul(F32x4.sum(acc[k]), scale));
      f.store(scoreAt(k), score);
      f.set(max, F32.max(max, score));
    }
    f.inc(key, I32.shl(stride, 2));
    f.inc(t2, 4);
  });
  f.whileLoop(I32.ltS(t2, count), () => {
    f.set(acc[0], F32x4.zero());
    f.forRange(i, 0, HSb, 16, () => {
      f.set(acc[0], addProduct(acc[0], F32x4.load(I32.add(q, i)), F32x4.load(I32.add(key, i))));
    });
    f.set(score, F32.mul(F32x4.sum(acc[0]), scale));
    f.store(scoreAt(0), score);
    f.set(max, F32.max(max, score));
    f.inc(key, stride);
    f.inc(t2, 1);
  });
  // 2. softmax
  emitSoftmax(f, scores, weights, count, max, { t2, score, sum, e, n, r, inv, acc, w });
  // 3. the weighted sum of the values
  f.set(i, 0);
  for (const width of [16, 4]) {
    const vectors = width / 4;
    f.whileLoop(I32.leS(I32.add(i, 4 * width), HSb), () => {
      for (let j = 0; j < vectors; j++) f.set(acc[j], F32x4.zero());
      f.set(value, I32.add(row.values, i));
      f.forRange(t2, 0, count, 1, () => {
        f.set(w, F32x4.loadSplat(I32.add(weights, I32.shl(t2, 2))));
        for (let j = 0; j < vectors; j++) f.set(acc[j], addProduct(acc[j], w, F32x4.load(value, 16 * j)));
        f.inc(value, stride);
      });
      for (let j = 0; j < vectors; j++) f.store(I32.add(out, i), acc[j], 16 * j);
      f.inc(i, 4 * width);
    });
  }
}

/**
 * Causal multi-head attention, the reference's math (../attention.ts) with f32x4 along the
 * head's channels. Sizes as there; HS = C/NH must be a multiple of 4. Byte strides: a token's
 * qkv row is 3C floats, its out/dout row C floats; row (b,h,t) of preatt/att/… is T floats.
 */
function defineAttention(module: ModuleBuilder, addProduct: AddProduct): void {
  const sizes = { B: "i32", T: "i32", C: "i32", NH: "i32", HS: "i32", scale: "f32" } as const;

  // attnForward(out, preatt, att, qkv, B, T, C, NH, HS, scale, claims): batch rows in order, or
  //   claimed from the i32 counter at `claims` (see forClaimed) when several threads share them
  const forward = module.func("attnForward", { out: "i32", preatt: "i32", att: "i32", qkv: "i32", ...sizes, claims: "i32" }, { exported: true });
  forward.define((f, { out, preatt, att, qkv, B, T, C, NH, HS, scale, claims }) => {
    const next = f.local("i32");
    const C3b = f.local("i32"), Cb = f.local("i32"), HSb = f.local("i32");
    const b = f.local("i32"), t = f.local("i32"), h = f.local("i32"), t2 = f.local("i32"), i = f.local("i32");
    const q = f.local("i32"), key = f.local("i32"), prow = f.local("i32"), arow = f.local("i32");
    const o = f.local("i32"), value = f.local("i32"), kbase = f.local("i32");
    const max = f.local("f32"), score = f.local("f32"), sum = f.local("f32"), e = f.local("f32");
    const n = f.local("f32"), r = f.local("f32"), inv = f.local("f32");
    const acc = Array.from({ length: 4 }, () => f.local("v128")), w = f.local("v128");
    f.set(C3b, I32.mul(C, 12));
    f.set(Cb, I32.shl(C, 2));
    f.set(HSb, I32.shl(HS, 2));
    forClaimed(f, b, B, 1, claims, next, () => f.forRange(t, 0, T, 1, () => f.forRange(h, 0, NH, 1, () => {
      f.set(kbase, I32.add(qkv, I32.add(I32.mul(I32.mul(b, T), C3b), I32.add(Cb, I32.mul(h, HSb)))));
      f.set(q, I32.add(I32.sub(kbase, Cb), I32.mul(t, C3b)));
      f.set(prow, I32.shl(I32.mul(I32.add(I32.mul(I32.add(I32.mul(b, NH), h), T), t), T), 2));
      f.set(arow, I32.add(att, prow));
      f.inc(prow, preatt);

      f.set(o, I32.add(out, I32.add(I32.mul(I32.add(I32.mul(b, T), t), Cb), I32.mul(h, HSb))));
      emitAttentionRow(f, {
        q, keys: kbase, values: I32.add(kbase, Cb), stride: C3b, count: I32.add(t, 1), scores: prow, weights: arow, out: o,
        HSb, scale, tmp: { key, value, t2, i, max, score, sum, e, n, r, inv, acc, w },
      }, addProduct);
      // the future is exactly 0 in both rows
      f.forRange(t2, I32.add(t, 1), T, 1, () => {
        f.store(I32.add(prow, I32.shl(t2, 2)), F32.c(0));
        f.store(I32.add(arow, I32.shl(t2, 2)), F32.c(0));
      });
    })));
  });

  // attnBackward(dqkv, dpreatt, datt, dout, qkv, att, B, T, C, NH, HS, scale, claims): batch
  //   rows as in attnForward
  const backward = module.func("attnBackward", {
    dqkv: "i32", dpreatt: "i32", datt: "i32", dout: "i32", qkv: "i32", att: "i32", ...sizes, claims: "i32",
  }, { exported: true });
  backward.define((f, { dqkv, dpreatt, datt, dout, qkv, att, B, T, C, NH, HS, scale, claims }) => {
    const next = f.local("i32");
    const C3b = f.local("i32"), Cb = f.local("i32"), HSb = f.local("i32");
    const b = f.local("i32"), t = f.local("i32"), h = f.local("i32"), t2 = f.local("i32"), i = f.local("i32");
    const qOff = f.local("i32"), kOff = f.local("i32"), d = f.local("i32"), row = f.local("i32");
    const at = f.local("i32"), x = f.local("i32"), dx = f.local("i32");
    const wd = f.local("f32"), a = f.local("f32");
    const acc = Array.from({ length: 4 }, () => f.local("v128"));
    const qv = Array.from({ length: 4 }, () => f.local("v128"));
    const w = f.local("v128"), dd = f.local("v128");
    f.set(C3b, I32.mul(C, 12));
    f.set(Cb, I32.shl(C, 2));
    f.set(HSb, I32.shl(HS, 2));
    forClaimed(f, b, B, 1, claims, next, () => {
      // 0. this batch row's dqkv [T, 3C] starts at 0: only its own tokens add to it
      f.fill(I32.add(dqkv, I32.mul(I32.mul(b, T), C3b)), 0, I32.mul(T, C3b));
      f.forRange(t, 0, T, 1, () => f.forRange(h, 0, NH, 1, () => {
        // byte offsets inside qkv/dqkv: this token's query, key 0 of the batch row (value 0 is +Cb)
        f.set(kOff, I32.add(I32.mul(I32.mul(b, T), C3b), I32.add(Cb, I32.mul(h, HSb))));
        f.set(qOff, I32.add(I32.sub(kOff, Cb), I32.mul(t, C3b)));
        f.set(d, I32.add(dout, I32.add(I32.mul(I32.add(I32.mul(b, T), t), Cb), I32.mul(h, HSb))));
        f.set(row, I32.shl(I32.mul(I32.add(I32.mul(I32.add(I32.mul(b, NH), h), T), t), T), 2));

        // 3. datt[t2] = v_t2·dout_t;  dv_t2 += att[t2]·dout_t: four keys at a time (each dout
        //    load serves four), then one; each key's sums run in the same order either way
        f.set(t2, 0);
        f.whileLoop(I32.leS(I32.add(t2, 4), I32.add(t, 1)), () => {
          f.set(at, I32.add(I32.add(kOff, Cb), I32.mul(t2, C3b)));
          for (let k = 0; k < 4; k++) {
            f.set(qv[k], F32x4.loadSplat(I32.add(att, I32.add(row, I32.shl(I32.add(t2, k), 2)))));
            f.set(acc[k], F32x4.zero());
          }
          f.forRange(i, 0, HSb, 16, () => {
            f.set(dd, F32x4.load(I32.add(d, i)));
            f.set(x, I32.add(I32.add(qkv, at), i));
            f.set(dx, I32.add(I32.add(dqkv, at), i));
            for (let k = 0; k < 4; k++) {
              f.set(acc[k], addProduct(acc[k], F32x4.load(x), dd));
              f.store(dx, addProduct(F32x4.load(dx), qv[k], dd));
              if (k < 3) {
                f.inc(x, C3b);
                f.inc(dx, C3b);
              }
            }
          });
          for (let k = 0; k < 4; k++) {
            f.store(I32.add(datt, I32.add(row, I32.shl(I32.add(t2, k), 2))), F32x4.sum(acc[k]));
          }
          f.inc(t2, 4);
        });
        f.whileLoop(I32.leS(t2, t), () => {
          f.set(at, I32.add(I32.add(kOff, Cb), I32.mul(t2, C3b)));
          f.set(x, I32.add(qkv, at));
          f.set(dx, I32.add(dqkv, at));
          f.set(w, F32x4.loadSplat(I32.add(att, I32.add(row, I32.shl(t2, 2)))));
          f.set(acc[0], F32x4.zero());
          f.forRange(i, 0, HSb, 16, () => {
            f.set(dd, F32x4.load(I32.add(d, i)));
            f.set(acc[0], addProduct(acc[0], F32x4.load(I32.add(x, i)), dd));
            f.store(I32.add(dx, i), addProduct(F32x4.load(I32.add(dx, i)), w, dd));
          });
          f.store(I32.add(datt, I32.add(row, I32.shl(t2, 2))), F32x4.sum(acc[0]));
          f.inc(t2, 1);
        });

        // 2. dpreatt[t2] = att[t2]·(datt[t2] − Σ att·datt): the sum one by one, the rest four at a time
        f.set(wd, F32.c(0));
        f.forRange(t2, 0, I32.add(t, 1), 1, () => {
          f.set(at, I32.add(row, I32.shl(t2, 2)));
          f.set(wd, F32.add(wd, F32.mul(F32.load(I32.add(att, at)), F32.load(I32.add(datt, at)))));
        });
        f.set(w, F32x4.splat(wd));
        f.set(t2, 0);
        f.whileLoop(I32.leS(I32.add(t2, 4), I32.add(t, 1)), () => {
          f.set(at, I32.add(row, I32.shl(t2, 2)));
          f.store(I32.add(dpreatt, at), F32x4.mul(F32x4.load(I32.add(att, at)), F32x4.sub(F32x4.load(I32.add(datt, at)), w)));
          f.inc(t2, 4);
        });
        f.whileLoop(I32.leS(t2, t), () => {
          f.set(at, I32.add(row, I32.shl(t2, 2)));
          f.set(a, F32.load(I32.add(att, at)));
          f.store(I32.add(dpreatt, at), F32.mul(a, F32.sub(F32.load(I32.add(datt, at)), wd)));
          f.inc(t2, 1);
        });

        // 1. dq_t += Σ dpreatt[t2]/√HS · k_t2;  dk_t2 += dpreatt[t2]/√HS · q_t  (16 channels at a time, then 4)
        f.set(i, 0);
        for (const width of [16, 4]) {
          const vectors = width / 4;
          f.whileLoop(I32.leS(I32.add(i, 4 * width), HSb), () => {
            for (let j = 0; j < vectors; j++) {
              f.set(acc[j], F32x4.zero());
              f.set(qv[j], F32x4.load(I32.add(I32.add(qkv, qOff), i), 16 * j));
            }
            f.forRange(t2, 0, I32.add(t, 1), 1, () => {
              f.set(w, F32x4.splat(F32.mul(F32.load(I32.add(dpreatt, I32.add(row, I32.shl(t2, 2)))), scale)));
              f.set(at, I32.add(I32.add(kOff, I32.mul(t2, C3b)), i));
              f.set(x, I32.add(qkv, at));
              f.set(dx, I32.add(dqkv, at));
              for (let j = 0; j < vectors; j++) {
                f.set(acc[j], addProduct(acc[j], w, F32x4.load(x, 16 * j)));
                f.store(dx, addProduct(F32x4.load(dx, 16 * j), w, qv[j]), 16 * j);
              }
            });
            f.set(at, I32.add(I32.add(dqkv, qOff), i));
            for (let j = 0; j < vectors; j++) f.store(at, F32x4.add(F32x4.load(at, 16 * j), acc[j]), 16 * j);
            f.inc(i, 4 * width);
          });
        }
      }));
    });
  });
}

/**
 * attnStep(out, att, q, keys, values, Tk, C, NH, HS, scale): attention of ONE new query over
 * cached keys and values (generation with a KV cache; ../attention-step.ts is the reference).
 * Rows of keys/values are C floats apart (not 3C as in qkv); att [NH, Tk] holds the scores,
 * then the weights. Every operation is attnForward's, in its order, for the last row: the
 * cached path gives the full pass's floats.
 */
function defineAttentionStep(module: ModuleBuilder, addProduct: AddProduct): void {
  const step = module.func("attnStep", {
    out: "i32", att: "i32", q: "i32", keys: "i32", values: "i32", Tk: "i32", C: "i32", NH: "i32", HS: "i32", scale: "f32",
  }, { exported: true });
  step.define((f, { out, att, q, keys, values, Tk, C, NH, HS, scale }) => {
    const Cb = f.local("i32"), HSb = f.local("i32"), h = f.local("i32"), t2 = f.local("i32"), i = f.local("i32");
    const qh = f.local("i32"), key = f.local("i32"), row = f.local("i32"), o = f.local("i32"), value = f.local("i32");
    const max = f.local("f32"), score = f.local("f32"), sum = f.local("f32"), e = f.local("f32");
    const n = f.local("f32"), r = f.local("f32"), inv = f.local("f32");
    const acc = Array.from({ length: 4 }, () => f.local("v128")), w = f.local("v128");
    f.set(Cb, I32.shl(C, 2));
    f.set(HSb, I32.shl(HS, 2));
    f.forRange(h, 0, NH, 1, () => {
      f.set(qh, I32.add(q, I32.mul(h, HSb)));
      f.set(row, I32.add(att, I32.shl(I32.mul(h, Tk), 2)));
      f.set(o, I32.add(out, I32.mul(h, HSb)));
      emitAttentionRow(f, {
        q: qh, keys: I32.add(keys, I32.mul(h, HSb)), values: I32.add(values, I32.mul(h, HSb)), stride: Cb, count: Tk,
        scores: row, weights: row, out: o, HSb, scale, tmp: { key, value, t2, i, max, score, sum, e, n, r, inv, acc, w },
      }, addProduct);
    });
  });
}

/**
 * 1 + tanh u and 1 − tanh u of four lanes, into `plus` and `minus`, without cancellation:
 *   1 + tanh u = 2·e^{2u}/(e^{2u} + 1),   1 − tanh u = 2/(e^{2u} + 1)
 * with 2u clamped to ±80 (tanh is ±1 in float32 long before) and e^{2u} as in emitExp:
 * 2u = n·ln2 + r, e^r by its Taylor polynomial to r⁶, times 2^n built from the exponent bits
 * (n within ±116: always a normal float). Below 2u = −80, 1 + tanh u is 0 (as float32's tanh is
 * −1 there). GELU needs 1 + tanh and 1 − tanh² = (1 + tanh)(1 − tanh).
 */
function emitOnePlusMinusTanh(f: FunctionBuilder<Record<string, ValType>>, u: Expr, plus: Local, minus: Local, r: Local, alive: Local,
  addProduct: AddProduct): void {
  const n = minus; // reused: n is done with before `minus` is written
  f.set(r, F32x4.add(u, u));
  f.set(alive, F32x4.gt(r, F32x4.c(-80)));
  f.set(r, F32x4.min(F32x4.max(r, F32x4.c(-80)), F32x4.c(80)));
  // n = nearest(2u·log2 e) by adding and taking away ROUNDING; the sum's bits give 2^n
  f.set(plus, addProduct(F32x4.c(ROUNDING), r, F32x4.c(Math.LOG2E)));
  f.set(n, F32x4.sub(plus, F32x4.c(ROUNDING)));
  f.set(r, addProduct(addProduct(r, n, F32x4.c(-0.693359375)), n, F32x4.c(2.12194440e-4)));
  let poly: Expr = F32x4.c(1 / 720);
  for (const coefficient of [1 / 120, 1 / 24, 1 / 6, 1 / 2, 1, 1]) poly = addProduct(F32x4.c(coefficient), r, poly);
  f.set(plus, F32x4.mul(poly, twoToThe(plus))); // e^{2u}
  f.set(minus, F32x4.div(F32x4.c(2), F32x4.add(plus, F32x4.c(1))));
  f.set(plus, F32x4.and(F32x4.mul(plus, minus), alive));
}

/**
 * GELU in its tanh form, four elements at a time (../gelu.ts is the readable reference):
 *   geluForward(out, inp, n):        out = 0.5·x·(1 + tanh u),  u = √(2/π)·(x + 0.044715·x³)
 *   geluBackward(dinp, inp, dout, n): dinp = (0.5·(1 + tanh u) + 0.5·x·(1 − tanh²u)·du/dx)·dout
 * n is a multiple of 4 (the caller does the rest with the reference).
 */
function defineGelu(module: ModuleBuilder, addProduct: AddProduct): void {
  const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
  const CUBIC = 0.044715;
  const forward = module.func("geluForward", { out: "i32", inp: "i32", n: "i32" }, { exported: true });
  forward.define((f, { out, inp, n }) => {
    const i = f.local("i32"), end = f.local("i32");
    const x = f.local("v128"), plus = f.local("v128"), minus = f.local("v128"), r = f.local("v128"), alive = f.local("v128");
    f.set(end, I32.shl(n, 2));
    f.forRange(i, 0, end, 16, () => {
      f.set(x, F32x4.load(I32.add(inp, i)));
      // 1. u = √(2/π)·(x + 0.044715·x³)   2. 0.5·x·(1 + tanh u)
      const u = F32x4.mul(F32x4.c(SQRT_2_OVER_PI), addProduct(x, F32x4.c(CUBIC), F32x4.mul(x, F32x4.mul(x, x))));
      emitOnePlusMinusTanh(f, u, plus, minus, r, alive, addProduct);
      f.store(I32.add(out, i), F32x4.mul(F32x4.mul(F32x4.c(0.5), x), plus));
    });
  });

  const backward = module.func("geluBackward", { dinp: "i32", inp: "i32", dout: "i32", n: "i32" }, { exported: true });
  backward.define((f, { dinp, inp, dout, n }) => {
    const i = f.local("i32"), end = f.local("i32");
    const x = f.local("v128"), plus = f.local("v128"), minus = f.local("v128"), r = f.local("v128"), slope = f.local("v128"), alive = f.local("v128");
    f.set(end, I32.shl(n, 2));
    f.forRange(i, 0, end, 16, () => {
      f.set(x, F32x4.load(I32.add(inp, i)));
      const u = F32x4.mul(F32x4.c(SQRT_2_OVER_PI), addProduct(x, F32x4.c(CUBIC), F32x4.mul(x, F32x4.mul(x, x))));
      emitOnePlusMinusTanh(f, u, plus, minus, r, alive, addProduct);
      // du/dx = √(2/π)·(1 + 3·0.044715·x²);  slope = 0.5·(1 + tanh) + 0.5·x·(1 − tanh²)·du/dx
      // (beyond |x| = 30, 1 − t² is exactly 0 in float32: x is clamped so x·du/dx stays finite)
      f.set(x, F32x4.min(F32x4.max(x, F32x4.c(-30)), F32x4.c(30)));
      const dudx = F32x4.mul(F32x4.c(SQRT_2_OVER_PI), addProduct(F32x4.c(1), F32x4.c(3 * CUBIC), F32x4.mul(x, x)));
      f.set(slope, addProduct(F32x4.mul(F32x4.c(0.5), plus), F32x4.mul(F32x4.mul(F32x4.c(0.5), x), F32x4.mul(plus, minus)), dudx));
      f.store(I32.add(dinp, i), F32x4.mul(slope, F32x4.load(I32.add(dout, i))));
    });
  });
}
