/** `/predict`: the most likely next tokens after a text, with probabilities and raw logits. */
import { topCandidates } from "../sample/sampling.ts";
import type { ModelHandle } from "./model-handle.ts";
import { labelAfter } from "../tokenizer/pieces.ts";
import { checkText, encodePrompt, promptFacts } from "./prompt.ts";
import { withDefaults } from "./options.ts";
import { checkValues } from "./catalogue/check.ts";
import { defaultsOf } from "./catalogue/index.ts";

/** A token as the pictures and replies show it: spaces, newlines and bytes made visible. */
export { visibleToken } from "../render/text.ts";

export interface PredictOptions {
  /** how many candidates (the catalogue's range) */
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

export const PREDICT_DEFAULTS = defaultsOf("predict") as unknown as PredictOptions;

export function predictNext(handle: ModelHandle, text: string, options: Partial<PredictOptions> = {}): PredictResult {
  const { k, temperature } = withDefaults(PREDICT_DEFAULTS, options);
  checkText(text, true);
  checkValues("predict", { k, temperature });
  return predictFromLogits(handle, text, { k, temperature }, (ids) => handle.source.nextLogits(Int32Array.from(ids)));
}

/** The prediction of checked options, with the next-token logits after the prompt's ids from `nextLogits`. */
export function predictFromLogits(
  handle: ModelHandle,
  text: string,
  { k, temperature }: PredictOptions,
  nextLogits: (ids: number[]) => ArrayLike<number>,
): PredictResult {
  const prompt = encodePrompt(handle, text);
  const logits = nextLogits(prompt.ids);
  const candidates = topCandidates(logits, Math.min(k, handle.tokenizer.vocabSize), temperature).map((c) => ({
    ...c,
    token: labelAfter(handle.tokenizer, prompt.ids, c.id).label,
  }));
  return {
    ...promptFacts(handle, text, prompt),
    temperature,
    candidates,
  };
}
