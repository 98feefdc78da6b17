/**
 * `/why`: which input tokens pushed the model towards one next token (the predicted one, or a
 * target the user names), by two methods side by side, one score per input position each:
 *
 *   gradient × input  the derivative of log p(target) along the token's own embedding, from
 *                     the model's exact backward pass (src/model/attribution.ts): what a small
 *                     nudge of that token would do, everything else held still;
 *   occlusion         log p(target | the text) − log p(target | the text without that token):
 *                     what removing the token outright does (the later tokens move up a place).
 *
 * Both are in units of log-probability; positive = the token made the target likelier.
 */
import { gradientTimesInput } from "../model/attribution.ts";
import { occludedFinalRows } from "../model/occlusion.ts";
import { labelAfter } from "../tokenizer/pieces.ts";
import { checkValues } from "./catalogue/check.ts";
import { inputError } from "./input-messages.ts";
import type { ModelHandle } from "./model-handle.ts";
import { checkText, encodePrompt, promptFacts } from "./prompt.ts";
import { logProbOf, topTokens } from "./top-tokens.ts";

export interface AttributionResult {
  text: string;
  inputIds: number[];
  inputTokens: string[];
  unknown: number;
  dropped: number;
  target: { id: number; token: string; prob: number; logProb: number; predicted: boolean };
  /** gradient × input per input position [T] */
  gradient: number[];
  /** log p(target) − log p(target without the token), per input position [T] */
  occlusion: number[];
  /** p(target) with each input position removed [T] */
  occludedProb: number[];
}

export function attributeNext(handle: ModelHandle, text: string, options: { target?: string } = {}): AttributionResult {
  checkText(text, false);
  checkValues("why", { target: options.target });
  const prompt = encodePrompt(handle, text);
  const ids = Int32Array.from(prompt.ids);
  const T = ids.length;
  const V = handle.model.config.vocabSize;

  // 1. the target: the token the user named (exactly one token), else the model's top guess
  let targetId: number;
  let predicted: boolean;
  const logits = handle.model.forward(ids, 1, T).logits;
  const top = topTokens(logits.subarray((T - 1) * V, T * V), 1)[0];
  if (options.target !== undefined && options.target !== "") {
    const encoded = handle.tokenizer.encode(options.target).ids;
    if (encoded.length !== 1) throw inputError("target-tokens", { target: options.target, count: encoded.length });
    targetId = encoded[0];
    predicted = targetId === top.id;
  } else {
    targetId = top.id;
    predicted = true;
  }

  // 2. gradient × input by the backward pass
  const { logProb, scores } = gradientTimesInput(handle.model, ids, targetId);

  // 3. occlusion: the text without position r, for every r (src/model/occlusion.ts)
  const occludedLogProb = occludedLogProbs(handle, ids, targetId);
  return {
    ...promptFacts(handle, text, prompt),
    target: { id: targetId, token: labelAfter(handle.tokenizer, prompt.ids, targetId).label, prob: Math.exp(logProb), logProb, predicted },
    gradient: scores,
    occlusion: occludedLogProb.map((lp) => logProb - lp),
    occludedProb: occludedLogProb.map((lp) => Math.exp(lp)),
  };
}

/** log p(target) at the last position of ids [T] with each position removed in turn: [T]. */
function occludedLogProbs(handle: ModelHandle, ids: Int32Array, target: number): number[] {
  const T = ids.length;
  const { nEmbd: C, vocabSize: V } = handle.model.config;
  // ln_f of each shortened text's last position [T, C] (the unchanged prefixes reused), then the output head
  const last = occludedFinalRows(handle.model, ids);
  const logits = handle.model.dtype === "float64" ? new Float64Array(T * V) : new Float32Array(T * V);
  handle.model.kernels.linearForward(logits, last, handle.model.views.wte, null, T, C, V);
  const out: number[] = [];
  for (let r = 0; r < T; r++) out.push(logProbOf(logits.subarray(r * V, (r + 1) * V), target));
  return out;
}
