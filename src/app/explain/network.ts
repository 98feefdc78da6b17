/**
 * `neural-network`: one MLP of the model (C → 4C → GELU → C), its sizes and cost, and the real
 * numbers layer 0's MLP put through GELU for the user's text, drawn on the GELU curve (computed
 * by the engine's own GELU kernel) next to the sigmoid.
 */
import { geluForward } from "../../tensor/gelu.ts";
import { renderActivations } from "../../render/explain-activations.ts";
import type { NetworkFacts } from "../../explain/facts.ts";
import type { GPTConfig } from "../../model/config.ts";
import { firstNumbers, textOr, textWindow, type TopicComputer } from "./common.ts";

/** Multiply-adds for one token with a full context of blockSize tokens. */
export function macsPerToken(config: GPTConfig) {
  const { nEmbd: C, nLayer: L, blockSize: T, vocabSize: V } = config;
  const mlp = 8 * C * C; // c_fc C×4C + c_proj 4C×C
  const attention = 4 * C * C + 2 * T * C; // c_attn 3C² + c_proj C², scores and weighted sum over T keys
  return { mlp, allMlp: L * mlp, attention: L * attention, total: L * (mlp + attention) + V * C };
}

const SHOWN = 6;

export const explainNetwork: TopicComputer<"neural-network"> = ({ handle, texts, text }) => {
  const model = handle.model;
  const config = model.config;
  const C = config.nEmbd;
  const sentence = textOr(text, texts.defaults.sentence);
  const w = textWindow(handle, sentence);
  model.forward(w.x, 1, w.T);
  const layer = model.activations!.layers[0];
  const H = 4 * C;
  // the last token of the window: the text's last token that the model read
  const t = w.T - 1;
  const pre = Float64Array.from(layer.fch.subarray(0, w.T * H));
  const post = Float64Array.from(layer.fchGelu.subarray(0, w.T * H));
  let negative = 0;
  for (const x of pre) if (x < 0) negative++;
  const macs = macsPerToken(config);
  const facts: NetworkFacts = {
    C,
    hidden: H,
    nLayer: config.nLayer,
    blockSize: config.blockSize,
    vocabSize: config.vocabSize,
    mlpParamsPerBlock: 8 * C * C + (config.bias ? 5 * C : 0),
    mlpMacsPerToken: macs.mlp,
    allMlpMacsPerToken: macs.allMlp,
    attentionMacsPerToken: macs.attention,
    modelMacsPerToken: macs.total,
    token: handle.tokenizer.tokenText(w.ids[t]),
    pre: firstNumbers(pre, t * H, SHOWN),
    post: firstNumbers(post, t * H, SHOWN),
    negativeShare: negative / pre.length,
    sentence,
  };
  // the curves: GELU through the engine's kernel, sigmoid by its formula
  const xs = Float64Array.from({ length: 161 }, (_, i) => -4 + i * 0.05);
  const gelu = new Float64Array(xs.length);
  geluForward(gelu, xs, xs.length);
  return {
    facts,
    async render(words) {
      const png = await renderActivations({
        title: words.title,
        subtitle: words.subtitle,
        curves: [
          { label: words.gelu, points: Array.from(xs, (x, i) => [x, gelu[i]] as [number, number]), main: true },
          { label: words.sigmoid, points: Array.from(xs, (x) => [x, 1 / (1 + Math.exp(-x))] as [number, number]) },
        ],
        samples: { x: pre, y: post, label: words.samples },
        xLabel: words.xLabel,
        yLabel: words.yLabel,
        histogramLabel: words.histogram,
        xRange: [-4, 4],
        notes: words.notes,
      });
      return [{ name: "activation.png", png }];
    },
  };
};
