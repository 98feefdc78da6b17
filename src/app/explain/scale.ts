/**
 * `parameters` (this model's size by part, next to GPT-2 and GPT-3, counted with the same
 * formula from their published shapes) and `compute` (training FLOPs ≈ 6·N·tokens, the speed
 * this machine reached, and what GPT-3's training would take at that speed).
 */
import { countParamsByGroup } from "../../model/params.ts";
import type { GPTConfig } from "../../model/config.ts";
import { renderScale } from "../../render/explain-scale.ts";
import type { ComputeFacts, ParametersFacts } from "../../explain/facts.ts";
import { big, int, pct } from "../../explain/format.ts";
import type { ModelHandle } from "../model-handle.ts";
import { modelInfo } from "../model-info.ts";
import { textOr, textWindow, type TopicComputer } from "./common.ts";

/** GPT-2 small (124M) as published: 12 layers, 12 heads, 768 channels, context 1024. */
export const GPT2_SMALL: GPTConfig = { vocabSize: 50257, blockSize: 1024, nLayer: 12, nHead: 12, nEmbd: 768, bias: true };
/** GPT-3 175B (Brown et al. 2020, table 2.1): 96 layers, 96 heads, 12288 channels, context 2048. */
export const GPT3: GPTConfig = { vocabSize: 50257, blockSize: 2048, nLayer: 96, nHead: 96, nEmbd: 12288, bias: true };
/** GPT-3 was trained on 300 billion tokens. */
export const GPT3_TOKENS = 300e9;
/** Its size as usually quoted (our count of its shape gives ~174.6B). */
export const GPT3_PARAMS = 175e9;

export const explainParameters: TopicComputer<"parameters"> = ({ handle, lang }) => {
  const config = handle.model.config;
  const counts = countParamsByGroup(config);
  const facts: ParametersFacts = {
    counts,
    bytes: counts.total * 4,
    nLayer: config.nLayer,
    nHead: config.nHead,
    C: config.nEmbd,
    vocabSize: config.vocabSize,
    blockSize: config.blockSize,
    gpt2: countParamsByGroup(GPT2_SMALL).total,
    gpt3: countParamsByGroup(GPT3).total,
  };
  return {
    facts,
    async render(words) {
      // sizes up to a million exactly, bigger ones in words
      const short = (n: number) => (n < 1e6 ? int(n) : big(n, lang));
      const png = await renderScale({
        title: words.title,
        subtitle: words.subtitle,
        heading: words.heading,
        axisLabel: words.axis,
        bars: [
          { label: words.thisModel, value: counts.total, valueText: short(counts.total), highlight: true },
          { label: words.gpt2, value: facts.gpt2, valueText: short(facts.gpt2) },
          { label: words.gpt3, value: facts.gpt3, valueText: short(facts.gpt3) },
        ],
        breakdown: {
          heading: words.breakdown,
          items: (["embedding", "position", "attention", "mlp", "layernorm"] as const)
            .filter((part) => counts[part] > 0)
            .map((part) => ({
              label: words.parts[part],
              value: counts[part],
              valueText: `${int(counts[part])} (${pct(counts[part] / counts.total)})`,
            })),
        },
        notes: words.notes,
      });
      return [{ name: "parameters.png", png }];
    },
  };
};

/** 3.15e23 → { mantissa "3.2", exponent 23 } for the pictures (which raise the exponent themselves). */
function scientific(value: number, unit: string) {
  let exponent = Math.floor(Math.log10(value));
  let mantissa = value / 10 ** exponent;
  if (Number(mantissa.toFixed(1)) >= 10) {
    mantissa /= 10;
    exponent += 1;
  }
  return { mantissa: mantissa.toFixed(1), exponent, unit };
}

/** Times one training step's forward + backward on a text (for models without a training record). */
function measureSpeed(handle: ModelHandle, text: string): { tokens: number; seconds: number } {
  const model = handle.model;
  const w = textWindow(handle, text);
  model.zeroGrad();
  const start = performance.now();
  model.forward(w.x, 1, w.T, w.y);
  model.backward();
  return { tokens: w.T, seconds: Math.max(1e-6, (performance.now() - start) / 1000) };
}

export const explainCompute: TopicComputer<"compute"> = ({ handle, texts, text }) => {
  const info = modelInfo(handle);
  const N = info.params.total;
  const recorded = info.tokensSeen !== null && info.tokensSeen > 0 && info.trainSeconds !== null && info.trainSeconds > 0;
  const run = recorded
    ? { tokens: info.tokensSeen!, seconds: info.trainSeconds! }
    : measureSpeed(handle, textOr(text, texts.defaults.sentence));
  const flops = 6 * N * run.tokens;
  const flopsPerSecond = flops / run.seconds;
  const gpt3Flops = 6 * GPT3_PARAMS * GPT3_TOKENS;
  const facts: ComputeFacts = {
    params: N,
    tokensSeen: run.tokens,
    seconds: run.seconds,
    source: recorded ? "training" : "measured",
    flops,
    flopsPerSecond,
    gpt3Params: GPT3_PARAMS,
    gpt3Tokens: GPT3_TOKENS,
    gpt3Flops,
    gpt3Seconds: gpt3Flops / flopsPerSecond,
    perTokenFlops: 2 * N,
  };
  return {
    facts,
    async render(words) {
      const bar = (label: string, value: number, highlight = false) => ({
        label,
        value,
        valueText: scientific(value, "FLOP"),
        detail: words.time(value / flopsPerSecond),
        highlight,
      });
      const png = await renderScale({
        title: words.title,
        subtitle: words.subtitle,
        heading: words.heading,
        axisLabel: words.axis,
        bars: [
          bar(words.bars.thisToken, 2 * N),
          bar(words.bars.thisTraining, flops, true),
          bar(words.bars.gpt3Token, 2 * GPT3_PARAMS),
          bar(words.bars.gpt3Training, gpt3Flops),
        ],
        notes: words.notes,
      });
      return [{ name: "compute.png", png }];
    },
  };
};
