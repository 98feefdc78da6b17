/**
 * `/neurons`: the MLP neurons of a text. Each block's MLP widens the stream to 4C values, puts
 * each through the GELU, and narrows it back:
 *
 *   h = GELU(ln_2(x) · W_fcᵀ + b_fc)        [T, 4C]   one value per neuron and position
 *   x = x + h · W_projᵀ + b_proj             [T, C]
 *
 * A neuron is one of the 4C columns of h in one layer; it "fires" at a position where its value
 * is large. This reads h (the forward's fchGelu activations) at one position of a text:
 *   1. run the model on [eot, text…];
 *   2. for each layer, the k neurons with the largest value at that position;
 *   3. with a neuron named (layer.index), its value at every position of the text.
 */
import { checkValues } from "./catalogue/check.ts";
import { defaultOf } from "./catalogue/index.ts";
import type { ModelHandle } from "./model-handle.ts";
import { checkText, encodePrompt, InputError, promptFacts } from "./prompt.ts";

export interface FiringNeuron {
  /** 0-based, as the model's tensors number it */
  layer: number;
  /** 0 … 4C−1 */
  index: number;
  /** h at the position */
  value: number;
}

export interface NeuronRef {
  layer: number;
  index: number;
}

export interface NeuronsResult {
  text: string;
  inputIds: number[];
  inputTokens: string[];
  unknown: number;
  dropped: number;
  /** the position read, 0-based into inputIds (0 is the end-of-text token before the text) */
  position: number;
  /** per layer, its k strongest neurons at `position`, strongest first */
  layers: FiringNeuron[][];
  /** the neuron asked for, with its value at every position of inputIds */
  along: { neuron: NeuronRef; values: number[] } | null;
  /** 4C */
  width: number;
}

export const NEURONS_DEFAULT_K: number = defaultOf("neurons", "k");

/** "2.371" → layer 2, neuron 371; refused naming the value and the model's sizes. */
export function parseNeuron(handle: ModelHandle, spec: string): NeuronRef {
  const { nLayer: L, nEmbd: C } = handle.model.config;
  const match = /^\s*(\d+)\s*[.:]\s*(\d+)\s*$/.exec(spec);
  const layer = match ? Number(match[1]) : Number.NaN;
  const index = match ? Number(match[2]) : Number.NaN;
  if (!match || layer >= L || index >= 4 * C) {
    throw new InputError(`neuron "${spec}" is not LAYER.INDEX with LAYER 0–${L - 1} and INDEX 0–${4 * C - 1}`, "bad-neuron", {
      value: spec.slice(0, 40),
      layers: L,
      width: 4 * C,
    });
  }
  return { layer, index };
}

/**
 * The neurons at `position` of the text (1-based over the text's tokens; default: its last token).
 * Runs one forward pass of the handle's model.
 */
export function neuronsOf(
  handle: ModelHandle,
  text: string,
  options: { position?: number; k?: number; neuron?: string } = {},
): NeuronsResult {
  const k = options.k ?? NEURONS_DEFAULT_K;
  checkText(text, false);
  checkValues("neurons", { k, position: options.position });
  const neuron = options.neuron === undefined ? null : parseNeuron(handle, options.neuron);
  const prompt = encodePrompt(handle, text);
  const T = prompt.ids.length;
  const textTokens = T - 1;
  const position = options.position ?? textTokens;
  if (position > textTokens) {
    throw new InputError(`position ${position} is past the text's ${textTokens} tokens`, "bad-position", {
      value: position,
      tokens: textTokens,
    });
  }
  const { nLayer: L, nEmbd: C } = handle.model.config;
  const F = 4 * C;
  // 1. one forward pass over [eot, text…]; h of layer l is activations.layers[l].fchGelu [T, F]
  handle.model.forward(Int32Array.from(prompt.ids), 1, T);
  const acts = handle.model.activations!;
  const layers: FiringNeuron[][] = [];
  for (let l = 0; l < L; l++) {
    // 2. the row of h at the position, its k largest values
    const row = acts.layers[l].fchGelu.subarray(position * F, (position + 1) * F);
    layers.push(strongest(row, Math.min(k, F)).map((index) => ({ layer: l, index, value: row[index] })));
  }
  // 3. the neuron asked for along the text
  const along = neuron && {
    neuron,
    values: Array.from({ length: T }, (_, t) => acts.layers[neuron.layer].fchGelu[t * F + neuron.index]),
  };
  return {
    ...promptFacts(handle, text, prompt),
    position,
    layers,
    along,
    width: F,
  };
}

/** The indices of the k largest values of a row, largest first (ties: the lower index first). */
export function strongest(row: ArrayLike<number>, k: number): number[] {
  const best: number[] = [];
  for (let i = 0; i < row.length; i++) {
    if (best.length === k && row[i] <= row[best[k - 1]]) continue;
    let at = best.length === k ? k - 1 : best.length;
    if (best.length < k) best.push(i);
    while (at > 0 && row[best[at - 1]] < row[i]) {
      best[at] = best[at - 1];
      at--;
    }
    best[at] = i;
  }
  return best;
}
