/**
 * Chat as next-message prediction. The conversation so far becomes a prompt in the form the
 * model learned a question and its answer (src/app/chat-prompt.ts):
 *
 *   [eot] earlier messages … \n Q: the message we answer \n A:
 *
 * and whatever the model writes next, up to its next end-of-text or new line, is its reply.
 * Generation runs step by step, giving the event loop back between tokens: a 60-token reply of
 * the baby model takes seconds in total but never blocks the bot for more than one forward pass.
 */
import { decodeWholeCharacters, labelAfter } from "../tokenizer/pieces.ts";
import { setImmediate as nextTurn } from "node:timers/promises";
import type { ModelHandle } from "./model-handle.ts";
import { type GenerationStep, generateSteps } from "../sample/generate.ts";
import type { GeneratedText } from "./generate-text.ts";
import { DEFAULT_SAMPLING, type SamplingSettings } from "../sample/sampling.ts";
import { promptAsQuestion } from "./chat-prompt.ts";

export const CHAT_MAX_TOKENS = 60;

/** The token ids of a conversation (oldest message first), cut to the model's context. */
export function chatPromptIds(handle: ModelHandle, messages: readonly string[]): number[] {
  return promptAsQuestion(handle, messages);
}

export interface ChatGenerateOptions {
  maxTokens?: number;
  seed: number;
  sampling?: SamplingSettings;
}

export interface ChatReply {
  text: string;
  /** every step that made the reply: context, top candidates, chosen token */
  steps: GenerationStep[];
}

/** The model's next message after the prompt (until end-of-text or maxTokens), yielding between steps. */
export async function generateChatReply(handle: ModelHandle, promptIds: readonly number[], o: ChatGenerateOptions): Promise<ChatReply> {
  const ids: number[] = [];
  const kept: GenerationStep[] = [];
  const steps = generateSteps(handle.source, promptIds, {
    ...(o.sampling ?? DEFAULT_SAMPLING),
    maxTokens: o.maxTokens ?? CHAT_MAX_TOKENS,
    seed: o.seed,
    repetitionWindow: 64,
    stopToken: handle.tokenizer.eotId,
    candidatesPerStep: 3,
  });
  for (const step of steps) {
    if (step.chosen === handle.tokenizer.eotId) break;
    // an answer of the corpus is one line: a new line after some text starts something else
    if (endsTheAnswer(handle, ids, step.chosen)) break;
    ids.push(step.chosen);
    kept.push(step);
    await nextTurn();
  }
  return { text: decodeWholeCharacters(handle.tokenizer, ids).trim(), steps: kept };
}

/** Whether token `id` begins a new line after reply `ids` that already hold some text. */
function endsTheAnswer(handle: ModelHandle, ids: readonly number[], id: number): boolean {
  return handle.tokenizer.decode([id]).includes("\n") && handle.tokenizer.decode(ids).trim().length > 0;
}

/**
 * Explain mode: under a chat reply, each generated token with the model's top alternatives,
 * e.g. `今日 (81%) · 日 4% · 今 1%`, as many lines as fit in `budget` characters.
 */
export function chatBreakdown(handle: ModelHandle, steps: readonly GenerationStep[], budget: number): string {
  // JSON-style escapes make spaces and newlines visible; backticks could close the code block
  const show = (id: number, before: readonly number[]) =>
    JSON.stringify(labelAfter(handle.tokenizer, before, id).label)
      .slice(1, -1)
      .replace(/`/g, "ˋ");
  const pct = (p: number) => `${(p * 100).toFixed(p < 0.1 ? 1 : 0)}%`;
  const lines: string[] = [];
  let used = 0;
  for (const [i, step] of steps.entries()) {
    const before = steps.slice(Math.max(0, i - 3), i).map((s) => s.chosen);
    const chosenProb = step.candidates.find((c) => c.id === step.chosen)?.prob ?? step.chosenProb;
    const others = step.candidates
      .filter((c) => c.id !== step.chosen)
      .slice(0, 2)
      .map((c) => `${show(c.id, before)} ${pct(c.prob)}`);
    const line = [`${show(step.chosen, before)} (${pct(chosenProb)})`, ...others].join(" · ");
    if (used + line.length + 1 > budget) {
      lines.push(`… ${steps.length - lines.length} more`);
      break;
    }
    lines.push(line);
    used += line.length + 1;
  }
  return lines.join("\n");
}

/** The reply's steps in the shape the generation-trace picture takes. */
export function chatAsGeneration(prompt: string, reply: ChatReply): GeneratedText {
  return {
    prompt,
    text: reply.text,
    ids: reply.steps.map((s) => s.chosen),
    steps: reply.steps,
    stoppedBy: "stopToken",
    unknown: 0,
    options: { ...DEFAULT_SAMPLING, maxTokens: CHAT_MAX_TOKENS, seed: 0, stopAtEnd: true },
  };
}
