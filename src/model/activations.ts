/**
 * Every intermediate tensor of one forward pass, as views into ONE flat buffer (llm.c style).
 * The same layout holds the activations' gradients during backward (there the residual stream's
 * gradient lives in `encoded` for every block, and the blocks' attProj, residual2, fchGelu,
 * fcProj and residual3 entries stay unused: see GPT.backward).
 *
 * Legend: B batch, T time, C channels, NH heads, V vocab, L layers, N = B*T rows.
 */
import type { FloatArray } from "../tensor/types.ts";
import type { GPTConfig } from "./config.ts";

export interface LayerActivations {
  ln1: FloatArray; // [N, C]      LayerNorm 1 output
  ln1Mean: FloatArray; // [N]
  ln1Rstd: FloatArray; // [N]
  qkv: FloatArray; // [N, 3C]     c_attn output: queries, keys, values side by side
  attY: FloatArray; // [N, C]      attention output, heads concatenated
  preatt: FloatArray; // [B, NH, T, T] scaled scores q·k/√HS (0 where masked)
  att: FloatArray; // [B, NH, T, T] softmaxed attention weights (0 where masked)
  attProj: FloatArray; // [N, C]      attn.c_proj output
  residual2: FloatArray; // [N, C]     x + attention
  ln2: FloatArray; // [N, C]
  ln2Mean: FloatArray; // [N]
  ln2Rstd: FloatArray; // [N]
  fch: FloatArray; // [N, 4C]     mlp.c_fc output
  fchGelu: FloatArray; // [N, 4C]     after GELU
  fcProj: FloatArray; // [N, C]      mlp.c_proj output
  residual3: FloatArray; // [N, C]     x + attention + MLP: the block's output
}

export interface Activations {
  B: number;
  T: number;
  encoded: FloatArray; // [N, C]      token + position embedding
  layers: LayerActivations[];
  lnf: FloatArray; // [N, C]      final LayerNorm
  lnfMean: FloatArray; // [N]
  lnfRstd: FloatArray; // [N]
  logits: FloatArray; // [N, V]
  probs: FloatArray; // [N, V]      softmax of logits
  losses: FloatArray; // [N]         −log p(target) per position
  /** the flat buffer behind all views above */
  flat: FloatArray;
}

/** Number of elements the activations of a (B, T) pass need. */
export function activationSize(config: GPTConfig, B: number, T: number): number {
  const { nEmbd: C, nHead: NH, nLayer: L, vocabSize: V } = config;
  const N = B * T;
  const perLayer = N * C * 7 + N * 4 + N * 3 * C + N * 4 * C * 2 + 2 * B * NH * T * T;
  return N * C + L * perLayer + N * C + 2 * N + 2 * N * V + N;
}

/** Lays out views over `flat` (which must hold activationSize elements). */
export function activationViews(config: GPTConfig, B: number, T: number, flat: FloatArray): Activations {
  const { nEmbd: C, nHead: NH, nLayer: L, vocabSize: V } = config;
  const N = B * T;
  let offset = 0;
  const take = (size: number) => {
    const view = flat.subarray(offset, offset + size);
    offset += size;
    return view;
  };
  const encoded = take(N * C);
  const layers: LayerActivations[] = [];
  for (let l = 0; l < L; l++) {
    layers.push({
      ln1: take(N * C),
      ln1Mean: take(N),
      ln1Rstd: take(N),
      qkv: take(N * 3 * C),
      attY: take(N * C),
      preatt: take(B * NH * T * T),
      att: take(B * NH * T * T),
      attProj: take(N * C),
      residual2: take(N * C),
      ln2: take(N * C),
      ln2Mean: take(N),
      ln2Rstd: take(N),
      fch: take(N * 4 * C),
      fchGelu: take(N * 4 * C),
      fcProj: take(N * C),
      residual3: take(N * C),
    });
  }
  const lnf = take(N * C),
    lnfMean = take(N),
    lnfRstd = take(N);
  const logits = take(N * V),
    probs = take(N * V),
    losses = take(N);
  if (offset !== flat.length) {
    throw new Error(`activation layout used ${offset} elements, buffer has ${flat.length}`);
  }
  return { B, T, encoded, layers, lnf, lnfMean, lnfRstd, logits, probs, losses, flat };
}
