/**
 * The small interface behind which the hot loops live. The model calls matrix products,
 * attention, GELU, LayerNorm, residual sums, the embeddings and the logits' softmax, and the optimizer its AdamW update, only through
 * a `Kernels` object, so a faster implementation (WebAssembly SIMD, several threads) can replace
 * the readable reference without touching the model.
 *
 * Sizes: N rows (B*T), IC in-channels, OC out-channels, B batch, T time, C channels, NH heads.
 *
 * Backward ACCUMULATES (+=) into the parameters' gradients (a tied weight, or several batches,
 * add up there). The gradients of activations are WRITTEN (=) where the model has one producer
 * for them: linear's dinp, GELU's and attention's dqkv (a residual sum needs no backward
 * kernel: it hands its output's gradient to both inputs unchanged). Only LayerNorm's dinp is
 * added to: the model keeps the residual stream's gradient in one buffer,
 * which every LayerNorm on the stream adds to (see GPT.backward). So a backward pass need not
 * first clear the activations' gradients (as large as the activations), and the kernels need
 * not read what they replace (llm.c's GPU code does the same).
 */
import type { FloatArray, IdArray } from "./types.ts";
import { linearForward, linearBackward, linearRowForward } from "./linear.ts";
import { attentionForward, attentionBackward } from "./attention.ts";
import { attentionStepForward } from "./attention-step.ts";
import { geluBackward, geluForward } from "./gelu.ts";
import { layernormBackward, layernormForward } from "./layernorm.ts";
import { residualForward } from "./residual.ts";
import { type AdamWUpdate, adamwUpdate } from "./adamw.ts";
import { scale, sumOfSquares } from "./grad-norm.ts";
import { softmaxForward } from "./crossentropy.ts";
import { embeddingBackward, embeddingForward } from "./embedding.ts";

export interface Kernels {
  /** shown in benchmarks and `info` */
  name: string;
  /** a zeroed buffer these kernels can work on without copying */
  alloc(length: number): Float32Array;
  /** out[N,OC] = inp[N,IC] · weight[OC,IC]ᵀ + bias[OC] */
  linearForward(out: FloatArray, inp: FloatArray, weight: FloatArray, bias: FloatArray | null, N: number, IC: number, OC: number): void;
  /**
   * linearForward into a GELU: out = inp·weightᵀ + bias, then geluOut = gelu(out) (the MLP's
   * c_fc); a backend may do the GELU to each part of out while it is still in cache
   */
  linearGeluForward(
    out: FloatArray,
    geluOut: FloatArray,
    inp: FloatArray,
    weight: FloatArray,
    bias: FloatArray | null,
    N: number,
    IC: number,
    OC: number,
  ): void;
  /** out[OC] = x[IC] · weightT[IC,OC] + bias[OC]: one row, weight kept transposed; equals linearForward bit for bit */
  linearRowForward(out: FloatArray, x: FloatArray, weightT: FloatArray, bias: FloatArray | null, IC: number, OC: number): void;
  /** dinp[N,IC] = dout·weight;  dweight[OC,IC] += doutᵀ·inp;  dbias[OC] += Σ_rows dout */
  linearBackward(
    dinp: FloatArray,
    dweight: FloatArray,
    dbias: FloatArray | null,
    dout: FloatArray,
    inp: FloatArray,
    weight: FloatArray,
    N: number,
    IC: number,
    OC: number,
  ): void;
  /**
   * linearBackward of a layer whose input is inp = gelu(pre) (the MLP's c_proj), on through the
   * GELU: dpre[N,IC] = gelu'(pre)·(dout·weight), the gradient at the GELU's input; dweight and
   * dbias as linearBackward
   */
  linearGeluBackward(
    dpre: FloatArray,
    dweight: FloatArray,
    dbias: FloatArray | null,
    dout: FloatArray,
    inp: FloatArray,
    weight: FloatArray,
    pre: FloatArray,
    N: number,
    IC: number,
    OC: number,
  ): void;
  /** one new query q[C] over cached keys/values [Tk, C] → out[C]; att [NH, Tk] scratch (generation) */
  attentionStepForward(
    out: FloatArray,
    att: FloatArray,
    q: FloatArray,
    keys: FloatArray,
    values: FloatArray,
    Tk: number,
    C: number,
    NH: number,
  ): void;
  /** buffer[0…N) = 0 (the parameters' gradients before a backward pass) */
  zero(buffer: FloatArray, N: number): void;
  /** out[N] = gelu(inp[N]) (tanh form) */
  geluForward(out: FloatArray, inp: FloatArray, N: number): void;
  /** dinp[N] = gelu'(inp)·dout */
  geluBackward(dinp: FloatArray, inp: FloatArray, dout: FloatArray, N: number): void;
  /** out[N,C] = (inp − mean)·rstd·weight[C] + bias[C] row by row; stores mean[N] and rstd[N] */
  layernormForward(
    out: FloatArray,
    mean: FloatArray,
    rstd: FloatArray,
    inp: FloatArray,
    weight: FloatArray,
    bias: FloatArray | null,
    N: number,
    C: number,
  ): void;
  /**
   * residual[N,C] = a + b, then out = LayerNorm(residual) as layernormForward does: the two
   * in one pass over the rows (each row's sum is still in cache for its LayerNorm)
   */
  residualLayernormForward(
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
  ): void;
  /** dinp[N,C] += …;  dweight[C] += Σ_rows dout·x̂;  dbias[C] += Σ_rows dout (from the forward's mean and rstd) */
  layernormBackward(
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
  ): void;
  /** out[N] = a[N] + b[N] */
  residualForward(out: FloatArray, a: FloatArray, b: FloatArray, N: number): void;
  /** out[B,T,C] = wte[ids[b,t]] + wpe[t] (the model's first step); ids checked against wte and wpe */
  embeddingForward(out: FloatArray, ids: IdArray, wte: FloatArray, wpe: FloatArray, B: number, T: number, C: number): void;
  /** dwte[ids[b,t]] += dout[b,t];  dwpe[t] += dout[b,t] */
  embeddingBackward(dwte: FloatArray, dwpe: FloatArray, dout: FloatArray, ids: IdArray, B: number, T: number, C: number): void;
  /** probs[N,V] = softmax(logits[N,V]) row by row (the model's last step before the loss) */
  softmaxForward(probs: FloatArray, logits: FloatArray, N: number, V: number): void;
  /** Σ x[i]² over x[0…N) (a gradient's squared norm, for clipping) */
  sumOfSquares(x: FloatArray, N: number): number;
  /** x[0…N) *= factor */
  scale(x: FloatArray, N: number, factor: number): void;
  /** one AdamW step of N parameters sharing one weight decay: params, m, v [N] updated in place, grads read */
  adamwUpdate(params: FloatArray, grads: FloatArray, m: FloatArray, v: FloatArray, N: number, update: AdamWUpdate): void;
  /** causal multi-head attention over qkv[B,T,3C] → out[B,T,C]; keeps preatt and softmaxed att [B,NH,T,T] */
  attentionForward(
    out: FloatArray,
    preatt: FloatArray,
    att: FloatArray,
    qkv: FloatArray,
    B: number,
    T: number,
    C: number,
    NH: number,
  ): void;
  /** dqkv[B,T,3C] = …; dpreatt and datt [B,NH,T,T] are scratch it writes (on and below the diagonal) */
  attentionBackward(
    dqkv: FloatArray,
    dpreatt: FloatArray,
    datt: FloatArray,
    dout: FloatArray,
    qkv: FloatArray,
    att: FloatArray,
    B: number,
    T: number,
    C: number,
    NH: number,
  ): void;
}

/** The readable TypeScript kernels: the reference every faster kernel is tested against. */
export const referenceKernels: Kernels = {
  name: "typescript",
  alloc: (length) => new Float32Array(length),
  linearForward,
  linearGeluForward: (out, geluOut, inp, weight, bias, N, IC, OC) => {
    linearForward(out, inp, weight, bias, N, IC, OC);
    geluForward(geluOut, out, N * OC);
  },
  linearRowForward,
  linearBackward,
  linearGeluBackward: (dpre, dweight, dbias, dout, inp, weight, pre, N, IC, OC) => {
    linearBackward(dpre, dweight, dbias, dout, inp, weight, N, IC, OC);
    geluBackward(dpre, pre, dpre, N * IC);
  },
  attentionForward,
  attentionBackward,
  attentionStepForward,
  zero: (buffer, N) => buffer.fill(0, 0, N),
  geluForward,
  geluBackward,
  layernormForward,
  residualLayernormForward: (residual, out, mean, rstd, a, b, weight, bias, N, C) => {
    residualForward(residual, a, b, N * C);
    layernormForward(out, mean, rstd, residual, weight, bias, N, C);
  },
  layernormBackward,
  residualForward,
  embeddingForward,
  embeddingBackward,
  softmaxForward,
  sumOfSquares,
  scale,
  adamwUpdate,
};
