/**
 * How well a model predicts a text: the use case behind `cli eval`.
 *
 * Bits per byte is the measure that compares models with different tokenizers, and
 * compressors: a model that gives the text probability P could store it in −log₂ P bits
 * (arithmetic coding), so −log₂ P / bytes is its compression rate. It is the seed's loss
 * function (cross-entropy, the mean of −ln p(next token)) summed over the text and
 * converted from nats to bits, divided by the text's UTF-8 bytes instead of its tokens.
 *
 *   1. ids = [eot, encode(text)]: the model reads eot first, as every training document began
 *   2. windows of T = block size tokens, each starting T/2 after the one before, so every
 *      token after the first window is predicted from at least T/2 tokens of context;
 *      each token is scored once, in the first window that reaches it
 *   3. the model's own cross-entropy over the window, with the targets it already scored masked
 *      (−1, which the loss skips): loss × (targets counted) = Σ −ln p(next token)
 *   4. lossPerToken = Σ / tokens; bitsPerByte = Σ / ln 2 / bytes
 */
import { encodeWtf8 } from "../tokenizer/wtf8.ts";
import type { ModelHandle } from "./model-handle.ts";

export interface TextEvaluation {
  /** tokens of the text (the eot read first is not counted) */
  tokens: number;
  /** UTF-8 bytes of the text */
  bytes: number;
  /** mean cross-entropy per token, in nats */
  lossPerToken: number;
  bitsPerByte: number;
}

export function evaluateText(handle: ModelHandle, text: string): TextEvaluation {
  const { tokenizer, model } = handle;
  const ids = tokenizer.encode(text).ids;
  if (ids.length === 0) throw new Error("the text to evaluate is empty");
  // step 1: the stream the model reads, [N + 1]
  const stream = Int32Array.from([tokenizer.eotId, ...ids]);
  const T = model.config.blockSize;
  const stride = Math.max(1, Math.floor(T / 2));
  let sum = 0;
  let scored = 0; // stream positions 1 … scored have been scored as targets
  // step 2: windows [start, start + length) of inputs; their targets are one further on
  for (let start = 0; scored < stream.length - 1; start += stride) {
    const length = Math.min(T, stream.length - 1 - start);
    // step 3: score the targets this window reaches first
    const targets = stream.slice(start + 1, start + length + 1);
    const fresh = length - Math.max(0, scored - start);
    targets.fill(-1, 0, length - fresh);
    sum += model.forward(stream.subarray(start, start + length), 1, length, targets).loss! * fresh;
    scored = start + length;
  }
  // step 4
  const bytes = encodeWtf8(text).length;
  return { tokens: ids.length, bytes, lossPerToken: sum / ids.length, bitsPerByte: sum / Math.LN2 / bytes };
}
