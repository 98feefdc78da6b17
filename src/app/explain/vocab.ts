/** `tokens` (the text cut into this model's tokens) and `embeddings` (tokens as vectors). */
import { FIRST_MERGE_ID } from "../../tokenizer/bpe-ids.ts";
import { CharBpeTokenizer } from "../../tokenizer/char-bpe.ts";
import { nearestByCosine } from "../../render/project.ts";
import type { EmbeddingsFacts, TokensFacts } from "../../explain/facts.ts";
import { lookUpToken } from "../embedding-lookup.ts";
import type { ModelHandle } from "../model-handle.ts";
import { embeddingsPicture, tokensPicture } from "../pictures.ts";
import { firstNumbers, textOr, type TopicComputer } from "./common.ts";

/** Neighbours listed: as many as the embeddings picture's side panel shows. */
const NEIGHBOURS = 8;

export const explainTokens: TopicComputer<"tokens"> = ({ handle, lang, texts, text }) => {
  const sentence = textOr(text, texts.defaults.sentence);
  const t = handle.tokenizer;
  const C = handle.model.config.nEmbd;
  const { ids, unknown } = t.encode(sentence);
  const wte = handle.model.views.wte;
  const facts: TokensFacts = {
    text: sentence,
    kind: t.kind,
    vocabSize: t.vocabSize,
    chars: [...sentence].length,
    tokens: ids.length,
    merges: t instanceof CharBpeTokenizer ? t.vocabSize - t.firstMergeId : t.kind === "bpe" ? t.vocabSize - FIRST_MERGE_ID : null,
    unknown,
    first: ids.length > 0 ? { token: t.tokenText(ids[0]), id: ids[0], vector: firstNumbers(wte, ids[0] * C, 4) } : null,
    C,
    pieces: ids.slice(0, 12).map((id) => ({ token: t.tokenText(id), id })),
  };
  return {
    facts,
    async render() {
      return [{ name: "tokens.png", png: await tokensPicture(handle, sentence, lang) }];
    },
  };
};

/** The word whose neighbours are shown: the user's text, else the first default that is one token. */
export function embeddingsQuery(handle: ModelHandle, text: string | undefined, defaults: readonly string[]): string {
  if (text !== undefined && text.trim().length > 0) return text;
  return defaults.find((word) => handle.tokenizer.encode(word).ids.length === 1) ?? defaults[0];
}

export const explainEmbeddings: TopicComputer<"embeddings"> = ({ handle, lang, texts, text }) => {
  const query = embeddingsQuery(handle, text, texts.defaults.queries);
  const { vocabSize: V, nEmbd: C } = handle.model.config;
  // which token: the text's own, the word with its leading space, or the first of several
  const lookup = lookUpToken(handle.tokenizer, query);
  const queryId = lookup.id;
  const wte = Float32Array.from(handle.model.views.wte);
  const neighbours = nearestByCosine(wte, V, C, queryId, NEIGHBOURS).map((n) => ({
    token: handle.tokenizer.tokenText(n.index),
    cosine: n.cosine,
  }));
  const facts: EmbeddingsFacts = {
    lookup,
    query: lookup.label,
    queryId,
    C,
    vector: firstNumbers(wte, queryId * C, 5),
    neighbours,
    vocabSize: V,
  };
  return {
    facts,
    async render() {
      return [{ name: "embeddings.png", png: await embeddingsPicture(handle, lang, query) }];
    },
  };
};
