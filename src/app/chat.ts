/**
 * Chat as next-message prediction. The model learned a channel as messages each starting after
 * an end-of-text token, so the conversation so far becomes
 *
 *   [eot] message 1 [eot] message 2 … [eot] the message we answer [eot]
 *
 * and whatever the model writes next, up to its next end-of-text, is its reply.
 * Generation runs step by step, giving the event loop back between tokens: a 60-token reply of
 * the baby model takes seconds in total but never blocks the bot for more than one forward pass.
 */
import { setImmediate as nextTurn } from "node:timers/promises";
import type { ModelHandle } from "./model-handle.ts";
import { generateSteps } from "../sample/generate.ts";
import { DEFAULT_SAMPLING, type SamplingSettings } from "../sample/sampling.ts";

export const CHAT_MAX_TOKENS = 60;

/** The token ids of a conversation (oldest message first), cut to the model's context. */
export function chatPromptIds(handle: ModelHandle, messages: readonly string[]): number[] {
  const eot = handle.tokenizer.eotId;
  const ids: number[] = [];
  for (const text of messages) ids.push(eot, ...handle.tokenizer.encode(text).ids);
  ids.push(eot);
  return ids.slice(Math.max(0, ids.length - handle.model.config.blockSize));
}

export interface ChatGenerateOptions {
  maxTokens?: number;
  seed: number;
  sampling?: SamplingSettings;
}

/** The model's next message after the prompt (until end-of-text or maxTokens), yielding between steps. */
export async function generateChatReply(handle: ModelHandle, promptIds: readonly number[], o: ChatGenerateOptions): Promise<string> {
  const ids: number[] = [];
  const steps = generateSteps(handle.source, promptIds, {
    ...(o.sampling ?? DEFAULT_SAMPLING),
    maxTokens: o.maxTokens ?? CHAT_MAX_TOKENS,
    seed: o.seed,
    repetitionWindow: 64,
    stopToken: handle.tokenizer.eotId,
    candidatesPerStep: 1,
  });
  for (const step of steps) {
    if (step.chosen === handle.tokenizer.eotId) break;
    ids.push(step.chosen);
    await nextTurn();
  }
  return handle.tokenizer.decode(ids);
}
