/**
 * Fast generation: a KV cache remembers every layer's keys and values of the tokens already
 * read, so each new token costs one row of work instead of a forward pass over the whole
 * context. The arithmetic per row is the full pass's, so logits are identical bit for bit.
 *
 * Per new token at position n (C channels, V vocab), the full pass's steps for one row:
 *   1. x = wte[id] + wpe[n], and block 0's ln_1 of it
 *   2. per layer the block of ./block.ts, x = x + attn(ln_1(x)); x = x + mlp(ln_2(x)), whose
 *      attention appends this token's k, v to the cache and attends over positions 0…n
 *   3. logits = wte · ln_f(x)   (only for the last token of a context)
 *
 * Every matrix here multiplies one row, so the cache keeps its own transposed copy of each
 * weight ([in, out]): the kernels then stream the weights row by row instead of packing them
 * on every call. The copy is taken when the cache is made and again on reset().
 */
import { transposeWeight } from "../tensor/linear.ts";
import type { FloatArray } from "../tensor/types.ts";
import type { GPT } from "./gpt.ts";
import {
  type BlockLinear,
  type BlockPass,
  type BlockRows,
  type NormSite,
  blockForward,
  linearOf,
  normForward,
  streamNorm,
} from "./block.ts";

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
  /** how a block runs on one row here, and the buffers it runs in (./block.ts) */
  private readonly pass: BlockPass;
  private readonly rows: BlockRows;
  /** the LayerNorm before block l (l = L: ln_f), each writing into ln and stat */
  private readonly norms: NormSite[];

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
    this.pass = this.rowPass();
    // the stream x is read and written in place; ln serves ln_1, ln_2 and the next LayerNorm in turn
    const { x, ln, qkv, attY, proj, fch, fchGelu, stat } = this;
    const [ln2Mean, ln2Rstd] = [stat.subarray(0, 1), stat.subarray(1, 2)];
    this.norms = Array.from({ length: L + 1 }, (_, l) => streamNorm(model.views, l, ln, ln2Mean, ln2Rstd));
    this.rows = { x, ln1: ln, qkv, attY, attProj: proj, residual2: x, ln2: ln, ln2Mean, ln2Rstd, fch, fchGelu, fcProj: proj, residual3: x };
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

  /**
   * Reads token `id` at position n = cached.length: the full pass's steps for one row (./block.ts),
   * with this cache's pass (`rowPass`) doing the products and the attention.
   */
  private step(id: number, wantLogits: boolean): void {
    const m = this.model;
    const kernels = m.kernels;
    const p = m.views;
    const { nEmbd: C, vocabSize: V, nLayer: L } = m.config;
    if (id < 0 || id >= V) throw new Error(`token id ${id} is outside the vocabulary 0–${V - 1}`);
    const n = this.cached.length;
    const { x, ln, norms } = this;
    // 1. token + position embedding, and the LayerNorm the stream meets first
    for (let c = 0; c < C; c++) x[c] = p.wte[id * C + c] + p.wpe[n * C + c];
    normForward(kernels, norms[0], x, 1, C);
    // 2. the blocks (x is updated in place: one row's stream; ln holds each LayerNorm's output)
    for (let l = 0; l < L; l++) blockForward(this.pass, p.blocks[l], l, this.rows, norms[l + 1]);
    this.cached.push(id);
    // 3. the output head (ln holds ln_f of the stream), only when someone will read it
    if (wantLogits) kernels.linearRowForward(this.logits, ln, this.wteT, null, C, V);
  }

  /** One row through a block: the transposed weights, attention of the new query over the cache. */
  private rowPass(): BlockPass {
    const m = this.model;
    const kernels = m.kernels;
    const { nEmbd: C, nHead: NH } = m.config;
    const transposed: Record<BlockLinear, keyof (typeof this.weightsT)[number]> = {
      "attn.c_attn": "attn",
      "attn.c_proj": "proj",
      "mlp.c_fc": "fc",
      "mlp.c_proj": "fcProj",
    };
    const linear = (l: number, layer: BlockLinear, out: FloatArray, inp: FloatArray) => {
      const { bias, IC, OC } = linearOf(m.views.blocks[l], layer, C);
      kernels.linearRowForward(out, inp, this.weightsT[l][transposed[layer]], bias, IC, OC);
    };
    return {
      kernels,
      rows: 1,
      channels: C,
      linear,
      linearGelu: (l, layer, out, geluOut, inp) => {
        linear(l, layer, out, inp);
        kernels.geluForward(geluOut, out, out.length);
      },
      attention: (l, attY, qkv) => {
        // this token's keys and values join the cache at row n; its query attends over rows 0…n
        const n = this.cached.length;
        const keys = this.keys[l];
        const values = this.values[l];
        keys.set(qkv.subarray(C, 2 * C), n * C);
        values.set(qkv.subarray(2 * C, 3 * C), n * C);
        kernels.attentionStepForward(attY, this.att, qkv.subarray(0, C), keys, values, n + 1, C, NH);
      },
    };
  }
}
