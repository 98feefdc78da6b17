/**
 * The gemm family of the kernels' WebAssembly (see ./program.ts for the module): one general
 * matrix product does every linear layer,
 *
 *   C[M,N] = (C or bias or 0) + A[M,K] · B[K,N]
 *
 * with A and B given by element strides, so a transposed operand is just other strides:
 *   forward   out[N,OC]     = bias + inp[N,IC] · weightᵀ       A = inp,   B(i,o) = weight[o,i]
 *   backward  dinp[N,IC]    = dout[N,OC] · weight[OC,IC]       A = dout,  B = weight
 *             dweight[OC,IC] += doutᵀ · inp[N,IC]              A(o,n) = dout[n,o], B = inp
 *
 * and, when a GELU follows the layer (or its backward comes first), the GELU on each finished
 * block of C while it is still in cache (POST_*).
 *
 * It is blocked like BLIS / llm.c's CPU matmuls, with the whole depth of B packed at once so
 * that row blocks are independent (two threads can share one product's rows, see gemm below):
 *   for each slab of C's columns (NC wide; narrower when K is deep):
 *     1. pack B[all K, slab] into NR-wide column panels  [K][NR] (zero-padded)
 *     for each block of rows (MC tall, fewer for deep K; in order, or claimed from a shared
 *     counter, smaller toward the end):
 *       for each KC-deep slice of K:
 *         2. pack that A block into MR-tall row panels     [KC][MR] (zero-padded)
 *         3. for every NR-panel of B (its KC rows stay in L1) and every MR-panel of A:
 *            the micro-kernel keeps the MR×NR tile of C in MR·NR/4 f32x4 registers and adds
 *            one outer product per step of k: NR/4 vector loads of B, MR broadcast loads of A,
 *            MR·NR/4 multiplies and adds (fused where relaxed SIMD runs).
 *       4. the block's post-operation, if any (a GELU, row by row)
 *   Tiles on the ragged right/bottom edge go through a small MR×NR scratch tile.
 *
 * Also here: `colsum` (the bias gradient) and `rowTimesT` (one row through a transposed
 * weight, for generation), which sums exactly as the micro-kernel does.
 */
import { type Expr, F32, F32x4, type FunctionBuilder, I32, type Local, type ModuleBuilder, type ValType } from "./assembler.ts";
import type { AddProduct } from "./program-exp.ts";
import { defineGelu } from "./program-rows.ts";

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
 * The blocking the stored module is built with, chosen by measurement (Node 20 / V8 11.3 on this
 * machine's Xeon, baby-model shapes, one thread):
 *   - 6×8: 12 accumulators, 2 B vectors and 1 broadcast fill 15 xmm registers, all V8 gives
 *     (xmm15 is its scratch), and each step of k is 8 loads for 12 fused multiply-adds:
 *     40–45 GFLOP/s. 2×16 (8 accumulators, 6 loads for 8) ran at 34–40, 5×8 at 37–42, 4×8 at
 *     35–39; 4×12 and 3×16 need 16 registers and spill (22–28).
 *   - One loop over k (UNROLL 1, no remainder loop): with the remainder loop after it, TurboFan
 *     hoisted all six broadcasts of the main loop to its top and spilled four accumulators
 *     (6×8 at 25–29 GFLOP/s). Unrolled bodies spill the same way (2×16 at UNROLL 2: ~34, 4: ~30).
 *   - KC, MC, NC barely matter at these sizes (everything fits in L2); MC = 48 gives 16 row
 *     blocks of the baby model's 768 rows for the two threads to claim.
 */
export const BLOCKING: Blocking = { MR: 6, NR: 8, KC: 256, MC: 48, NC: 512, UNROLL: 1 };

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

/** where the f32x4 copies of MR contiguous floats start: every 4, the last overlapping (none below 4) */
function vectorStarts(MR: number): number[] {
  if (MR < 4) return [];
  const starts = Array.from({ length: Math.floor(MR / 4) }, (_, v) => 4 * v);
  if (MR % 4 !== 0) starts.push(MR - 4);
  return starts;
}

/** How C starts before the products are added (the gemm's `init` argument). */
export const INIT_ZERO = 0;
export const INIT_FROM_C = 1;
export const INIT_FROM_BIAS = 2;

/**
 * Four p of an even number of rows at once, as a packed panel wants them (p by p, and row by
 * row within each p): rows[q] holds row q's floats at p…p+3; the result is rows.length
 * vectors, vector m holding floats 4m…4m+3 of that order (for four rows: vector m is p + m's
 * four values, a 4×4 transpose). Rows 2q and 2q+1 are interleaved into pairs, lows
 * [p0 p0 p1 p1] and highs [p2 p2 p3 p3] (into `pairs`, as many v128 scratch locals), and two
 * pairs go to each vector: one shuffle each, or none when both halves come whole from one.
 */
function transposeFour(f: FunctionBuilder<Record<string, ValType>>, rows: Local[], pairs: Local[]): Expr[] {
  const half = rows.length / 2;
  for (let q = 0; q < half; q++) {
    f.set(pairs[q], F32x4.shuffle(rows[2 * q], rows[2 * q + 1], [0, 4, 1, 5]));
    f.set(pairs[half + q], F32x4.shuffle(rows[2 * q], rows[2 * q + 1], [2, 6, 3, 7]));
  }
  // pair j of the output is rows 2q, 2q+1 at p = j div half (q = j mod half): the half p mod 2
  // of their lows (p < 2) or highs
  const source = (j: number) => {
    const q = j % half,
      p = Math.floor(j / half);
    return { vector: pairs[(p < 2 ? 0 : half) + q], half: p % 2 };
  };
  return rows.map((_, m) => {
    const first = source(2 * m),
      second = source(2 * m + 1);
    if (first.vector === second.vector && first.half === 0 && second.half === 1) return first.vector;
    return F32x4.shuffle(first.vector, second.vector, [2 * first.half, 2 * first.half + 1, 4 + 2 * second.half, 5 + 2 * second.half]);
  });
}

/**
 * What the gemm does to each finished block of C (its `post` argument), with `postAt` another
 * matrix laid out as C (same ldc): nothing; GELU_FORWARD: postAt = gelu(C) (a linear layer
 * into a GELU); GELU_BACKWARD: C = gelu'(postAt)·C (C is the gradient at a GELU's output,
 * postAt that GELU's input: C becomes the gradient at its input). The block is still in cache.
 * Both need N to be a multiple of 4 (the GELU kernels' vectors).
 */
export const POST_NONE = 0;
export const POST_GELU_FORWARD = 1;
export const POST_GELU_BACKWARD = 2;

/**
 * Defines micro, packA, packB, the GELU kernels (which the gemm runs on finished blocks), gemm,
 * colsum and rowTimesT in `module`, in this order (the order fixes the functions' indices, so
 * the module's bytes). `fma`: the products use fused multiply-adds (`addProduct` is then madd).
 */
export function defineGemm(module: ModuleBuilder, blocking: Blocking, addProduct: AddProduct, fma: boolean): void {
  const { MR, NR, KC, MC, NC, UNROLL } = blocking;
  const NV = NR / 4; // f32x4 vectors across one tile row
  const PACK_B = packFloats(blocking).packB;

  // -------------------------------------------------------------------------------------------
  // micro(pa, pb, k, c, ldcBytes, init, bias)
  //   tile C[MR,NR] at c (rows ldcBytes apart) = start + Σ_p A[:,p] ⊗ B[p,:]
  //   pa: packed A panel [k][MR]; pb: packed B panel [k][NR]; start per `init`
  const micro = module.func("micro", {
    pa: "i32",
    pb: "i32",
    k: "i32",
    c: "i32",
    ldc: "i32",
    init: "i32",
    bias: "i32",
  });
  micro.define((f, { pa, pb, k, c, ldc, init, bias }) => {
    const acc: Local[][] = [];
    for (let r = 0; r < MR; r++) acc.push(Array.from({ length: NV }, () => f.local("v128")));
    const b: Local[] = Array.from({ length: NV }, () => f.local("v128"));
    const a = f.local("v128");
    const row = f.local("i32");
    const left = f.local("i32");

    // 1. the tile's starting value
    f.ifThen(
      I32.eq(init, INIT_FROM_C),
      () => {
        f.set(row, c);
        for (let r = 0; r < MR; r++) {
          for (let v = 0; v < NV; v++) f.set(acc[r][v], F32x4.load(row, 16 * v));
          if (r < MR - 1) f.inc(row, ldc);
        }
      },
      () => {
        f.ifThen(
          I32.eq(init, INIT_FROM_BIAS),
          () => {
            for (let v = 0; v < NV; v++) f.set(b[v], F32x4.load(bias, 16 * v));
          },
          () => {
            for (let v = 0; v < NV; v++) f.set(b[v], F32x4.zero());
          },
        );
        for (let r = 0; r < MR; r++) for (let v = 0; v < NV; v++) f.set(acc[r][v], b[v]);
      },
    );

    // 2. one outer product per step of k: `u` steps ahead of pa/pb
    const step = (u: number) => {
      for (let v = 0; v < NV; v++) f.set(b[v], F32x4.load(pb, 4 * (u * NR + 4 * v)));
      for (let r = 0; r < MR; r++) {
        f.set(a, F32x4.loadSplat(pa, 4 * (u * MR + r)));
        for (let v = 0; v < NV; v++) f.set(acc[r][v], addProduct(acc[r][v], a, b[v]));
      }
    };
    // (UNROLL 1: the second loop alone, see BLOCKING)
    f.set(left, k);
    if (UNROLL > 1)
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
    const i0 = f.local("i32"),
      h = f.local("i32"),
      r = f.local("i32"),
      p = f.local("i32");
    const s = f.local("i32"),
      d = f.local("i32"),
      at = f.local("i32"),
      panel = f.local("i32");
    const cs4 = f.local("i32"),
      rs4 = f.local("i32"),
      k = f.local("i32");
    const rows = Array.from({ length: MR % 2 === 0 ? MR : 0 }, () => f.local("v128"));
    const pairs = Array.from({ length: rows.length }, () => f.local("v128"));
    f.set(cs4, I32.shl(cs, 2));
    f.set(rs4, I32.shl(rs, 2));
    f.set(panel, dst);
    f.forRange(i0, 0, mc, MR, () => {
      f.set(h, I32.minS(MR, I32.sub(mc, i0)));
      f.ifThen(
        I32.and(I32.eq(rs, 1), I32.eq(h, MR)),
        () => {
          // 1. the panel's MR values at each p are contiguous (dweight's doutᵀ): vectors, the
          //    last one overlapping the one before when MR is not a multiple of 4
          f.set(s, I32.add(src, I32.shl(i0, 2)));
          f.set(d, panel);
          f.forRange(p, 0, kc, 1, () => {
            for (const r0 of vectorStarts(MR)) f.store(d, F32x4.load(s, 4 * r0), 4 * r0);
            for (let r0 = MR < 4 ? 0 : MR; r0 < MR; r0++) f.store(d, F32.load(s, 4 * r0), 4 * r0);
            f.inc(s, cs4);
            f.inc(d, 4 * MR);
          });
        },
        () => {
          f.set(s, I32.add(src, I32.shl(I32.mul(i0, rs), 2)));
          f.set(d, panel);
          f.set(p, 0);
          if (rows.length > 0) {
            // 2. MR whole rows, each contiguous along p (the forward's inputs, dinp's output
            //    gradients), an even number of them: four p at a time (transposeFour)
            f.ifThen(I32.and(I32.eq(cs, 1), I32.eq(h, MR)), () => {
              f.whileLoop(I32.leS(I32.add(p, 4), kc), () => {
                f.set(at, s);
                for (let q = 0; q < MR; q++) {
                  f.set(rows[q], F32x4.load(at));
                  if (q < MR - 1) f.inc(at, rs4);
                }
                transposeFour(f, rows, pairs).forEach((vector, m) => f.store(d, vector, 16 * m));
                f.inc(s, 16);
                f.inc(d, 16 * MR);
                f.inc(p, 4);
              });
            });
          }
          // 3. anything else (and the p the vectors left): row by row, zeros below row h
          f.forRange(r, 0, MR, 1, () => {
            f.set(at, I32.add(d, I32.shl(r, 2)));
            f.ifThen(
              I32.ltS(r, h),
              () => {
                f.set(s, I32.add(src, I32.shl(I32.add(I32.mul(I32.add(i0, r), rs), I32.mul(p, cs)), 2)));
                f.forRange(k, p, kc, 1, () => {
                  f.store(at, F32.load(s));
                  f.inc(s, cs4);
                  f.inc(at, 4 * MR);
                });
              },
              () => {
                f.forRange(k, p, kc, 1, () => {
                  f.store(at, F32.c(0));
                  f.inc(at, 4 * MR);
                });
              },
            );
          });
        },
      );
      f.inc(panel, I32.mul(kc, 4 * MR));
    });
  });

  // -------------------------------------------------------------------------------------------
  // packB(dst, src, rs, cs, kc, nc): rows 0..kc, columns 0..nc of B (element (p,j) at
  //   src + 4(p·rs + j·cs)) into panels of NR columns: panel q at dst + 4·q·NR·kc, (p,c) at [p·NR + c]
  const packB = module.func("packB", { dst: "i32", src: "i32", rs: "i32", cs: "i32", kc: "i32", nc: "i32" });
  packB.define((f, { dst, src, rs, cs, kc, nc }) => {
    const j0 = f.local("i32"),
      w = f.local("i32"),
      col = f.local("i32"),
      p = f.local("i32");
    const s = f.local("i32"),
      d = f.local("i32"),
      panel = f.local("i32"),
      rs4 = f.local("i32");
    const cs4 = f.local("i32"),
      start = f.local("i32"),
      at = f.local("i32");
    const cols = Array.from({ length: 4 }, () => f.local("v128")),
      pairs = Array.from({ length: 4 }, () => f.local("v128"));
    f.set(rs4, I32.shl(rs, 2));
    f.set(cs4, I32.shl(cs, 2));
    f.set(panel, dst);
    f.forRange(j0, 0, nc, NR, () => {
      f.set(w, I32.minS(NR, I32.sub(nc, j0)));
      f.ifThen(
        I32.and(I32.eq(cs, 1), I32.eq(w, NR)),
        () => {
          // each row's NR values are contiguous: copy them as vectors
          f.set(s, I32.add(src, I32.shl(j0, 2)));
          f.set(d, panel);
          f.forRange(p, 0, kc, 1, () => {
            for (let v = 0; v < NR / 4; v++) f.store(d, F32x4.load(s, 16 * v), 16 * v);
            f.inc(s, rs4);
            f.inc(d, 4 * NR);
          });
        },
        () => {
          // each column contiguous along p (the forward's weights, B(i,o) = weight[o,i]): four
          // columns × four p at a time, read as four vectors and transposed with shuffles
          f.set(start, 0);
          f.ifThen(I32.and(I32.eq(rs, 1), I32.eq(w, NR)), () => {
            f.set(start, I32.and(kc, -4));
            for (let g = 0; g < NR / 4; g++) {
              f.set(s, I32.add(src, I32.shl(I32.mul(I32.add(j0, 4 * g), cs), 2)));
              f.set(d, I32.add(panel, 16 * g));
              f.forRange(p, 0, start, 4, () => {
                f.set(at, s);
                for (let c = 0; c < 4; c++) {
                  f.set(cols[c], F32x4.load(at));
                  if (c < 3) f.inc(at, cs4);
                }
                // vector m of the four columns' transpose is p + m's four values: row p + m of the panel
                transposeFour(f, cols, pairs).forEach((vector, m) => f.store(d, vector, 4 * NR * m));
                f.inc(s, 16);
                f.inc(d, 16 * NR);
              });
            }
          });
          // column by column from p = start (each column of B read along p), then zero columns w..NR
          f.forRange(col, 0, NR, 1, () => {
            f.set(d, I32.add(panel, I32.shl(I32.add(I32.mul(start, NR), col), 2)));
            f.ifThen(
              I32.ltS(col, w),
              () => {
                f.set(s, I32.add(src, I32.shl(I32.add(I32.mul(I32.add(j0, col), cs), I32.mul(start, rs)), 2)));
                f.forRange(p, start, kc, 1, () => {
                  f.store(d, F32.load(s));
                  f.inc(s, rs4);
                  f.inc(d, 4 * NR);
                });
              },
              () => {
                f.forRange(p, start, kc, 1, () => {
                  f.store(d, F32.c(0));
                  f.inc(d, 4 * NR);
                });
              },
            );
          });
        },
      );
      f.inc(panel, I32.mul(kc, 4 * NR));
    });
  });

  // the GELU kernels (./program-rows.ts), which the gemm runs on finished blocks (POST_*)
  const gelu = defineGelu(module, addProduct);

  // -------------------------------------------------------------------------------------------
  // gemm(c, ldc, a, rsA, csA, b, rsB, csB, bias, M, N, K, init, packA, packB, tile, claims, post, postAt)
  //   C[M,N] (rows ldc elements apart) = start + A[M,K]·B[K,N]; start per `init`
  //   (INIT_FROM_BIAS reads bias[N]). packA/packB/tile: scratch of packFloats()'s sizes.
  //   post/postAt: what to do to each finished block (POST_*).
  //   claims = 0: this call computes every row block, in order. Otherwise it is the byte address
  //   of one i32 counter per column slab (ceil(N/NR) of them are enough), zeroed by the caller,
  //   and several threads may run the very same call at once (each with its own scratch): each
  //   takes the next block of a slab's rows with an atomic add until none are left, so a thread that
  //   starts late or is slowed by the host simply takes fewer. Claims need K ≤ PACK_B/NR (one
  //   pass over K: a later pass adds to rows that the other thread may still be writing).
  const gemm = module.func(
    "gemm",
    {
      c: "i32",
      ldc: "i32",
      a: "i32",
      rsA: "i32",
      csA: "i32",
      b: "i32",
      rsB: "i32",
      csB: "i32",
      bias: "i32",
      M: "i32",
      N: "i32",
      K: "i32",
      init: "i32",
      pa: "i32",
      pb: "i32",
      tile: "i32",
      claims: "i32",
      post: "i32",
      postAt: "i32",
    },
    { exported: true },
  );
  gemm.define((f, { c, ldc, a, rsA, csA, b, rsB, csB, bias, M, N, K, init, pa, pb, tile, claims, post, postAt }) => {
    const jc = f.local("i32"),
      nc = f.local("i32"),
      pc = f.local("i32"),
      kc = f.local("i32");
    const ic = f.local("i32"),
      mc = f.local("i32"),
      jr = f.local("i32"),
      nr = f.local("i32");
    const ir = f.local("i32"),
      mr = f.local("i32"),
      mode = f.local("i32"),
      ctile = f.local("i32");
    const apanel = f.local("i32"),
      bpanel = f.local("i32"),
      biasAt = f.local("i32");
    const ldc4 = f.local("i32"),
      r = f.local("i32"),
      col = f.local("i32"),
      t = f.local("i32");
    const deepest = f.local("i32"),
      width = f.local("i32"),
      pd = f.local("i32"),
      kd = f.local("i32");
    const counter = f.local("i32"),
      next = f.local("i32"),
      packed = f.local("i32"),
      rows = f.local("i32"),
      size = f.local("i32");
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
        // 2. row blocks: the next one in order, or the next unclaimed one. A block is MC rows,
        //    fewer (a multiple of MR) when K is deeper than KC, so that each stays about as much
        //    work. Claimed blocks shrink toward the end (see the end of the loop's body)
        f.set(rows, I32.mul(I32.divS(I32.divS(MC, I32.divS(I32.add(kd, KC - 1), KC)), MR), MR));
        f.set(rows, I32.maxS(rows, MR));
        f.set(size, rows);
        f.set(packed, 0);
        f.forClaimed(ic, M, size, counter, next, () => {
          // 3. with the first block: pack B[pd…pd+kd, jc…jc+nc] into NR-wide panels, each kd deep
          //    (a thread that finds every block taken packs nothing)
          f.ifThen(I32.eqz(packed), () => {
            f.call(packB, [pb, I32.add(b, I32.shl(I32.add(I32.mul(pd, rsB), I32.mul(jc, csB)), 2)), rsB, csB, kd, nc]);
            f.set(packed, 1);
          });
          f.set(mc, I32.minS(size, I32.sub(M, ic)));
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
                f.ifThen(
                  I32.and(I32.eq(mr, MR), I32.eq(nr, NR)),
                  () => {
                    f.call(micro, [apanel, bpanel, kc, ctile, ldc4, mode, biasAt]);
                  },
                  () => {
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
                        f.store(
                          I32.add(ctile, I32.add(I32.mul(r, ldc4), I32.shl(col, 2))),
                          F32.load(I32.add(tile, I32.shl(I32.add(I32.mul(r, NR), col), 2))),
                        );
                      });
                    });
                  },
                );
              });
            });
          });
          // 6. after the last pass over K, the block's post-operation, row by row
          f.ifThen(I32.and(I32.gtS(post, POST_NONE), I32.eq(I32.add(pd, kd), K)), () => {
            f.forRange(r, ic, I32.add(ic, mc), 1, () => {
              f.set(t, I32.shl(I32.add(I32.mul(r, ldc), jc), 2));
              f.ifThen(
                I32.eq(post, POST_GELU_FORWARD),
                () => {
                  f.call(gelu.forward, [I32.add(postAt, t), I32.add(c, t), nc]);
                },
                () => {
                  f.call(gelu.backward, [I32.add(c, t), I32.add(postAt, t), I32.add(c, t), nc]);
                },
              );
            });
          });
          // 7. the next claim takes a quarter of the rows left (a multiple of MR, at most `rows`):
          //    the last blocks are small, so the thread that finishes first waits little for the
          //    other's last one
          f.ifThen(claims, () => {
            f.set(size, I32.mul(I32.divS(I32.sub(M, I32.atomicLoad(counter)), 4 * MR), MR));
            f.set(size, I32.minS(size, rows));
            f.set(size, I32.maxS(size, MR));
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
    const j = f.local("i32"),
      n = f.local("i32"),
      s = f.local("i32"),
      stride = f.local("i32");
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
  const rowTimesT = module.func(
    "rowTimesT",
    {
      out: "i32",
      x: "i32",
      wt: "i32",
      bias: "i32",
      IC: "i32",
      OC: "i32",
      init: "i32",
    },
    { exported: true },
  );
  rowTimesT.define((f, { out, x, wt, bias, IC, OC, init }) => {
    const o = f.local("i32"),
      i = f.local("i32"),
      w = f.local("i32"),
      xs = f.local("i32"),
      stride = f.local("i32");
    const acc = Array.from({ length: 8 }, () => f.local("v128"));
    const a = f.local("v128");
    const sum = f.local("f32");
    f.set(stride, I32.shl(OC, 2));
    f.set(o, 0);
    for (const width of [32, 4]) {
      const vectors = width / 4;
      f.whileLoop(I32.leS(I32.add(o, width), OC), () => {
        // 1. start from the bias (or zero)
        f.ifThen(
          I32.eq(init, INIT_FROM_BIAS),
          () => {
            for (let v = 0; v < vectors; v++) f.set(acc[v], F32x4.load(I32.add(bias, I32.shl(o, 2)), 16 * v));
          },
          () => {
            for (let v = 0; v < vectors; v++) f.set(acc[v], F32x4.zero());
          },
        );
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
}
