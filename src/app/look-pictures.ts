/**
 * The pictures of /lens, /why, /ablate and /attention's rollout and next views from their use cases' results (src/app/lens.ts,
 * attribute.ts, ablate.ts): the console, the bot and the playground call these, so the
 * picture is the same everywhere.
 */
import { renderAblation } from "../render/ablation.ts";
import { renderNextAttention } from "../render/attention-next.ts";
import { renderAttentionRollout } from "../render/attention-rollout.ts";
import { renderAttribution } from "../render/attribution.ts";
import type { Lang } from "../render/lang.ts";
import { renderLensGrid } from "../render/lens.ts";
import { renderNeurons } from "../render/neurons.ts";
import type { NeuronsResult } from "./neurons.ts";
import type { ShownContext } from "./neuron-texts.ts";
import type { AblationResult } from "./ablate.ts";
import type { NextTokenAttention, RolloutResult } from "./attention-views.ts";
import type { AttributionResult } from "./attribute.ts";
import type { LensResult } from "./lens.ts";

/** Positions × depths, each cell the top guess; the last row is the model's output. */
export function lensPicture(result: LensResult, lang: Lang, modelName: string): Promise<Uint8Array> {
  return renderLensGrid({
    tokens: result.inputTokens,
    cells: result.layers.map((depth) => depth.positions.map((p) => ({ token: p.top[0].token, prob: p.top[0].prob }))),
    modelName,
    lang,
  });
}

export function attributionPicture(result: AttributionResult, lang: Lang, modelName: string): Promise<Uint8Array> {
  return renderAttribution({
    tokens: result.inputTokens,
    target: result.target,
    gradient: result.gradient,
    occlusion: result.occlusion,
    modelName,
    lang,
  });
}

export function ablationPicture(result: AblationResult, lang: Lang, modelName: string): Promise<Uint8Array> {
  return renderAblation({
    bars: result.before.map((c, i) => ({ token: c.token, before: c.prob, after: result.beforeTokensAfter[i].prob })),
    afterTop: { token: result.after[0].token, prob: result.after[0].prob },
    heads: result.heads,
    chosenFromGrid: result.chosenFromGrid,
    topToken: result.top.token,
    grid: result.grid,
    modelName,
    lang,
  });
}

/** The token strip (with a neuron named, filled by its values), layers × strongest neurons, each layer's best context. */
export function neuronsPicture(
  result: NeuronsResult,
  contexts: (ShownContext | null)[],
  contextNote: string | null,
  lang: Lang,
  modelName: string,
): Promise<Uint8Array> {
  return renderNeurons({
    tokens: result.inputTokens,
    position: result.position,
    layers: result.layers.map((cells) => cells.map((c) => ({ index: c.index, value: c.value }))),
    contexts,
    along: result.along && { layer: result.along.neuron.layer, index: result.along.neuron.index, values: result.along.values },
    contextNote,
    modelName,
    lang,
  });
}

/** The rollout R [T, T], drawn as one head is. */
export function rolloutPicture(result: RolloutResult, lang: Lang, modelName: string): Promise<Uint8Array> {
  return renderAttentionRollout({ tokens: result.tokens, rollout: result.rollout, layers: result.layers, modelName, lang });
}

/** The last query's attention per layer and through the rollout, headed by the predicted token. */
export function nextAttentionPicture(result: NextTokenAttention, lang: Lang, modelName: string): Promise<Uint8Array> {
  return renderNextAttention({
    tokens: result.tokens,
    predicted: result.predicted,
    layers: result.layers,
    rollout: result.rollout,
    modelName,
    lang,
  });
}
