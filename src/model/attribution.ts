/**
 * Gradient × input: how much each input token's embedding pushes the log-probability of one
 * next token, to first order. For the last position's target token y,
 *
 *   score[t] = Σ_c ∂ log p(y) / ∂ x[t,c] · wte[ids[t], c]        x[t] = wte[ids[t]] + wpe[t]
 *
 * the derivative of log p(y) along the token's own embedding (scaling e = wte[ids[t]] by 1+ε
 * changes log p(y) by ε·score[t]). The gradient is the model's exact backward pass, run on the
 * loss −log p(y) at the last position only.
 */
import type { FloatArray, IdArray } from "../tensor/types.ts";
import type { GPT } from "./gpt.ts";

export interface Attribution {
  /** log p(target) at the last position */
  logProb: number;
  /** gradient × input per input position [T] */
  scores: number[];
}

/** Scores for `target` after ids [T]. The model's parameter gradients are left as they were. */
export function gradientTimesInput(model: GPT, ids: IdArray, target: number): Attribution {
  const T = ids.length;
  const { nEmbd: C, vocabSize: V } = model.config;
  if (!Number.isInteger(target) || target < 0 || target >= V) {
    throw new Error(`target token ${target} is outside the vocabulary 0–${V - 1}`);
  }
  // 1. the loss −log p(target) at the last position alone (every other target ignored)
  const targets = new Int32Array(T).fill(-1);
  targets[T - 1] = target;
  const saved = Float64Array.from(model.grads);
  try {
    const { loss } = model.forward(ids, 1, T, targets);
    // 2. its gradient at the input vectors, by the backward pass
    model.backward();
    const gradient: FloatArray = model.inputGradient!;
    // 3. ∂ log p / ∂ x = −∂ loss / ∂ x, times the token's own embedding, summed over channels
    const scores: number[] = [];
    for (let t = 0; t < T; t++) {
      let score = 0;
      for (let c = 0; c < C; c++) score -= gradient[t * C + c] * model.views.wte[ids[t] * C + c];
      scores.push(score);
    }
    return { logProb: -(loss as number), scores };
  } finally {
    model.grads.set(saved);
  }
}
