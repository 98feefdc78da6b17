/** `/generate`, chat and `/trace`: continue a text with the model. */
import { DEFAULT_SAMPLING, type SamplingSettings, validateSampling } from "../sample/sampling.ts";
import { generate, type GenerationStep } from "../sample/generate.ts";
import type { ModelHandle } from "./model-handle.ts";
import { checkText, encodePrompt, InputError } from "./prompt.ts";
import { withDefaults } from "./options.ts";
import { checkValues } from "./catalogue/check.ts";
import { defaultOf } from "./catalogue/index.ts";

export interface GenerateTextOptions extends SamplingSettings {
  maxTokens: number;
  seed: number;
  /** stop at the end of a message (the end-of-text token) */
  stopAtEnd: boolean;
}

export const GENERATE_DEFAULTS: GenerateTextOptions = {
  ...DEFAULT_SAMPLING,
  maxTokens: defaultOf("generate", "tokens"),
  seed: 1,
  stopAtEnd: true,
};
export { MAX_GENERATE_TOKENS } from "./catalogue/commands.ts";

/** A seed for a run where the user gave none: shown with the text, so it can be made again. */
export function randomSeed(): number {
  return Math.floor(Math.random() * 1_000_000);
}

export interface GeneratedText {
  prompt: string;
  /** only the continuation */
  text: string;
  ids: number[];
  steps: GenerationStep[];
  stoppedBy: "maxTokens" | "stopToken";
  unknown: number;
  options: GenerateTextOptions;
}

/**
 * Throws an InputError naming the first option out of the catalogue's range for `command`
 * (/trace writes fewer tokens than /generate); then the sampler's own check.
 */
export function checkGenerateOptions(o: GenerateTextOptions, command: "generate" | "trace" = "generate"): GenerateTextOptions {
  checkValues(command, { tokens: o.maxTokens, seed: o.seed });
  checkValues("generate", { temperature: o.temperature, top_k: o.topK, top_p: o.topP });
  try {
    validateSampling(o);
  } catch (err) {
    throw new InputError((err as Error).message, "bad-sampling", { problems: (err as Error).message });
  }
  return o;
}

export function generateText(handle: ModelHandle, prompt: string, options: Partial<GenerateTextOptions> = {}): GeneratedText {
  const o = checkGenerateOptions(withDefaults(GENERATE_DEFAULTS, options));
  checkText(prompt, true);
  const encoded = encodePrompt(handle, prompt);
  const g = generate(handle.source, encoded.ids, {
    ...o,
    repetitionWindow: 64,
    stopToken: o.stopAtEnd ? handle.tokenizer.eotId : undefined,
    candidatesPerStep: 5,
  });
  const ids = withoutBrokenTail(handle, g.ids);
  return {
    prompt,
    text: handle.tokenizer.decode(ids),
    ids,
    steps: g.steps,
    stoppedBy: g.stoppedBy,
    unknown: encoded.unknown,
    options: o,
  };
}

/**
 * Generation can stop in the middle of a character that takes several byte tokens (Japanese
 * takes three): drop up to three trailing tokens when they only make a broken character (�).
 */
function withoutBrokenTail(handle: ModelHandle, ids: number[]): number[] {
  if (!handle.tokenizer.decode(ids).endsWith("\uFFFD")) return ids;
  for (let cut = 1; cut <= Math.min(3, ids.length); cut++) {
    const shorter = ids.slice(0, ids.length - cut);
    if (!handle.tokenizer.decode(shorter).endsWith("\uFFFD")) return shorter;
  }
  return ids;
}
