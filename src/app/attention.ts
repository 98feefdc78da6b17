/** `/attention`: which tokens each token looks at, for every layer and head. */
import { renderAttentionGrid, renderAttentionHead } from "../render/attention.ts";
import type { Lang } from "../render/lang.ts";
import type { ModelHandle } from "./model-handle.ts";
import { checkText, encodePrompt, InputError, tokenLabels } from "./prompt.ts";

export interface AttentionMaps {
  tokens: string[];
  /** [layer][head] → weights [T, T] (row = query, column = key) */
  weights: Float32Array[][];
  unknown: number;
  dropped: number;
}

/** One forward pass over the text; copies out the softmaxed attention of every layer and head. */
export function attentionMaps(handle: ModelHandle, text: string): AttentionMaps {
  checkText(text, false);
  const prompt = encodePrompt(handle, text);
  const T = prompt.ids.length;
  const { nLayer, nHead } = handle.model.config;
  handle.model.forward(Int32Array.from(prompt.ids), 1, T);
  const weights: Float32Array[][] = [];
  for (let l = 0; l < nLayer; l++) {
    const att = handle.model.attentionWeights(l); // [1, NH, T, T]
    weights.push(Array.from({ length: nHead }, (_, h) => Float32Array.from(att.subarray(h * T * T, (h + 1) * T * T))));
  }
  return { tokens: tokenLabels(handle, prompt.ids), weights, unknown: prompt.unknown, dropped: prompt.dropped };
}

/** Checks an optional layer/head choice against the model, in words a user understands. */
export function checkLayerHead(handle: ModelHandle, layer?: number, head?: number): void {
  const { nLayer, nHead } = handle.model.config;
  if (layer !== undefined && (!Number.isInteger(layer) || layer < 0 || layer >= nLayer)) {
    throw new InputError(`layer ${layer} does not exist: this model has layers 0–${nLayer - 1}`, "bad-layer", { layer, layers: nLayer });
  }
  if (head !== undefined && (!Number.isInteger(head) || head < 0 || head >= nHead)) {
    throw new InputError(`head ${head} does not exist: this model has heads 0–${nHead - 1}`, "bad-head", { head, heads: nHead });
  }
}

/** One head large (when a head is given), else the heads of the given layer, else every layer × head at a glance. */
export async function attentionPicture(
  handle: ModelHandle,
  text: string,
  o: { layer?: number; head?: number; lang: Lang },
  /** the maps when already read (e.g. in the model's host thread); absent: read here */
  read?: AttentionMaps,
): Promise<{ png: Uint8Array; maps: AttentionMaps; kind: "head" | "grid" }> {
  checkLayerHead(handle, o.layer, o.head);
  const maps = read ?? attentionMaps(handle, text);
  if (o.head === undefined) {
    // layer:N alone: that layer's heads in one row; else every layer × head
    const weights = o.layer === undefined ? maps.weights : [maps.weights[o.layer]];
    const png = await renderAttentionGrid({ tokens: maps.tokens, weights, layer: o.layer, modelName: handle.name, lang: o.lang });
    return { png, maps, kind: "grid" };
  }
  const layer = o.layer ?? 0;
  const png = await renderAttentionHead({
    tokens: maps.tokens,
    weights: maps.weights[layer][o.head],
    layer,
    head: o.head,
    modelName: handle.name,
    lang: o.lang,
  });
  return { png, maps, kind: "head" };
}
