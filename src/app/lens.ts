/**
 * `/lens`: the logit lens as a user sees it. For every depth d (0 = the embeddings, l = after
 * block l, L = the model's output) and every input position, the residual stream read through
 * ln_f and the output head (src/model/lens.ts), turned into the k likeliest next tokens.
 * The last depth is the model's own prediction: its last position is what /predict shows.
 */
import { logitLens } from "../model/lens.ts";
import { labelAfter } from "../tokenizer/pieces.ts";
import { checkValues } from "./catalogue/check.ts";
import { defaultOf } from "./catalogue/index.ts";
import type { ModelHandle } from "./model-handle.ts";
import { checkText, encodePrompt, promptFacts } from "./prompt.ts";
import { topTokens } from "./top-tokens.ts";

export interface LensGuess {
  id: number;
  /** the token as pictures show it after the text up to its position */
  token: string;
  /** softmax of this depth's logits at this position */
  prob: number;
  logit: number;
}

export interface LensDepth {
  /** 0 = the embeddings, l = after block l; the last (nLayer) is the model's output */
  layer: number;
  /** one per input position: the top k guesses for the token after it */
  positions: { top: LensGuess[] }[];
}

export interface LensResult {
  text: string;
  inputIds: number[];
  inputTokens: string[];
  unknown: number;
  dropped: number;
  k: number;
  /** nLayer + 1 depths, 0…L */
  layers: LensDepth[];
}

export const LENS_DEFAULT_K: number = defaultOf("lens", "k");

export function lensOf(handle: ModelHandle, text: string, options: { k?: number } = {}): LensResult {
  const k = options.k ?? LENS_DEFAULT_K;
  checkText(text, true);
  checkValues("lens", { k });
  const prompt = encodePrompt(handle, text);
  const T = prompt.ids.length;
  const V = handle.model.config.vocabSize;
  const depths = logitLens(handle.model, Int32Array.from(prompt.ids)); // L+1 arrays [T, V]
  const kept = Math.min(k, V);
  const layers = depths.map((logits, layer) => ({
    layer,
    positions: Array.from({ length: T }, (_, t) => {
      // 1. this position's row of logits [V], 2. its softmax top k, 3. labels after the text so far
      const row = logits.subarray(t * V, (t + 1) * V);
      const before = prompt.ids.slice(0, t + 1);
      return {
        top: topTokens(row, kept).map((c) => ({ ...c, token: labelAfter(handle.tokenizer, before, c.id).label })),
      };
    }),
  }));
  return {
    ...promptFacts(handle, text, prompt),
    k: kept,
    layers,
  };
}
