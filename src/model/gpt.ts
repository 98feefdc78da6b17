/**
 * The GPT: nanoGPT's model, written as llm.c's forward/backward pairs over flat buffers.
 *
 *   ids ─► wte + wpe ─► L × Block ─► ln_f ─► lm_head (= wteᵀ) ─► logits ─► softmax ─► loss
 *   Block(x):  x = x + attn(ln_1(x));   x = x + mlp(ln_2(x))     (./block.ts, shared with the KV cache)
 *   attn:  c_attn → causal multi-head attention → c_proj
 *   mlp:   c_fc → GELU → c_proj
 *
 * Legend: B batch, T time, C channels, NH heads, V vocab, L layers, N = B*T rows.
 */
import type { FloatArray, IdArray } from "../tensor/types.ts";
import { type Kernels, referenceKernels } from "../tensor/kernels.ts";
import type { Random } from "../tensor/random.ts";
import { crossEntropyForward, crossEntropySoftmaxBackward } from "../tensor/crossentropy.ts";
import { type GPTConfig, validateConfig } from "./config.ts";
import { withGelu } from "../tensor/gelu-erf.ts";
import { type ParamViews, countParams, paramSpecs, paramViews } from "./params.ts";
import { type Activations, activationSize, activationViews } from "./activations.ts";
import { type BlockPass, type BlockRows, type NormSite, blockForward, linearOf, normForward, streamNorm } from "./block.ts";

export interface GPTOptions {
  /** float32 for real use; float64 for gradient checks */
  dtype?: "float32" | "float64";
  /** the hot loops: matrix products, attention, GELU, LayerNorm, residual sums, embeddings, softmax (default: the readable TypeScript reference) */
  kernels?: Kernels;
  /**
   * the parameters, already in place (float32 only): used as they are, not copied or reset, so
   * two threads can run the model over one buffer (e.g. a SharedArrayBuffer; see src/app/hosted-model.ts)
   */
  params?: Float32Array;
}

/** Heads switched off: their output is zeroed before attn.c_proj (head ablation). */
export type HeadMask = readonly { layer: number; head: number }[];

export interface ForwardOptions {
  /** heads whose output is zeroed before c_proj (inference only: no targets, no backward) */
  ablate?: HeadMask;
}

export interface ForwardResult {
  /** [B, T, V] raw scores for the next token at every position */
  logits: FloatArray;
  /** mean cross-entropy over positions whose target is not −1; null without targets */
  loss: number | null;
}

export class GPT {
  readonly config: GPTConfig;
  readonly dtype: "float32" | "float64";
  readonly kernels: Kernels;
  /** every parameter, one flat buffer laid out by paramSpecs */
  readonly params: FloatArray;
  readonly views: ParamViews;
  /** gradients, same layout as params */
  readonly grads: FloatArray;
  readonly gradViews: ParamViews;

  private acts: Activations | null = null;
  private dacts: Activations | null = null;
  /** the buffers behind acts and dacts: as large as the largest pass so far, reused by smaller ones */
  private actsFlat: FloatArray | null = null;
  private dactsFlat: FloatArray | null = null;
  private lastIds: IdArray | null = null;
  private lastTargets: IdArray | null = null;
  /** what the blocks of a pass over the current activations run with (see activationsFor) */
  private plan: { pass: BlockPass; rows: BlockRows[]; norms: NormSite[] } | null = null;
  /** per layer, 1 for each head of the current forward that is switched off [L, NH]; null: none */
  private ablated: Uint8Array | null = null;

  constructor(config: GPTConfig, options: GPTOptions = {}) {
    this.config = validateConfig({ ...config });
    this.dtype = options.dtype ?? "float32";
    this.kernels = withGelu(this.dtype === "float32" ? (options.kernels ?? referenceKernels) : referenceKernels, this.config.gelu);
    const n = countParams(this.config);
    if (options.params && (this.dtype !== "float32" || options.params.length !== n))
      throw new Error(`the given parameter buffer has ${options.params.length} float32 values, this config needs ${n} (${this.dtype})`);
    this.params = options.params ?? this.alloc(n);
    this.grads = this.alloc(n);
    this.views = paramViews(this.config, this.params);
    this.gradViews = paramViews(this.config, this.grads);
    // LayerNorm weights start at 1 (everything else is 0 until init()); given parameters stay as they are
    if (!options.params)
      for (const s of paramSpecs(this.config)) {
        if (s.group === "layernorm" && s.name.endsWith(".weight")) this.params.fill(1, s.offset, s.offset + s.size);
      }
  }

  /** nanoGPT's initialisation: weights ~ N(0, 0.02), residual projections (c_proj) scaled by 1/√(2L). */
  init(rng: Random): this {
    const projStd = 0.02 / Math.sqrt(2 * this.config.nLayer);
    for (const s of paramSpecs(this.config)) {
      const view = this.params.subarray(s.offset, s.offset + s.size);
      if (s.group === "layernorm") {
        view.fill(s.name.endsWith(".weight") ? 1 : 0);
      } else if (s.shape.length === 1) {
        view.fill(0); // Linear biases
      } else {
        const std = s.name.endsWith("c_proj.weight") ? projStd : 0.02;
        for (let i = 0; i < view.length; i++) view[i] = rng.normal() * std;
      }
    }
    return this;
  }

  /** Copies parameters in (e.g. from a checkpoint); the length must match exactly. */
  loadParams(flat: ArrayLike<number>): this {
    if (flat.length !== this.params.length) {
      throw new Error(`parameter buffer has ${flat.length} values, this config needs ${this.params.length}`);
    }
    this.params.set(flat);
    return this;
  }

  /**
   * Runs the model on ids [B, T]. With targets [B, T] (−1 = ignore) it also computes the loss
   * and remembers what backward() needs. `options.ablate` switches heads off for this forward.
   */
  forward(ids: IdArray, B: number, T: number, targets: IdArray | null = null, options: ForwardOptions = {}): ForwardResult {
    const a = this.forwardBlocks(ids, B, T, targets, options);
    const { nEmbd: C, vocabSize: V } = this.config;
    const N = B * T;
    const kernels = this.kernels;
    // 3. the output head, tied to the token embedding (ln_f ran with the last block's sum)
    kernels.linearForward(a.logits, a.lnf, this.views.wte, null, N, C, V);

    this.lastIds = ids;
    this.lastTargets = targets;
    if (targets === null) return { logits: a.logits, loss: null };
    this.gradientsFor(B, T);

    // 4. softmax and cross-entropy, averaged over the positions that have a target
    kernels.softmaxForward(a.probs, a.logits, N, V);
    crossEntropyForward(a.losses, a.probs, targets, N, V);
    let sum = 0;
    let count = 0;
    for (let i = 0; i < N; i++) {
      if (targets[i] >= 0) {
        sum += a.losses[i];
        count++;
      }
    }
    return { logits: a.logits, loss: count > 0 ? sum / count : 0 };
  }

  /**
   * Steps 1–2 of forward: every block's activations (and ln_f's), without the output head. What
   * reads only the blocks (the neuron index) calls this alone; its activations' logits stay unset.
   */
  forwardBlocks(ids: IdArray, B: number, T: number, targets: IdArray | null = null, options: ForwardOptions = {}): Activations {
    this.checkInputs(ids, B, T, targets);
    this.ablated = options.ablate && options.ablate.length > 0 ? this.headMask(options.ablate, targets) : null;
    const { nEmbd: C, nLayer: L } = this.config;
    const N = B * T;
    const a = this.activationsFor(B, T);
    // 1. token + position embedding, and the LayerNorm the stream meets first (block 0's
    //    ln_1; each later one runs fused with the residual sum before it, see ./block.ts)
    this.kernels.embeddingForward(a.encoded, ids, this.views.wte, this.views.wpe, B, T, C);
    normForward(this.kernels, this.plan!.norms[0], a.encoded, N, C);
    // 2. the blocks: x = x + attn(ln_1(x)); x = x + mlp(ln_2(x))
    for (let l = 0; l < L; l++) this.blockForward(l);
    return a;
  }

  /**
   * Back-propagates the last forward's mean loss; ACCUMULATES into this.grads. The activations'
   * gradients are written, each by its one producer (see ../tensor/kernels.ts), in this order,
   * but the residual stream's: one buffer (dacts.encoded) that the LayerNorms add to (step 3).
   */
  backward(): void {
    const a = this.acts;
    const d = this.dacts;
    const ids = this.lastIds;
    const targets = this.lastTargets;
    if (!a || !d || !ids || !targets) throw new Error("backward() needs a forward() with targets first");
    const { nEmbd: C, vocabSize: V, nLayer: L } = this.config;
    const { B, T } = a;
    const N = B * T;
    const kernels = this.kernels;
    const p = this.views;
    const g = this.gradViews;

    // 1. d(mean loss)/d(loss_i) = 1/count for every position with a target
    let count = 0;
    for (let i = 0; i < N; i++) if (targets[i] >= 0) count++;
    for (let i = 0; i < N; i++) d.losses[i] = targets[i] >= 0 ? 1 / count : 0;
    // 2. through softmax + cross-entropy to the logits, then the tied output head
    crossEntropySoftmaxBackward(d.logits, d.losses, a.probs, targets, N, V);
    kernels.linearBackward(d.lnf, g.wte, null, d.logits, a.lnf, p.wte, N, C, V);
    // 3. the residual stream's gradient: ONE buffer for every block (as llm.c does). A residual
    //    sum y = x + f(x) passes y's gradient on to both x and f(x) unchanged, so the sub-blocks
    //    read it as their output's gradient, and each LayerNorm on the stream adds its input's
    //    gradient to it: after block l it is the gradient of block l's input. It starts at 0,
    //    and the final LayerNorm adds the first part.
    kernels.zero(d.encoded, N * C);
    kernels.layernormBackward(d.encoded, g.lnfw, g.lnfb, d.lnf, this.blockInput(L), p.lnfw, a.lnfMean, a.lnfRstd, N, C);
    // 4. the blocks, last to first
    for (let l = L - 1; l >= 0; l--) this.blockBackward(l);
    // 5. into the token and position tables
    kernels.embeddingBackward(g.wte, g.wpe, d.encoded, ids, B, T, C);
  }

  /**
   * Block l of the last forward's pass (./block.ts): x = x + attn(ln_1(x)); x = x + mlp(ln_2(x)),
   * then the next LayerNorm of x (the next block's ln_1, or ln_f).
   */
  private blockForward(l: number): void {
    const plan = this.plan!;
    blockForward(plan.pass, this.views.blocks[l], l, plan.rows[l], plan.norms[l + 1]);
  }

  /**
   * Block l backward. On entry the stream's gradient dx (dacts.encoded) is the gradient of the
   * block's output; on exit, of its input. Each sum x + f(…) hands dx to f's output unchanged,
   * and the LayerNorm in front of f adds its input's gradient back into dx:
   *   1. x + mlp(ln_2(x)):  dln2 = mlpᵀ(dx);   dx += ln_2ᵀ(dln2)
   *   2. x + attn(ln_1(x)): dln1 = attnᵀ(dx);  dx += ln_1ᵀ(dln1)
   */
  private blockBackward(l: number): void {
    const kernels = this.kernels;
    const { nEmbd: C, nHead: NH } = this.config;
    const a = this.acts!;
    const d = this.dacts!;
    const { B, T } = a;
    const N = B * T;
    const w = this.views.blocks[l];
    const dw = this.gradViews.blocks[l];
    const la = a.layers[l];
    const dl = d.layers[l];
    const dx = d.encoded;
    // 1. MLP: c_proj back through the GELU (dl.fch: the gradient at c_fc's output), c_fc, ln_2
    kernels.linearGeluBackward(dl.fch, dw.fcProjW, dw.fcProjB, dx, la.fchGelu, w.fcProjW, la.fch, N, 4 * C, C);
    kernels.linearBackward(dl.ln2, dw.fcW, dw.fcB, dl.fch, la.ln2, w.fcW, N, C, 4 * C);
    kernels.layernormBackward(dx, dw.ln2w, dw.ln2b, dl.ln2, la.residual2, w.ln2w, la.ln2Mean, la.ln2Rstd, N, C);
    // 2. attention: c_proj, the heads, c_attn, ln_1
    kernels.linearBackward(dl.attY, dw.projW, dw.projB, dx, la.attY, w.projW, N, C, C);
    kernels.attentionBackward(dl.qkv, dl.preatt, dl.att, dl.attY, la.qkv, la.att, B, T, C, NH);
    kernels.linearBackward(dl.ln1, dw.attnW, dw.attnB, dl.qkv, la.ln1, w.attnW, N, C, 3 * C);
    kernels.layernormBackward(dx, dw.ln1w, dw.ln1b, dl.ln1, this.blockInput(l), w.ln1w, la.ln1Mean, la.ln1Rstd, N, C);
  }

  /** The residual stream entering block l of the last forward [B*T, C] (l = L: the last block's output). */
  private blockInput(l: number): FloatArray {
    const a = this.acts!;
    return l === 0 ? a.encoded : a.layers[l - 1].residual3;
  }

  /** The LayerNorm that reads the stream before block l (l = L: ln_f), writing into the activations. */
  private normBefore(l: number): NormSite {
    const a = this.acts!;
    if (l < this.config.nLayer) {
      const la = a.layers[l];
      return streamNorm(this.views, l, la.ln1, la.ln1Mean, la.ln1Rstd);
    }
    return streamNorm(this.views, l, a.lnf, a.lnfMean, a.lnfRstd);
  }

  /** The full pass over the last forward's B×T rows: blocked products, attention over the whole context. */
  private fullPass(): BlockPass {
    const a = this.acts!;
    const { B, T } = a;
    const { nEmbd: C, nHead: NH } = this.config;
    const kernels = this.kernels;
    const blocks = this.views.blocks;
    return {
      kernels,
      rows: B * T,
      channels: C,
      linear: (l, layer, out, inp) => {
        const { weight, bias, IC, OC } = linearOf(blocks[l], layer, C);
        kernels.linearForward(out, inp, weight, bias, B * T, IC, OC);
      },
      linearGelu: (l, layer, out, geluOut, inp) => {
        const { weight, bias, IC, OC } = linearOf(blocks[l], layer, C);
        kernels.linearGeluForward(out, geluOut, inp, weight, bias, B * T, IC, OC);
      },
      attention: (l, attY, qkv) => {
        const la = a.layers[l];
        kernels.attentionForward(attY, la.preatt, la.att, qkv, B, T, C, NH);
        // switched-off heads: their HS columns of every row of attY [B*T, C] are zeroed
        const ablated = this.ablated;
        if (ablated === null) return;
        const HS = C / NH;
        for (let h = 0; h < NH; h++) {
          if (ablated[l * NH + h] === 0) continue;
          for (let row = 0; row < B * T; row++) attY.fill(0, row * C + h * HS, row * C + (h + 1) * HS);
        }
      },
    };
  }

  zeroGrad(): void {
    this.kernels.zero(this.grads, this.grads.length);
  }

  /**
   * Softmaxed attention weights of the last forward for one layer: [B, NH, T, T]
   * (row = query position, column = key position; 0 above the diagonal).
   */
  attentionWeights(layer: number): FloatArray {
    if (!this.acts) throw new Error("attentionWeights() needs a forward() first");
    if (!Number.isInteger(layer) || layer < 0 || layer >= this.config.nLayer) {
      throw new Error(`layer ${layer} does not exist: the model has layers 0–${this.config.nLayer - 1}`);
    }
    return this.acts.layers[layer].att;
  }

  /**
   * After backward(): the gradient of the loss with respect to the model's input vectors, the
   * embedding sums x = wte[id] + wpe[t] [B*T, C] (the residual stream's gradient at block 0).
   */
  get inputGradient(): FloatArray | null {
    return this.dacts && this.lastTargets ? this.dacts.encoded : null;
  }

  /** The last forward's activations (for pictures and the explanatory mode). */
  get activations(): Activations | null {
    return this.acts;
  }

  private alloc(n: number): FloatArray {
    return this.dtype === "float64" ? new Float64Array(n) : this.kernels.alloc(n);
  }

  /**
   * The activations of a (B, T) pass. A pass of another shape lays its views over the same
   * buffers when they are large enough (kernel memory is never freed, so a new buffer for every
   * shape, e.g. every prompt length, would grow without end); only a larger pass allocates.
   */
  private activationsFor(B: number, T: number): Activations {
    if (this.acts && this.acts.B === B && this.acts.T === T) return this.acts;
    const size = activationSize(this.config, B, T);
    if (!this.actsFlat || this.actsFlat.length < size) this.actsFlat = this.alloc(size);
    this.acts = activationViews(this.config, B, T, this.actsFlat.subarray(0, size));
    // their gradients come with the first forward that has targets (inference never needs them)
    this.dacts = null;
    // the blocks' pass, buffers and LayerNorms over these activations, made once per shape
    const L = this.config.nLayer;
    this.plan = {
      pass: this.fullPass(),
      rows: this.acts.layers.map((la, l) => ({ ...la, x: this.blockInput(l) })),
      norms: Array.from({ length: L + 1 }, (_, l) => this.normBefore(l)),
    };
    return this.acts;
  }

  /**
   * The activations' gradients for the last forward's shape, laid over a buffer as large as
   * the largest training pass so far: allocated only when a forward has targets, so a model
   * that only answers (GPT-2 over 1,024 tokens) needs half the memory.
   */
  private gradientsFor(B: number, T: number): Activations {
    if (this.dacts && this.dacts.B === B && this.dacts.T === T) return this.dacts;
    const size = activationSize(this.config, B, T);
    if (!this.dactsFlat || this.dactsFlat.length < size) this.dactsFlat = this.alloc(size);
    this.dacts = activationViews(this.config, B, T, this.dactsFlat.subarray(0, size));
    return this.dacts;
  }

  /** The switched-off heads as flags [L, NH], after checking each exists. */
  private headMask(heads: HeadMask, targets: IdArray | null): Uint8Array {
    const { nLayer: L, nHead: NH } = this.config;
    if (targets !== null) throw new Error("switching heads off is for inference: forward() without targets");
    const mask = new Uint8Array(L * NH);
    for (const { layer, head } of heads) {
      if (!Number.isInteger(layer) || layer < 0 || layer >= L || !Number.isInteger(head) || head < 0 || head >= NH) {
        throw new Error(`head ${layer}.${head} does not exist: the model has layers 0–${L - 1} with heads 0–${NH - 1}`);
      }
      mask[layer * NH + head] = 1;
    }
    return mask;
  }

  private checkInputs(ids: IdArray, B: number, T: number, targets: IdArray | null): void {
    const { blockSize, vocabSize } = this.config;
    if (!Number.isInteger(B) || B < 1 || !Number.isInteger(T) || T < 1) {
      throw new Error(`batch ${B} × time ${T} must both be positive integers`);
    }
    if (T > blockSize) throw new Error(`context has ${T} tokens, block size is ${blockSize}`);
    if (ids.length !== B * T) throw new Error(`ids has ${ids.length} values, batch ${B} × time ${T} needs ${B * T}`);
    if (targets && targets.length !== B * T) {
      throw new Error(`targets has ${targets.length} values, batch ${B} × time ${T} needs ${B * T}`);
    }
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i];
      if (id < 0 || id >= vocabSize) throw new Error(`token id ${id} at position ${i} is outside the vocabulary 0–${vocabSize - 1}`);
      if (targets && (targets[i] < -1 || targets[i] >= vocabSize)) {
        throw new Error(`target ${targets[i]} at position ${i} is outside the vocabulary 0–${vocabSize - 1} (−1 = ignore)`);
      }
    }
  }
}
