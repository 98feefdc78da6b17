/**
 * One transformer block, as nanoGPT's `Block.forward` says it:
 *
 *   x = x + attn(ln_1(x))
 *   x = x + mlp(ln_2(x))
 *
 * defined once, for the full pass (GPT.forward: every row of a batch) and for the KV cache's
 * step (one new row). What differs between the two is only how a linear layer multiplies and
 * what attention attends over: a `BlockPass` says it.
 *
 * Each residual sum runs fused with the LayerNorm that reads it (`addThenNorm`): x + attn(…)
 * with ln_2, x + mlp(…) with the next LayerNorm on the stream (the next block's ln_1, or ln_f
 * after the last block). So when a block starts, its ln_1(x) is already written: it came with
 * the sum that made x (block 0's with the embeddings).
 *
 * Legend: R rows of this pass (B*T, or 1 for the KV cache's step), C channels.
 */
import type { Kernels } from "../tensor/kernels.ts";
import type { FloatArray } from "../tensor/types.ts";
import type { BlockViews, ParamViews } from "./params.ts";

/** A LayerNorm on the residual stream: its parameters [C] and where it writes. */
export interface NormSite {
  weight: FloatArray;
  bias: FloatArray | null;
  out: FloatArray; // [R, C]
  mean: FloatArray; // [R]
  rstd: FloatArray; // [R]
}

/** The buffers of one block over R rows (a pass may let several names share one buffer). */
export interface BlockRows {
  x: FloatArray; // [R, C]  the block's input: the residual stream
  ln1: FloatArray; // [R, C]  ln_1(x), written before the block runs
  qkv: FloatArray; // [R, 3C] c_attn's output: queries, keys, values side by side
  attY: FloatArray; // [R, C]  attention's output, heads concatenated
  attProj: FloatArray; // [R, C]  attn.c_proj's output
  residual2: FloatArray; // [R, C]  x + attn(ln_1(x))
  ln2: FloatArray; // [R, C]
  ln2Mean: FloatArray; // [R]
  ln2Rstd: FloatArray; // [R]
  fch: FloatArray; // [R, 4C] mlp.c_fc's output
  fchGelu: FloatArray; // [R, 4C] after the GELU
  fcProj: FloatArray; // [R, C]  mlp.c_proj's output
  residual3: FloatArray; // [R, C]  the block's output
}

/** The four linear layers of a block, by the name of their weight's parent in nanoGPT. */
export type BlockLinear = "attn.c_attn" | "attn.c_proj" | "mlp.c_fc" | "mlp.c_proj";

/** How one pass multiplies and attends over its R rows. */
export interface BlockPass {
  readonly kernels: Kernels;
  /** R */
  readonly rows: number;
  /** C */
  readonly channels: number;
  /** out[R, OC] = inp[R, IC] · Wᵀ + b with block l's linear `layer` */
  linear(l: number, layer: BlockLinear, out: FloatArray, inp: FloatArray): void;
  /** the same, then geluOut = gelu(out) (mlp.c_fc; a backend may fuse the two) */
  linearGelu(l: number, layer: BlockLinear, out: FloatArray, geluOut: FloatArray, inp: FloatArray): void;
  /** attY[R, C] = causal multi-head attention of block l over the rows' qkv [R, 3C] */
  attention(l: number, attY: FloatArray, qkv: FloatArray): void;
}

/** Block l's linear `layer` in the parameter views: weight [OC, IC], bias [OC] or null, IC, OC. */
export function linearOf(
  w: BlockViews,
  layer: BlockLinear,
  C: number,
): { weight: FloatArray; bias: FloatArray | null; IC: number; OC: number } {
  switch (layer) {
    case "attn.c_attn":
      return { weight: w.attnW, bias: w.attnB, IC: C, OC: 3 * C };
    case "attn.c_proj":
      return { weight: w.projW, bias: w.projB, IC: C, OC: C };
    case "mlp.c_fc":
      return { weight: w.fcW, bias: w.fcB, IC: C, OC: 4 * C };
    case "mlp.c_proj":
      return { weight: w.fcProjW, bias: w.fcProjB, IC: 4 * C, OC: C };
  }
}

/** site.out = LayerNorm(x) over R rows of C (also its mean and rstd) */
export function normForward(kernels: Kernels, site: NormSite, x: FloatArray, R: number, C: number): void {
  kernels.layernormForward(site.out, site.mean, site.rstd, x, site.weight, site.bias, R, C);
}

/** sum = a + b (a residual connection), then site.out = LayerNorm(sum): one fused kernel */
export function addThenNorm(kernels: Kernels, sum: FloatArray, a: FloatArray, b: FloatArray, site: NormSite, R: number, C: number): void {
  kernels.residualLayernormForward(sum, site.out, site.mean, site.rstd, a, b, site.weight, site.bias, R, C);
}

/**
 * The LayerNorm that reads the residual stream before block l: block l's ln_1, or ln_f for
 * l = L (after the last block). `out`, `mean` and `rstd` are where it writes.
 */
export function streamNorm(p: ParamViews, l: number, out: FloatArray, mean: FloatArray, rstd: FloatArray): NormSite {
  return l < p.blocks.length
    ? { weight: p.blocks[l].ln1w, bias: p.blocks[l].ln1b, out, mean, rstd }
    : { weight: p.lnfw, bias: p.lnfb, out, mean, rstd };
}

/** attProj = attn(ln1): c_attn → causal multi-head attention → c_proj */
export function attn(pass: BlockPass, l: number, r: BlockRows): void {
  pass.linear(l, "attn.c_attn", r.qkv, r.ln1);
  pass.attention(l, r.attY, r.qkv);
  pass.linear(l, "attn.c_proj", r.attProj, r.attY);
}

/** fcProj = mlp(ln2): c_fc → GELU → c_proj */
export function mlp(pass: BlockPass, l: number, r: BlockRows): void {
  pass.linearGelu(l, "mlp.c_fc", r.fch, r.fchGelu, r.ln2);
  pass.linear(l, "mlp.c_proj", r.fcProj, r.fchGelu);
}

/**
 * Block l over the pass's rows: r.ln1 holds ln_1(r.x) on entry; on exit r.residual3 holds the
 * block's output and `next` (the LayerNorm the stream meets next) has read it.
 */
export function blockForward(pass: BlockPass, w: BlockViews, l: number, r: BlockRows, next: NormSite): void {
  const { kernels, rows: R, channels: C } = pass;
  const ln2: NormSite = { weight: w.ln2w, bias: w.ln2b, out: r.ln2, mean: r.ln2Mean, rstd: r.ln2Rstd };
  // 1. x = x + attn(ln_1(x)), and ln_2 of it
  attn(pass, l, r);
  addThenNorm(kernels, r.residual2, r.x, r.attProj, ln2, R, C);
  // 2. x = x + mlp(ln_2(x)), and the next LayerNorm of it
  mlp(pass, l, r);
  addThenNorm(kernels, r.residual3, r.residual2, r.fcProj, next, R, C);
}
