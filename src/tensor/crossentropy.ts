/**
 * The model's last steps: logits → probabilities → loss, and the gradient back to the logits.
 *
 * Shapes: logits and probs [N,V] (N = B*T rows, one score per vocabulary entry),
 * targets [N] (the token that really came next, or −1 to ignore the row), losses [N].
 */
import type { FloatArray, IdArray } from "./types.ts";

/** The target that marks a row to leave out of the loss (padding, or a prompt's positions). */
export const IGNORE_TARGET = -1;

/**
 * probs[N,V] = softmax(logits[N,V]) row by row:
 *   1. max = the row's largest logit (subtracting it keeps exp from overflowing)
 *   2. e[v] = exp(logit[v] − max),  sum = Σ_v e[v]
 *   3. probs[v] = e[v] / sum
 */
export function softmaxForward(probs: FloatArray, logits: FloatArray, N: number, V: number): void {
  for (let n = 0; n < N; n++) {
    const rowOffset = n * V;
    // 1.
    let max = -Infinity;
    for (let v = 0; v < V; v++) {
      const logit = logits[rowOffset + v];
      if (logit > max) max = logit;
    }
    // 2.
    let sum = 0;
    for (let v = 0; v < V; v++) {
      const e = Math.exp(logits[rowOffset + v] - max);
      probs[rowOffset + v] = e;
      sum += e;
    }
    // 3.
    const invSum = 1 / sum;
    for (let v = 0; v < V; v++) probs[rowOffset + v] *= invSum;
  }
}

/** losses[i] = −log probs[i, targets[i]]; 0 where the target is −1 (ignored) */
export function crossEntropyForward(losses: FloatArray, probs: FloatArray, targets: IdArray, N: number, V: number): void {
  for (let n = 0; n < N; n++) {
    const target = targets[n];
    if (target === IGNORE_TARGET) {
      losses[n] = 0;
      continue;
    }
    checkTarget(target, n, V);
    losses[n] = -Math.log(probs[n * V + target]);
  }
}

/**
 * Gradient of the loss with respect to the logits, through softmax and −log together, written
 * (see ./kernels.ts):
 *   dlogits[i,v] = dlosses[i] · (probs[i,v] − [v = targets[i]])
 * Rows whose target is −1 get 0.
 * Shapes: dlogits, probs [N,V]; dlosses [N]; targets [N].
 */
export function crossEntropySoftmaxBackward(
  dlogits: FloatArray,
  dlosses: FloatArray,
  probs: FloatArray,
  targets: IdArray,
  N: number,
  V: number,
): void {
  for (let n = 0; n < N; n++) {
    const target = targets[n];
    const rowOffset = n * V;
    if (target === IGNORE_TARGET) {
      dlogits.fill(0, rowOffset, rowOffset + V);
      continue;
    }
    checkTarget(target, n, V);
    const dloss = dlosses[n];
    for (let v = 0; v < V; v++) dlogits[rowOffset + v] = dloss * probs[rowOffset + v];
    dlogits[rowOffset + target] -= dloss;
  }
}

function checkTarget(target: number, row: number, V: number): void {
  if (target < 0 || target >= V) {
    throw new RangeError(`target ${target} at row ${row} is outside the vocabulary of ${V} tokens`);
  }
}
