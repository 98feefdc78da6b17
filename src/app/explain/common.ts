/**
 * Shared pieces of the explanations: what a topic computes and draws, the sentence a topic
 * works on, and the one forward pass most topics start with.
 */
import type { ModelHandle } from "../model-handle.ts";
import type { ExplainTexts, FactsOf, PictureWordsOf } from "../../explain/facts.ts";
import type { ExplainLang, TopicName } from "../../explain/topics.ts";
import type { Redactor } from "../redaction.ts";
import type { LoadedSources } from "../sources.ts";
import type { IndexStatus } from "../neuron-indexer.ts";
import { identityOf, modelName } from "../model-identity.ts";

export interface ExplanationPicture {
  /** file name, e.g. "derivative.png" */
  name: string;
  png: Uint8Array;
}

/** What a topic needs from the caller. */
export interface TopicInput {
  handle: ModelHandle;
  lang: ExplainLang;
  texts: ExplainTexts;
  /** the user's text, or undefined for the topic's default */
  text: string | undefined;
  /** what the model writes passes through it (null: nothing stored to protect) */
  redactor: Redactor | null;
  /** the space's stored training messages `sources` searches (absent or null: nothing stored here) */
  sources?: LoadedSources | null;
  /** the space's neuron index for a model (`neurons`; absent: none known here) */
  neuronIndex?: (handle: ModelHandle) => IndexStatus;
}

/**
 * A topic's work: `facts` are computed synchronously from the model (nothing else can touch
 * it meanwhile); `render` draws the pictures later from copied numbers only.
 */
export interface TopicRun<K extends TopicName> {
  facts: FactsOf[K];
  render(words: PictureWordsOf[K]): Promise<ExplanationPicture[]>;
}

export type TopicComputer<K extends TopicName> = (input: TopicInput) => TopicRun<K>;

/** The user's text if it has any non-blank character, else the fallback. */
export function textOr(text: string | undefined, fallback: string): string {
  return text !== undefined && text.trim().length > 0 ? text : fallback;
}

export interface Window {
  /** [eot, …tokens] cut to blockSize + 1 */
  ids: number[];
  /** inputs ids[0..T) and targets ids[1..T] */
  x: Int32Array;
  y: Int32Array;
  T: number;
  /** tokens of the text after the window, not used */
  dropped: number;
  unknown: number;
  /** the text the window holds (all of it unless tokens were dropped) */
  text: string;
}

/**
 * A text as training-style input and targets: the model reads [eot, t1, …] and at each
 * position should predict the next token; the start of the text is kept when it is too long.
 */
export function textWindow(handle: ModelHandle, text: string, maxTokens = Infinity): Window {
  const { ids, unknown } = handle.tokenizer.encode(text);
  const all = [handle.tokenizer.eotId, ...ids];
  const kept = all.slice(0, Math.min(handle.model.config.blockSize, maxTokens) + 1);
  const T = kept.length - 1;
  const dropped = all.length - kept.length;
  return {
    ids: kept,
    x: Int32Array.from(kept.slice(0, T)),
    y: Int32Array.from(kept.slice(1)),
    T,
    dropped,
    unknown,
    // a cut through a character leaves a partial byte sequence: drop its replacement mark
    text: dropped > 0 ? handle.tokenizer.decode(kept.slice(1)).replace(/\uFFFD+$/, "") : text,
  };
}

/**
 * Tokens of the text used by the topics that run many passes over it (derivative, the loss
 * slice): their cost grows with the text, and a sentence shows the idea as well as a page.
 */
export const MANY_PASSES_TOKENS = 32;

/** Median of some numbers (timings). */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The first `n` numbers of a buffer as plain numbers. */
export function firstNumbers(values: ArrayLike<number>, start: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => values[start + i]);
}

/** The model's name as the pictures write it, in the reader's language ("既定のモデル", "your model #2"). */
export function pictureModelName(handle: ModelHandle, lang: ExplainLang): string {
  return modelName(identityOf(handle), lang);
}
