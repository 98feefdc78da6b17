/**
 * The pictures every adapter posts, from the use cases' results: the console, the bot and the
 * web playground call these, so a picture made anywhere is the same picture.
 */
import { tokenPieces } from "../tokenizer/pieces.ts";
import { renderPredictions } from "../render/predictions.ts";
import { renderGenerationTrace } from "../render/trace.ts";
import { renderTokens } from "../render/tokens.ts";
import { type LossCurveInput, renderLossCurve } from "../render/loss.ts";
import { renderEmbeddings } from "../render/embeddings.ts";
import { renderModelCard } from "../render/modelcard.ts";
import { nearestByCosine, pca2 } from "../render/project.ts";
import type { Lang } from "../render/lang.ts";
import type { ModelHandle } from "./model-handle.ts";
import type { PredictResult } from "./predict.ts";
import type { ModelInfo } from "./model-info.ts";
import { checkText } from "./prompt.ts";
import { defaultOf } from "./catalogue/index.ts";
import type { ShownGeneration } from "./redaction.ts";
import { lookUpToken } from "./embedding-lookup.ts";
import { tokenLookupSentence } from "../explain/token-lookup.ts";
import { visibleToken } from "../render/text.ts";

/** The font files of every picture (regular, bold): pages that show the pictures can use them too. */
export { fontPaths as pictureFontFiles } from "../render/fonts.ts";

export function predictPicture(result: PredictResult, lang: Lang, modelName: string): Promise<Uint8Array> {
  return renderPredictions({
    context: result.text,
    candidates: result.candidates.map((c) => ({ token: c.token, prob: c.prob })),
    temperature: result.temperature,
    modelName,
    lang,
  });
}

/** The trace picture has one row per step; the catalogue says how many fit (src/render/trace.ts draws them). */
export { MAX_TRACE_TOKENS } from "./catalogue/commands.ts";
export const DEFAULT_TRACE_TOKENS: number = defaultOf("trace", "tokens");

/**
 * Each generation step: the text so far, the top candidates, and the token chosen — as
 * redactGeneration (src/app/redaction.ts) shows them, so the picture cuts what the text cuts.
 */
export function tracePicture(handle: ModelHandle, shown: Pick<ShownGeneration, "shownSteps">, lang: Lang): Promise<Uint8Array> {
  const steps = shown.shownSteps.map((s) => ({ context: s.context, candidates: s.candidates, chosen: s.chosen }));
  return renderGenerationTrace({ steps, modelName: handle.name, lang });
}

export function tokensPicture(handle: ModelHandle, text: string, lang: Lang): Promise<Uint8Array> {
  checkText(text, false);
  const { ids } = handle.tokenizer.encode(text);
  return renderTokens({
    text,
    tokens: tokenPieces(handle.tokenizer, ids).map((p) => ({ id: p.id, text: p.label })),
    modelName: handle.name,
    lang,
    vocabSize: handle.tokenizer.vocabSize,
  });
}

export function lossPicture(info: ModelInfo, lang: Lang): Promise<Uint8Array> {
  return renderLossCurve(lossCurveOf(info, lang));
}

/** What lossPicture draws: the model's curve, with its kept checkpoint marked by the val loss its card shows. */
export function lossCurveOf(info: ModelInfo, lang: Lang): LossCurveInput {
  return {
    points: info.curve,
    totalSteps: info.totalSteps ?? undefined,
    ...(info.valLoss !== null && { kept: { step: info.step, valLoss: info.valLoss } }),
    modelName: info.name,
    lang,
  };
}

/**
 * The token embeddings projected to 2-D (PCA), labelled for the `count` most frequent tokens,
 * and the nearest neighbours by cosine of the token `query` looks up (embedding-lookup.ts: the
 * text's token, the word with its leading space, or the first of several), with a sentence
 * saying which one that is, and the piece legend when it is a byte piece.
 */
export function embeddingsPicture(handle: ModelHandle, lang: Lang, query?: string, count = 120): Promise<Uint8Array> {
  const { vocabSize: V, nEmbd: C } = handle.model.config;
  const wte = handle.model.views.wte as Float32Array;
  // each token alone, a byte piece marked as such (<e8>…) rather than shown as a bare byte
  const labels = Array.from({ length: V }, (_, id) => tokenPieces(handle.tokenizer, [id])[0].label);
  const { x, y } = pca2(wte, V, C);
  const lookup = query ? lookUpToken(handle.tokenizer, query) : undefined;
  const queryId = lookup?.id;
  if (lookup) labels[lookup.id] = lookup.label;
  // label the most frequent tokens of the training text (recorded in the checkpoint), else the first ids
  const extra = (handle.meta.extra ?? {}) as { frequentTokens?: number[] };
  const candidates = Array.isArray(extra.frequentTokens) ? extra.frequentTokens : Array.from({ length: V }, (_, id) => id);
  const shown = new Set<number>();
  for (const id of candidates) {
    if (shown.size >= count) break;
    if (Number.isInteger(id) && id >= 0 && id < V && id !== handle.tokenizer.eotId && labels[id].trim() !== "") shown.add(id);
  }
  if (queryId !== undefined) shown.add(queryId);
  const points = [...shown].map((id) => ({ label: labels[id], x: x[id], y: y[id], highlight: id === queryId }));
  const neighbours =
    lookup === undefined
      ? undefined
      : {
          query: lookup.label,
          items: nearestByCosine(wte, V, C, lookup.id, 8).map((n) => ({ label: labels[n.index], cosine: n.cosine })),
          notes: [tokenLookupSentence(lookup, lang, visibleToken)],
        };
  return renderEmbeddings({ points, neighbours, modelName: handle.name, lang });
}

/** The architecture as stacked blocks with the parameter count of each part. */
export function modelCardPicture(info: ModelInfo, lang: Lang): Promise<Uint8Array> {
  return renderModelCard({
    config: info.config,
    counts: info.params,
    modelName: info.name,
    lang,
    stats: { step: info.step, valLoss: info.valLoss ?? undefined, tokenizer: `${info.tokenizer.kind} · ${info.tokenizer.vocabSize}` },
  });
}
