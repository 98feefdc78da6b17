/**
 * `neurons`: the MLP neurons of the live model at the last token of the user's sentence
 * (src/app/neurons.ts), and where the last layer's strongest one fired most in the model's
 * training text (the space's neuron index, src/app/neuron-indexer.ts, when it has been read).
 */
import type { NeuronsFacts } from "../../explain/facts.ts";
import { neuronsPicture } from "../look-pictures.ts";
import { contextsOf } from "../neuron-index.ts";
import { showContexts } from "../neuron-texts.ts";
import { neuronsOf } from "../neurons.ts";
import { pictureModelName, textOr, type TopicComputer } from "./common.ts";

/** A neuron counts as firing above this value of h (GELU's output: most neurons sit near 0 or below). */
export const FIRING_AT = 0.5;
/** Neurons per layer in the picture (the catalogue's most for /neurons). */
const PICTURE_NEURONS = 8;

export const explainNeurons: TopicComputer<"neurons"> = ({ handle, lang, texts, text, neuronIndex }) => {
  const sentence = textOr(text, texts.defaults.sentence);
  const { nLayer: L, nEmbd: C } = handle.model.config;
  const F = 4 * C;
  // 1. each layer's strongest neurons at the last token; the pass's h [T, F] per layer counts those firing
  const all = neuronsOf(handle, sentence, { k: PICTURE_NEURONS });
  const h = handle.model.activations!.layers;
  const layers = all.layers.map((cells, layer) => {
    const row = h[layer].fchGelu.subarray(all.position * F, (all.position + 1) * F);
    return { layer, index: cells[0].index, value: cells[0].value, firing: row.filter((v) => v > FIRING_AT).length };
  });
  // 2. the index of training contexts (absent: none known here)
  const status = neuronIndex?.(handle) ?? { state: "none" as const };
  const top = layers[L - 1];
  const shown =
    status.state !== "none" && status.index
      ? showContexts(handle, status.texts, contextsOf(status.index, top.layer, top.index), 1)[0]
      : undefined;
  // 3. the picture's result: each layer's strongest few, with the best context per layer
  const picture = all;
  const best = picture.layers.map((cells) =>
    status.state !== "none" && status.index && cells[0]
      ? (showContexts(handle, status.texts, contextsOf(status.index, cells[0].layer, cells[0].index), 1)[0] ?? null)
      : null,
  );
  const facts: NeuronsFacts = {
    text: sentence,
    token: all.inputTokens[all.position],
    tokens: all.position,
    nLayer: L,
    width: F,
    layers,
    firingAt: FIRING_AT,
    index: status.state === "none" ? { state: "none" } : { state: status.state, documents: status.documents, total: status.total },
    context: shown ? { layer: top.layer, index: top.index, ...shown } : null,
  };
  return {
    facts,
    async render() {
      return [{ name: "neurons.png", png: await neuronsPicture(picture, best, null, lang, pictureModelName(handle, lang)) }];
    },
  };
};
