/**
 * The text a model learned from, as the neuron index reads it and as /neurons shows it back:
 *
 *   shipped model        the shipped corpus (data/corpus), one document per paragraph
 *   a space's own model  the space's stored messages written before the model was made (a
 *                        Discord server's collected messages; the playground's training texts)
 *   an imported model    none known: /neurons shows the neurons without contexts
 *
 * A context is shown from the text as it is *now*: a message forgotten (/forget-me), expired or
 * deleted on Discord is not there any more, and an edited one no longer has the hash the index
 * saw, so neither is shown. Contexts are short (under the verbatim rule's MIN_RUN characters)
 * and name no author.
 */
import { splitDocuments, readCorpus, SHIPPED_CORPUS_DIR } from "./corpus.ts";
import type { IndexDocument, NeuronContext } from "./neuron-index.ts";
import { textHash } from "./neuron-index.ts";
import type { ModelHandle } from "./model-handle.ts";
import { identityOf } from "./model-identity.ts";
import type { StoredMessage } from "../store/messages.ts";
import { MIN_RUN } from "./verbatim.ts";
import { bytesOfToken } from "../tokenizer/pieces.ts";

export type NeuronTextKind = "corpus" | "messages";

export interface NeuronTexts {
  kind: NeuronTextKind;
  /** every document as it is now, sorted by ref (the index reads them in this order) */
  documents(): Promise<IndexDocument[]>;
}

/** The texts as they were read for one request: what its contexts are shown from. */
export interface TextsNow {
  kind: NeuronTextKind;
  /** the text of a ref now, or null when it is gone */
  text(ref: string): string | null;
}

/** The documents just read, by ref (the map is built when first asked). */
export function textsNow(kind: NeuronTextKind, documents: readonly IndexDocument[]): TextsNow {
  let byRef: Map<string, string> | null = null;
  return {
    kind,
    text(ref) {
      byRef ??= new Map(documents.map((d) => [d.ref, d.text]));
      return byRef.get(ref) ?? null;
    },
  };
}

/** The shipped corpus' paragraphs; refs are their numbers, zero-padded so they sort. Read once per folder and process. */
export function corpusTexts(dir: string = SHIPPED_CORPUS_DIR): NeuronTexts {
  let texts = corpora.get(dir);
  if (!texts) {
    let docs: IndexDocument[] | null = null;
    const all = () => {
      docs ??= splitDocuments(readCorpus(dir)).map((text, i) => ({ ref: String(i).padStart(8, "0"), text }));
      return docs;
    };
    texts = { kind: "corpus", documents: async () => all() };
    corpora.set(dir, texts);
  }
  return texts;
}
const corpora = new Map<string, NeuronTexts>();

export interface MessageReader {
  messages: { writtenBefore(guildId: string, time: number): Promise<StoredMessage[]> };
}

/** A space's stored messages written at or before `time`; refs are message ids. */
export function messageTexts(store: MessageReader, space: string, time: number): NeuronTexts {
  return {
    kind: "messages",
    documents: async () =>
      (await store.messages.writtenBefore(space, time))
        .map((m) => ({ ref: m.id, text: m.text }))
        .sort((a, b) => (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0)),
  };
}

/** The store's space of the shipped model's index: one for every space (its text is the same everywhere). */
export const SHIPPED_INDEX_SPACE = "shipped";

/** Which index a model has in a space (null: no training text known): where it is stored, its key, the stored model it belongs to, its texts. */
export interface IndexTarget {
  space: string;
  key: string;
  modelId: number | null;
  texts: NeuronTexts;
}

export function indexTargetOf(handle: ModelHandle, space: string, store: MessageReader | null, corpusDir?: string): IndexTarget | null {
  const identity = identityOf(handle);
  const made = handle.meta.createdAt ?? "";
  switch (identity.kind) {
    case "shipped":
      // a new shipped checkpoint is a new model: its own index
      return { space: SHIPPED_INDEX_SPACE, key: `shipped@${made}`, modelId: null, texts: corpusTexts(corpusDir) };
    case "server":
    case "trained-here": {
      if (!store) return null;
      const time = Date.parse(made);
      return {
        space,
        key: `stored:${identity.id}`,
        modelId: Number(identity.id),
        texts: messageTexts(store, space, Number.isFinite(time) ? time : Number.MAX_SAFE_INTEGER),
      };
    }
    case "imported":
      return null;
  }
}

/** A context as a reply shows it: a few tokens before, the token where the neuron fired, a few after. */
export interface ShownContext {
  before: string;
  token: string;
  after: string;
  value: number;
}

/** Characters shown before and after the token that fired. */
const BEFORE_CHARS = 16;
const AFTER_CHARS = 8;
/** A context stays well under the verbatim rule's run length. */
export const MAX_CONTEXT_CHARS = Math.floor(MIN_RUN * 0.75);

/**
 * The contexts still shown: each text read now, skipped when gone or changed, and cut around
 * the token that fired:
 *   1. the token's byte range in the text's UTF-8 (the bytes of the tokens before it, then its own);
 *   2. widened to whole characters (a byte piece of 猫 shows 猫);
 *   3. up to BEFORE_CHARS before and AFTER_CHARS after, all within MAX_CONTEXT_CHARS code points.
 */
export function showContexts(handle: ModelHandle, texts: TextsNow, contexts: readonly NeuronContext[], limit: number): ShownContext[] {
  const t = handle.tokenizer;
  const shown: ShownContext[] = [];
  for (const c of contexts) {
    if (shown.length === limit) break;
    const now = texts.text(c.ref);
    if (now === null || textHash(now) !== c.hash) continue;
    const ids = [t.eotId, ...t.encode(now).ids];
    if (c.position >= ids.length) continue;
    // 1. byte range (the end-of-text token at 0 has no bytes)
    const bytes = Buffer.from(now, "utf8");
    const length = (id: number) => (id === t.eotId ? 0 : bytesOfToken(t, id).length);
    let start = 0;
    for (let i = 1; i < c.position; i++) start += length(ids[i]);
    let end = c.position === 0 ? 0 : start + length(ids[c.position]);
    // 2. whole characters: no range starts or ends on a continuation byte (10xxxxxx)
    const continuation = (i: number) => i < bytes.length && (bytes[i] & 0xc0) === 0x80;
    while (start > 0 && continuation(start)) start--;
    while (continuation(end)) end++;
    const token = bytes.subarray(start, end).toString("utf8");
    // 3. the sides, trimmed to fit
    const room = Math.max(0, MAX_CONTEXT_CHARS - [...token].length);
    const after = [...bytes.subarray(end).toString("utf8")].slice(0, Math.min(AFTER_CHARS, Math.floor(room / 3)));
    const keepBefore = Math.max(0, Math.min(BEFORE_CHARS, room - after.length));
    const beforeChars = [...bytes.subarray(0, start).toString("utf8")];
    const before = beforeChars.slice(Math.max(0, beforeChars.length - keepBefore));
    // one line: line breaks as ↵ (as replies quote a text)
    const oneLine = (chars: string) => chars.replace(/\r?\n/g, "↵");
    shown.push({
      before: oneLine(keepBefore > 0 ? before.join("") : ""),
      token: oneLine(token),
      after: oneLine(after.join("")),
      value: c.value,
    });
  }
  return shown;
}
