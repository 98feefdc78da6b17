/**
 * The numbers behind `loss`, `attention`, `neural-network`, `parameters` and `compute` are the
 * engine's: recomputed here from the model's activations and config.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { scoreSentence } from "../../src/app/explain/learning.ts";
import { attentionNumbers } from "../../src/app/explain/attention.ts";
import { macsPerToken } from "../../src/app/explain/network.ts";
import { GPT2_SMALL, GPT3 } from "../../src/app/explain/scale.ts";
import { textWindow } from "../../src/app/explain/common.ts";
import { explainText, explanationText } from "../../src/app/explain/index.ts";
import type { ModelHandle } from "../../src/app/model-handle.ts";
import { countParams, countParamsByGroup } from "../../src/model/params.ts";
import { fixed, int } from "../../src/explain/format.ts";
import { loadHandle, trainTestModel } from "./helpers.ts";

let handle: ModelHandle;
beforeAll(() => {
  handle = loadHandle(trainTestModel());
});

describe("loss of a sentence", () => {
  it("is the mean of −log p over its tokens, and equals the model's own loss", () => {
    const sentence = "It rained yesterday, but today it is sunny.";
    const s = scoreSentence(handle, sentence);
    const w = textWindow(handle, sentence);
    expect(s.rows).toHaveLength(w.T);
    for (const r of s.rows) {
      expect(r.loss).toBeCloseTo(-Math.log(r.prob), 4);
      expect(r.guessProb).toBeGreaterThanOrEqual(r.prob);
    }
    const mean = s.rows.reduce((a, r) => a + r.loss, 0) / s.rows.length;
    expect(s.loss).toBeCloseTo(mean, 10);
    expect(s.loss).toBe(handle.model.forward(w.x, 1, w.T, w.y).loss);
    const e = explainText(handle, "loss", { lang: "en", text: sentence });
    expect(explanationText(e)).toContain(`**${fixed(s.loss, 3)}**`);
    expect(e.table!.join("\n")).toContain(fixed(s.loss, 3));
  });
});

describe("attention: Query · Key, softmax, weighted sum of Values", () => {
  it.each(["It rained yesterday, but today it is sunny.", "昨日は雨だったけど、"])(
    "“%s”: the table's numbers are the engine's computation",
    (text) => {
      const n = attentionNumbers(handle, text);
      const HS = handle.model.config.nEmbd / handle.model.config.nHead;
      const T = n.tokens.length;
      // 1. scores = q·k / √HS
      for (let k = 0; k < T; k++) {
        const dot = n.query.reduce((s, q, c) => s + q * n.keys[k][c], 0);
        expect(n.scores[k]).toBeCloseTo(dot / Math.sqrt(HS), 4);
      }
      // 2. weights = softmax(scores), summing to 1
      const max = Math.max(...n.scores);
      const exps = n.scores.map((s) => Math.exp(s - max));
      const total = exps.reduce((a, b) => a + b, 0);
      n.weights.forEach((weight, k) => expect(weight).toBeCloseTo(exps[k] / total, 5));
      // 3. output = Σ weight × Value
      for (let c = 0; c < HS; c++) {
        const sum = n.weights.reduce((s, weight, k) => s + weight * n.values[k][c], 0);
        expect(n.output[c]).toBeCloseTo(sum, 5);
      }
      // the picture's map is the same head's weights: its last row is this query's
      for (let k = 0; k < T; k++) expect(n.map[(T - 1) * T + k]).toBe(n.weights[k]);
    },
  );
});

describe("sizes and costs", () => {
  it("counts GPT-2 small and GPT-3 with the model's own formula", () => {
    expect(countParams(GPT2_SMALL)).toBe(124_439_808); // GPT-2's 124M, as PyTorch counts it with tied embeddings
    expect(countParams(GPT3) / 1e9).toBeCloseTo(174.6, 1); // "175B"
  });

  it("multiply-adds per token follow from the shape", () => {
    const c = handle.model.config;
    const m = macsPerToken(c);
    expect(m.mlp).toBe(2 * c.nEmbd * 4 * c.nEmbd);
    expect(m.total).toBe(m.allMlp + m.attention + c.vocabSize * c.nEmbd);
    // every weight matrix is used once per token: the non-embedding weights plus the output head
    const counts = countParamsByGroup(c);
    expect(m.allMlp + m.attention - c.nLayer * 2 * c.blockSize * c.nEmbd).toBe(counts.attention + counts.mlp);
  });

  it("the parameters text states this model's counts", () => {
    const counts = countParamsByGroup(handle.model.config);
    for (const lang of ["ja", "en"] as const) {
      const e = explainText(handle, "parameters", { lang });
      expect(explanationText(e)).toContain(int(counts.total));
      for (const part of ["embedding", "attention", "mlp"] as const) expect(e.table!.join("\n")).toContain(int(counts[part]));
    }
  });
});
