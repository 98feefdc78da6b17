/**
 * Fast generation: a KV cache remembers every layer's keys and values of the tokens already
 * read, so each new token costs one row of work instead of a forward pass over the whole
 * context. The arithmetic per row is the full pass's, so logits are identical bit for bit.
 *
 * Per new token at position n (C channels, V vocab):
 *   1. x = wte[id] + wpe[n]
 *   2. per layer: ln_1 → c_attn → (q, k, v); k, v appended to the cache; attention of q over
 *      positions 0…n; c_proj; residual; ln_2 → c_fc → GELU → c_proj; residual
 *   3. ln_f → logits = wte · x   (only for the last token of a context)
 *
 * Every matrix here multiplies one row, so the cache keeps its own transposed copy of each
 * weight ([in, out]): the kernels then stream the weights row by row instead of packing them
 * on every call. The copy is taken when the cache is made and again on reset().
 */
import { transposeWeight } from "../tensor/linear.ts";
import type { GPT } from "./gpt.ts";

export class KVCachedModel {
  readonly blockSize: number;
  readonly vocabSize: number;
  /** token ids whose keys/values are cached, positions 0 … length−1 */
  private cached: number[] = [];
  private readonly keys: Float32Array[]; // per layer [blockSize, C]
  private readonly values: Float32Array[]; // per layer [blockSize, C]
  // one row of scratch each [C], [3C], [4C], …
  private readonly x: Float32Array;
  private readonly ln: Float32Array;
  private readonly qkv: Float32Array;
  private readonly attY: Float32Array;
  private readonly proj: Float32Array;
  private readonly fch: Float32Array;
  private readonly fchGelu: Float32Array;
  private readonly att: Float32Array;
  private readonly stat: Float32Array; // mean, rstd
  private readonly logits: Float32Array;
  /** per layer: c_attn, attn c_proj, c_fc, mlp c_proj weights transposed [in, out]; and wte [C, V] */
  private readonly weightsT: { attn: Float32Array; proj: Float32Array; fc: Float32Array; fcProj: Float32Array }[];
  private readonly wteT: Float32Array;

  constructor(private readonly model: GPT) {
    const { blockSize, nEmbd: C, nHead: NH, nLayer: L, vocabSize: V } = model.config;
    if (model.dtype !== "float32") throw new Error("the KV cache runs float32 models");
    this.blockSize = blockSize;
    this.vocabSize = V;
    const alloc = (n: number) => model.kernels.alloc(n);
    this.keys = Array.from({ length: L }, () => alloc(blockSize * C));
    this.values = Array.from({ length: L }, () => alloc(blockSize * C));
    this.x = alloc(C);
    this.ln = alloc(C);
    this.qkv = alloc(3 * C);
    this.attY = alloc(C);
    this.proj = alloc(C);
    this.fch = alloc(4 * C);
    this.fchGelu = alloc(4 * C);
    this.att = alloc(NH * blockSize);
    this.logits = alloc(V);
    this.stat = alloc(2);
    this.weightsT = Array.from({ length: L }, () => ({
      attn: alloc(3 * C * C),
      proj: alloc(C * C),
      fc: alloc(4 * C * C),
      fcProj: alloc(4 * C * C),
    }));
    this.wteT = alloc(V * C);
    this.copyWeights();
  }

  /** Forget everything cached and copy the weights again (e.g. after they changed). */
  reset(): void {
    this.cached = [];
    this.copyWeights();
  }

  private copyWeights(): void {
    const { nEmbd: C, vocabSize: V } = this.model.config;
    this.model.views.blocks.forEach((w, l) => {
      const t = this.weightsT[l];
      transposeWeight(t.attn, w.attnW, 3 * C, C);
      transposeWeight(t.proj, w.projW, C, C);
      transposeWeight(t.fc, w.fcW, 4 * C, C);
      transposeWeight(t.fcProj, w.fcProjW, C, 4 * C);
    });
    transposeWeight(this.wteT, this.model.views.wte, V, C);
  }

  /** Logits [V] for the token after `context`; reuses the cache when context extends it. */
  nextLogits(context: Int32Array): Float32Array {
    if (context.length === 0) throw new Error("the context has no tokens");
    if (context.length > this.blockSize) throw new Error(`context has ${context.length} tokens, block size is ${this.blockSize}`);
    // keep the cached prefix only if the context starts with it (a slid window starts over)
    let reuse = this.cached.length <= context.length - 1 ? this.cached.length : 0;
    for (let i = 0; i < reuse; i++) {
      if (this.cached[i] !== context[i]) {
        reuse = 0;
        break;
      }
    }
    this.cached.length = reuse;
    for (let n = reuse; n < context.length; n++) this.step(context[n], n === context.length - 1);
    return Float32Array.from(this.logits);
  }

  private step(id: number, wantLogits: boolean): void {
    const m = this.model;
    const k = m.kernels;
    const p = m.views;
    const { nEmbd: C, nHead: NH, vocabSize: V } = m.config;
    if (id < 0 || id >= V) throw new Error(`token id ${id} is outside the vocabulary 0–${V - 1}`);
    const n = this.cached.length;
    const { x, ln, qkv, attY, proj, fch, fchGelu, att, stat } = this;
    const mean = stat.subarray(0, 1);
    const rstd = stat.subarray(1, 2);
    // 1. token + position embedding
    for (let c = 0; c < C; c++) x[c] = p.wte[id * C + c] + p.wpe[n * C + c];
    for (let l = 0; l < m.config.nLayer; l++) {
      const w = p.blocks[l];
      const wT = this.weightsT[l];
      const keys = this.keys[l];
      const values = this.values[l];
      // 2a. attention: this token's q, k, v; k and v join the cache at row n
      k.layernormForward(ln, mean, rstd, x, w.ln1w, w.ln1b, 1, C);
      k.linearRowForward(qkv, ln, wT.attn, w.attnB, C, 3 * C);
      keys.set(qkv.subarray(C, 2 * C), n * C);
      values.set(qkv.subarray(2 * C, 3 * C), n * C);
      k.attentionStepForward(attY, att, qkv.subarray(0, C), keys, values, n + 1, C, NH);
      k.linearRowForward(proj, attY, wT.proj, w.projB, C, C);
      k.residualForward(x, x, proj, C);
      // 2b. MLP
      k.layernormForward(ln, mean, rstd, x, w.ln2w, w.ln2b, 1, C);
      k.linearRowForward(fch, ln, wT.fc, w.fcB, C, 4 * C);
      k.geluForward(fchGelu, fch, 4 * C);
      k.linearRowForward(proj, fchGelu, wT.fcProj, w.fcProjB, 4 * C, C);
      k.residualForward(x, x, proj, C);
    }
    this.cached.push(id);
    // 3. the output head, only when someone will read it
    if (wantLogits) {
      k.layernormForward(ln, mean, rstd, x, p.lnfw, p.lnfb, 1, C);
      k.linearRowForward(this.logits, ln, this.wteT, null, C, V);
    }
  }
}
