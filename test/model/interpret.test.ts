/**
 * The engine's looks inside (issue #20's engine layer): the logit lens, gradient × input and
 * head ablation, each checked against an independent computation.
 */
import { describe, expect, it } from "vitest";
import { gradientTimesInput } from "../../src/model/attribution.ts";
import type { GPTConfig } from "../../src/model/config.ts";
import { GPT } from "../../src/model/gpt.ts";
import { logitLens } from "../../src/model/lens.ts";
import { geluForward } from "../../src/tensor/gelu.ts";
import { layernormForward } from "../../src/tensor/layernorm.ts";
import { linearForward } from "../../src/tensor/linear.ts";
import { seededRandom } from "../../src/tensor/random.ts";
import { createWasmKernels } from "../../src/tensor/wasm/index.ts";

const config = (bias: boolean): GPTConfig => ({ vocabSize: 13, blockSize: 8, nLayer: 2, nHead: 2, nEmbd: 8, bias });

/** a model whose every parameter matters (biases and gains off their init values, larger weights) */
function perturbed(cfg: GPTConfig, options: ConstructorParameters<typeof GPT>[1] = {}): GPT {
  const model = new GPT(cfg, options).init(seededRandom(11));
  const rng = seededRandom(12);
  for (let i = 0; i < model.params.length; i++) model.params[i] = model.params[i] * 10 + 0.1 * rng.normal();
  return model;
}

const ids = Int32Array.from([3, 1, 4, 5, 9, 2, 6]);

describe("logitLens", () => {
  for (const kernels of ["reference", "wasm"] as const) {
    it(`has L+1 depths of [T, V], the last equal bit for bit to the model's logits (${kernels} kernels)`, () => {
      const model = perturbed(config(true), kernels === "wasm" ? { kernels: createWasmKernels() } : {});
      const lens = logitLens(model, ids);
      expect(lens).toHaveLength(3);
      for (const depth of lens) expect(depth).toHaveLength(ids.length * 13);
      const logits = Array.from(model.forward(ids, 1, ids.length).logits);
      expect(Array.from(lens[2])).toEqual(logits);
      // earlier depths read other streams: they differ
      expect(Array.from(lens[1])).not.toEqual(logits);
    });
  }

  it("depth 0 is the embeddings read through ln_f and the head (computed here by hand)", () => {
    const model = perturbed(config(false), { dtype: "float64" });
    const lens = logitLens(model, ids);
    const { wte, wpe, lnfw } = model.views;
    const C = 8,
      T = ids.length;
    const x = new Float64Array(T * C);
    for (let t = 0; t < T; t++) for (let c = 0; c < C; c++) x[t * C + c] = wte[ids[t] * C + c] + wpe[t * C + c];
    const normed = new Float64Array(T * C);
    layernormForward(normed, new Float64Array(T), new Float64Array(T), x, lnfw, null, T, C);
    const expected = new Float64Array(T * 13);
    linearForward(expected, normed, wte, null, T, C, 13);
    expect(Array.from(lens[0])).toEqual(Array.from(expected));
  });
});

describe("gradientTimesInput", () => {
  for (const bias of [false, true]) {
    it(`equals the finite-difference derivative of log p(target) along each token's embedding (float64, bias ${bias})`, () => {
      const model = perturbed(config(bias), { dtype: "float64" });
      const T = ids.length,
        C = 8,
        target = 7;
      const before = Float64Array.from(model.grads);
      const { logProb, scores } = gradientTimesInput(model, ids, target);
      expect(Array.from(model.grads)).toEqual(Array.from(before)); // parameter gradients untouched
      const logProbOf = () => {
        const logits = Array.from(model.forward(ids, 1, T).logits.subarray((T - 1) * 13, T * 13));
        const max = Math.max(...logits);
        const sum = logits.reduce((s, v) => s + Math.exp(v - max), 0);
        return logits[target] - max - Math.log(sum);
      };
      expect(logProb).toBeCloseTo(logProbOf(), 10);
      // move x[t] along e = wte[ids[t]] through wpe[t] (wte is also the output head: left alone)
      const eps = 1e-5;
      for (let t = 0; t < T; t++) {
        const e = Array.from({ length: C }, (_, c) => model.views.wte[ids[t] * C + c]);
        const shift = (by: number) => e.forEach((v, c) => (model.views.wpe[t * C + c] += by * v));
        shift(eps);
        const up = logProbOf();
        shift(-2 * eps);
        const down = logProbOf();
        shift(eps);
        const numeric = (up - down) / (2 * eps);
        expect(Math.abs(scores[t] - numeric), `position ${t}: ${scores[t]} vs ${numeric}`).toBeLessThan(
          1e-6 * Math.max(1, Math.abs(numeric)),
        );
      }
      // the scores are not all alike (the check above would not see a constant)
      expect(new Set(scores.map((s) => s.toFixed(6))).size).toBeGreaterThan(1);
    });
  }

  it("refuses a target outside the vocabulary", () => {
    expect(() => gradientTimesInput(perturbed(config(false)), ids, 13)).toThrow("target token 13 is outside the vocabulary 0–12");
  });
});

describe("head ablation", () => {
  /** the model's logits with attention removed from every block, computed here from its parameters */
  function withoutAttention(model: GPT, T: number): Float64Array {
    const { wte, wpe, blocks, lnfw, lnfb } = model.views;
    const C = 8,
      V = 13;
    const x = new Float64Array(T * C);
    for (let t = 0; t < T; t++) for (let c = 0; c < C; c++) x[t * C + c] = wte[ids[t] * C + c] + wpe[t * C + c];
    const ln = new Float64Array(T * C),
      mean = new Float64Array(T),
      rstd = new Float64Array(T);
    const h = new Float64Array(T * 4 * C),
      g = new Float64Array(T * 4 * C),
      y = new Float64Array(T * C);
    for (const w of blocks) {
      // x = x + c_proj(0): only attn.c_proj's bias is left of attention
      if (w.projB) for (let i = 0; i < T * C; i++) x[i] += w.projB[i % C];
      // x = x + mlp(ln_2(x))
      layernormForward(ln, mean, rstd, x, w.ln2w, w.ln2b, T, C);
      linearForward(h, ln, w.fcW, w.fcB, T, C, 4 * C);
      geluForward(g, h, T * 4 * C);
      linearForward(y, g, w.fcProjW, w.fcProjB, T, 4 * C, C);
      for (let i = 0; i < T * C; i++) x[i] += y[i];
    }
    layernormForward(ln, mean, rstd, x, lnfw, lnfb, T, C);
    const logits = new Float64Array(T * V);
    linearForward(logits, ln, wte, null, T, C, V);
    return logits;
  }

  for (const bias of [false, true]) {
    it(`switching every head of every layer off gives the model without attention (float64, bias ${bias})`, () => {
      const model = perturbed(config(bias), { dtype: "float64" });
      const every = [0, 1].flatMap((layer) => [0, 1].map((head) => ({ layer, head })));
      const ablated = Array.from(model.forward(ids, 1, ids.length, null, { ablate: every }).logits);
      const expected = withoutAttention(model, ids.length);
      ablated.forEach((v, i) => expect(Math.abs(v - expected[i]), `logit ${i}`).toBeLessThan(1e-12));
    });
  }

  it("one head off changes the prediction, none off is the plain model, and the next forward is whole again", () => {
    const model = perturbed(config(true));
    const plain = Array.from(model.forward(ids, 1, ids.length).logits);
    const one = Array.from(model.forward(ids, 1, ids.length, null, { ablate: [{ layer: 1, head: 0 }] }).logits);
    expect(one).not.toEqual(plain);
    expect(Array.from(model.forward(ids, 1, ids.length, null, { ablate: [] }).logits)).toEqual(plain);
    expect(Array.from(model.forward(ids, 1, ids.length).logits)).toEqual(plain);
  });

  it("refuses heads that do not exist, and ablation during training", () => {
    const model = perturbed(config(false));
    expect(() => model.forward(ids, 1, ids.length, null, { ablate: [{ layer: 2, head: 0 }] })).toThrow(
      "head 2.0 does not exist: the model has layers 0–1 with heads 0–1",
    );
    expect(() => model.forward(ids, 1, ids.length, ids, { ablate: [{ layer: 0, head: 0 }] })).toThrow(
      "switching heads off is for inference",
    );
  });
});
