/**
 * Writing text = predicting the next token, again and again:
 *
 *   1. feed the context window: all tokens while they fit in `blockSize`; once they no longer
 *      fit, the window jumps forward to keep the most recent half block (then grows again).
 *      Jumping by half a block, not one token, lets a KV cache keep its keys and values for
 *      half a block of steps (positions stay put) — and both paths see the same windows.
 *   2. take the logits at the last position
 *   3. choose a token (sampling.ts), append it, repeat
 *   4. stop after maxTokens, or at the end-of-text token
 *
 * Each step can be observed (context, candidates with probabilities, chosen token),
 * which the generation-trace picture and the explanatory mode draw.
 */
import type { GPT } from "../model/gpt.ts";
import { seededRandom } from "../tensor/random.ts";
import {
  type Candidate,
  type SamplingSettings,
  filteredProbabilities,
  penaliseRepeats,
  pickByCumulative,
  topCandidates,
  validateSampling,
} from "./sampling.ts";

/** Anything that can give next-token logits for a context (the plain model, or a KV-cached one). */
export interface LogitSource {
  blockSize: number;
  vocabSize: number;
  /** logits [V] for the token after `context` (context.length ≤ blockSize) */
  nextLogits(context: Int32Array): Float32Array;
}

/** The plain model as a LogitSource: a full forward pass over the context each time. */
export function modelLogitSource(model: GPT): LogitSource {
  const { blockSize, vocabSize: V } = model.config;
  return {
    blockSize,
    vocabSize: V,
    nextLogits(context) {
      const T = context.length;
      const { logits } = model.forward(context, 1, T);
      return Float32Array.from(logits.subarray((T - 1) * V, T * V));
    },
  };
}

export interface GenerateOptions extends SamplingSettings {
  /** how many tokens to add at most */
  maxTokens: number;
  /** the same seed repeats the same text */
  seed: number;
  /** how many recent tokens the repetition penalty looks at */
  repetitionWindow: number;
  /** stop when this token is chosen (not included in the output); undefined = never */
  stopToken?: number;
  /** candidates recorded per step */
  candidatesPerStep: number;
}

export interface GenerationStep {
  /** the tokens the model saw for this step (the current window) */
  context: number[];
  /** the most likely tokens at this step, probabilities after temperature */
  candidates: Candidate[];
  /** the token chosen */
  chosen: number;
  /** its probability after temperature, top-k and top-p */
  chosenProb: number;
}

export interface Generation {
  /** only the new tokens */
  ids: number[];
  steps: GenerationStep[];
  stoppedBy: "maxTokens" | "stopToken";
}

/** Step by step: yields every step as it is decided. */
export function* generateSteps(source: LogitSource, prompt: ArrayLike<number>, o: GenerateOptions): Generator<GenerationStep> {
  validateSampling(o);
  if (prompt.length === 0) throw new Error("the prompt has no tokens: give at least one");
  if (!Number.isInteger(o.maxTokens) || o.maxTokens < 0) throw new Error(`maxTokens must be a whole number ≥ 0, got ${o.maxTokens}`);
  const rng = seededRandom(o.seed);
  const all = Array.from(prompt);
  const keep = Math.ceil(source.blockSize / 2);
  let windowStart = Math.max(0, all.length - source.blockSize);
  for (let n = 0; n < o.maxTokens; n++) {
    // 1. the window: jump forward by half a block when the tokens no longer fit
    if (all.length - windowStart > source.blockSize) windowStart = all.length - keep;
    const context = all.slice(windowStart);
    // 2. logits for the next token
    const logits = source.nextLogits(Int32Array.from(context));
    // 3. penalise repeats, filter, pick with one random number
    const recent = all.slice(Math.max(0, all.length - o.repetitionWindow));
    const probs = filteredProbabilities(penaliseRepeats(logits, recent, o.repetitionPenalty), o);
    const chosen = pickByCumulative(probs, rng.next());
    const candidates = topCandidates(logits, o.candidatesPerStep, o.temperature);
    yield { context, candidates, chosen, chosenProb: probs[chosen] };
    if (chosen === o.stopToken) return;
    all.push(chosen);
  }
}

/** Runs generateSteps to the end. */
export function generate(source: LogitSource, prompt: ArrayLike<number>, o: GenerateOptions): Generation {
  const steps: GenerationStep[] = [];
  for (const step of generateSteps(source, prompt, o)) steps.push(step);
  const last = steps[steps.length - 1];
  const stoppedByToken = last !== undefined && last.chosen === o.stopToken;
  const ids = steps.map((s) => s.chosen);
  if (stoppedByToken) ids.pop();
  return { ids, steps, stoppedBy: stoppedByToken ? "stopToken" : "maxTokens" };
}
