/**
 * Turning what a user typed into the model's input. Every message the model learned from
 * starts after an end-of-text token, so a prompt starts with one too: the model then knows
 * "a new message begins here", and even an empty prompt has a context.
 */
import { tokenPieces } from "../tokenizer/pieces.ts";
import type { ModelHandle } from "./model-handle.ts";

/** Longest text any command accepts (Discord's own message limit is 2000; option values 6000). */
export const MAX_INPUT_CHARS = 6000;

export interface Prompt {
  /** token ids fed to the model: [eot, ...text], cut to the last blockSize tokens */
  ids: number[];
  /** how many characters the tokenizer did not know (shown as an unknown token) */
  unknown: number;
  /** how many tokens were dropped from the start to fit the block size */
  dropped: number;
}

/** A problem with what the user gave: `code` picks the translated sentence, `values` fill it in. */
export class InputError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly values: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** Checks a user's text: not over the limit. Empty text is allowed where `allowEmpty`. */
export function checkText(text: unknown, allowEmpty: boolean): string {
  if (typeof text !== "string") throw new InputError(`the text must be a string, got ${typeof text}`, "not-text", { type: typeof text });
  if (text.length > MAX_INPUT_CHARS) {
    throw new InputError(`the text has ${text.length} characters, the limit is ${MAX_INPUT_CHARS}`, "too-long", {
      length: text.length,
      limit: MAX_INPUT_CHARS,
    });
  }
  if (!allowEmpty && text.trim().length === 0) throw new InputError("the text is empty", "empty");
  return text;
}

export function encodePrompt(handle: ModelHandle, text: string): Prompt {
  const { ids, unknown } = handle.tokenizer.encode(text);
  const all = [handle.tokenizer.eotId, ...ids];
  const limit = handle.model.config.blockSize;
  const dropped = Math.max(0, all.length - limit);
  return { ids: all.slice(dropped), unknown, dropped };
}

/** What every result about a prompt says of its input: the text, its ids and their labels, what was unknown or dropped. */
export interface PromptFacts {
  text: string;
  inputIds: number[];
  inputTokens: string[];
  unknown: number;
  dropped: number;
}

export function promptFacts(handle: ModelHandle, text: string, prompt: Prompt): PromptFacts {
  return { text, inputIds: prompt.ids, inputTokens: tokenLabels(handle, prompt.ids), unknown: prompt.unknown, dropped: prompt.dropped };
}

/** Readable token strings for pictures: the special token by name, a piece of a character as `猫 1/3`. */
export function tokenLabels(handle: ModelHandle, ids: readonly number[]): string[] {
  return tokenPieces(handle.tokenizer, ids).map((p) => p.label);
}
