/**
 * The prompt a chat reply continues, as token ids.
 *
 * How the models learned text (src/app/corpus.ts, train-model.ts): each document (a paragraph of
 * the shipped corpus, one message of a server's history) comes after an end-of-text token, and
 * the documents are shuffled before training. So what follows an end-of-text token is any
 * document at all: the model never saw a document that answers the one before it, and after
 * `… message [eot]` it starts a random one, in whichever language its corpus has most of.
 * Inside one document, on the other hand, every sentence follows the one before it, in the same
 * language: that is the continuity the model has learned.
 *
 * So the conversation is written as one document, the way its sentences appear in the corpus:
 *
 *   [eot] message 1 ␣ message 2 ␣ … the message we answer ␣
 *
 * where ␣ is how the corpus joins two sentences: a space after Latin text, nothing after
 * Japanese text (its paragraphs join wrapped lines without a space between Japanese
 * characters). The reply is what the model writes next, up to its end-of-text.
 *
 * `promptAfterEndOfText` is the earlier form ([eot] m1 [eot] m2 … [eot] m [eot]), kept for the
 * measurement in scripts/chat-language-eval.ts.
 */
import type { ModelHandle } from "./model-handle.ts";

/** A character of Japanese script: kana, kanji, Japanese punctuation, full-width forms. */
const JAPANESE = /[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]/u;

/** Step 1 of joining: the separator the corpus puts after `text` before the next sentence. */
export function sentenceGap(text: string): string {
  const last = [...text.trimEnd()].at(-1);
  return last !== undefined && JAPANESE.test(last) ? "" : " ";
}

/** The conversation as one document: messages trimmed, each followed by its sentence gap. */
export function conversationAsDocument(messages: readonly string[]): string {
  return messages
    .map((m) => m.replace(/\s+/g, " ").trim())
    .filter((m) => m.length > 0)
    .map((m) => m + sentenceGap(m))
    .join("");
}

/** Keeps the newest `blockSize` ids (the model's context). */
function lastWindow(handle: ModelHandle, ids: number[]): number[] {
  return ids.slice(Math.max(0, ids.length - handle.model.config.blockSize));
}

/** [eot] + the conversation as one document (see the header), cut to the model's context. */
export function promptAsOneDocument(handle: ModelHandle, messages: readonly string[]): number[] {
  const t = handle.tokenizer;
  return lastWindow(handle, [t.eotId, ...t.encode(conversationAsDocument(messages)).ids]);
}

/** A question-and-answer pair as the corpus writes it (Q：…\nA：… in Japanese, Q: …\nA: … in English). */
export function questionAndAnswerOpening(message: string): string {
  const text = message.replace(/\s+/g, " ").trim();
  // no space after "A:": the corpus' splitter puts it at the start of the answer's first word
  return (japaneseShare(text) ?? 0) > 0.5 ? `Q：${text}\nA：` : `Q: ${text}\nA:`;
}

/** [eot] + earlier messages as one document's sentences + the last one as a question to answer. */
export function promptAsQuestion(handle: ModelHandle, messages: readonly string[]): number[] {
  const t = handle.tokenizer;
  const earlier = conversationAsDocument(messages.slice(0, -1));
  const opening = questionAndAnswerOpening(messages.at(-1) ?? "");
  return lastWindow(handle, [t.eotId, ...t.encode(earlier.length > 0 ? `${earlier.trimEnd()}\n${opening}` : opening).ids]);
}

/** The earlier form: [eot] m1 [eot] m2 … [eot] m [eot], cut to the model's context. */
export function promptAfterEndOfText(handle: ModelHandle, messages: readonly string[]): number[] {
  const eot = handle.tokenizer.eotId;
  const ids: number[] = [];
  for (const text of messages) ids.push(eot, ...handle.tokenizer.encode(text).ids);
  ids.push(eot);
  return lastWindow(handle, ids);
}

/** Share of a text's letters that are Japanese script (kana, kanji) rather than Latin; null without letters. */
export function japaneseShare(text: string): number | null {
  let japanese = 0;
  let latin = 0;
  for (const ch of text) {
    if (/[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/u.test(ch)) japanese++;
    else if (/[A-Za-z\u00c0-\u024f]/u.test(ch)) latin++;
  }
  return japanese + latin === 0 ? null : japanese / (japanese + latin);
}
