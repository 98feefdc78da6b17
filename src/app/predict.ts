/** `/predict`: the most likely next tokens after a text, with probabilities and raw logits. */
import { topCandidates } from "../sample/sampling.ts";
import type { ModelHandle } from "./model-handle.ts";
import { labelAfter } from "../tokenizer/pieces.ts";
import { checkText, encodePrompt, InputError, tokenLabels } from "./prompt.ts";
import { withDefaults } from "./options.ts";

/** A token as the pictures and replies show it: spaces, newlines and bytes made visible. */
export { visibleToken } from "../render/text.ts";

export interface PredictOptions {
  /** how many candidates (1–50) */
  k: number;
  /** > 0; 1 = the model's own distribution */
  temperature: number;
}

export interface PredictResult {
  text: string;
  inputIds: number[];
  inputTokens: string[];
  unknown: number;
  dropped: number;
  temperature: number;
  candidates: { id: number; token: string; prob: number; logit: number }[];
}

export const PREDICT_DEFAULTS: PredictOptions = { k: 10, temperature: 1 };

export function predictNext(handle: ModelHandle, text: string, options: Partial<PredictOptions> = {}): PredictResult {
  const { k, temperature } = withDefaults(PREDICT_DEFAULTS, options);
  checkText(text, true);
  if (!Number.isInteger(k) || k < 1 || k > 50) throw new InputError(`k must be a whole number from 1 to 50, got ${k}`, "bad-k", { k });
  if (!Number.isFinite(temperature) || temperature <= 0 || temperature > 10) {
    throw new InputError(`temperature must be above 0 and at most 10, got ${temperature}`, "bad-temperature", { temperature });
  }
  const prompt = encodePrompt(handle, text);
  const logits = handle.source.nextLogits(Int32Array.from(prompt.ids));
  const candidates = topCandidates(logits, Math.min(k, handle.tokenizer.vocabSize), temperature).map((c) => ({
    ...c,
    token: labelAfter(handle.tokenizer, prompt.ids, c.id).label,
  }));
  return {
    text,
    inputIds: prompt.ids,
    inputTokens: tokenLabels(handle, prompt.ids),
    unknown: prompt.unknown,
    dropped: prompt.dropped,
    temperature,
    candidates,
  };
}
