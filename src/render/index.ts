/**
 * The pictures: plain numbers and strings in, PNG bytes out. Nothing here knows the model;
 * callers (src/app) pass what the model computed. Empty inputs give a "nothing to show"
 * picture; inconsistent inputs (e.g. weights that do not match the tokens) throw a
 * RangeError that names the numbers.
 */
export {
  renderAttentionHead,
  renderAttentionGrid,
  attentionHeadLayout,
  attentionGridLayout,
  attentionHeadCellCentre,
} from "./attention.ts";
export type { AttentionHeadInput, AttentionGridInput, AttentionHeadLayout, AttentionGridLayout, Weights } from "./attention.ts";
export { renderPredictions, predictionsLayout, barLength } from "./predictions.ts";
export type { PredictionsInput, Candidate, PredictionsLayout } from "./predictions.ts";
export { renderLossCurve, lossCurveLayout, markedValidation } from "./loss.ts";
export type { LossCurveInput, LossPoint, LossCurveLayout } from "./loss.ts";
export { renderGenerationTrace, generationTraceLayout } from "./trace.ts";
export type { GenerationTraceInput, TraceStep } from "./trace.ts";
export { renderTokens, tokensLayout } from "./tokens.ts";
export type { TokensInput, TokenPiece } from "./tokens.ts";
export { renderEmbeddings, embeddingsLayout } from "./embeddings.ts";
export type { EmbeddingsInput, EmbeddingPoint, NeighbourList } from "./embeddings.ts";
export { renderModelCard } from "./modelcard.ts";
export type { ModelCardInput, ModelCardConfig, ParameterCounts } from "./modelcard.ts";
export { pca2, nearestByCosine } from "./project.ts";
export type { Projection2D, Neighbour } from "./project.ts";
export { visibleToken } from "./text.ts";
export type { Lang } from "./lang.ts";
