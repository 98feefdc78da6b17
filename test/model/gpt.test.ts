import { describe, expect, it } from "vitest";
import { GPT } from "../../src/model/gpt.ts";
import { type GPTConfig, presetConfig, PRESETS } from "../../src/model/config.ts";
import { countParams, countParamsByGroup, paramSpecs } from "../../src/model/params.ts";
import { seededRandom } from "../../src/tensor/random.ts";
import { centralDifference, relativeError } from "../../src/tensor/gradcheck.ts";

const tinyConfig = (bias: boolean): GPTConfig => ({ vocabSize: 11, blockSize: 8, nLayer: 2, nHead: 2, nEmbd: 8, bias });

function randomIds(n: number, V: number, seed: number): Int32Array {
  const rng = seededRandom(seed);
  return Int32Array.from({ length: n }, () => rng.int(V));
}

/** A float64 model with non-trivial LayerNorm gains and biases, so every gradient path is exercised. */
function perturbedModel(config: GPTConfig): GPT {
  const model = new GPT(config, { dtype: "float64" }).init(seededRandom(7));
  const rng = seededRandom(8);
  for (const s of paramSpecs(config)) {
    if (s.shape.length === 1) {
      for (let i = s.offset; i < s.offset + s.size; i++) model.params[i] += 0.1 * rng.normal();
    } else {
      // larger weights than the 0.02 init, so attention is not uniform and signals are not tiny
      for (let i = s.offset; i < s.offset + s.size; i++) model.params[i] *= 15;
    }
  }
  return model;
}

describe("GPT gradients match central finite differences (float64)", () => {
  const cases: [string, GPTConfig][] = [
    ["bias off", tinyConfig(false)],
    ["bias on", tinyConfig(true)],
    ["nanoGPT's exact GELU (erf)", { ...tinyConfig(false), gelu: "erf" }],
  ];
  for (const [title, config] of cases) {
    it(`every parameter tensor, ${title}`, () => {
      const model = perturbedModel(config);
      const B = 2,
        T = 6;
      const ids = randomIds(B * T, config.vocabSize, 1);
      const targets = randomIds(B * T, config.vocabSize, 2);
      targets[3] = -1; // an ignored position must not disturb anything
      model.zeroGrad();
      model.forward(ids, B, T, targets);
      model.backward();
      const analytic = Float64Array.from(model.grads);
      const loss = () => model.forward(ids, B, T, targets).loss!;

      const rng = seededRandom(3);
      const report: string[] = [];
      for (const s of paramSpecs(config)) {
        let worst = 0;
        const samples = Math.min(s.size, 12);
        for (let k = 0; k < samples; k++) {
          const i = s.offset + (s.size <= 12 ? k : rng.int(s.size));
          const numeric = centralDifference(loss, model.params, i, 1e-5);
          // skip entries whose gradient is zero in both (e.g. unused vocabulary rows)
          if (Math.abs(numeric) < 1e-10 && Math.abs(analytic[i]) < 1e-10) continue;
          worst = Math.max(worst, relativeError(analytic[i], numeric));
        }
        report.push(`${s.name.padEnd(36)} worst relative error ${worst.toExponential(2)}`);
        expect(worst, s.name).toBeLessThan(1e-5);
      }
      console.log(`gradient check, ${title}:\n  ${report.join("\n  ")}`);
    });
  }
});

describe("GPT", () => {
  it("counts parameters exactly, per group, like nanoGPT", () => {
    const config = presetConfig("baby", 65);
    const C = 128,
      L = 4,
      V = 65;
    const counts = countParamsByGroup(config);
    expect(counts.embedding).toBe(V * C);
    expect(counts.position).toBe(64 * C);
    expect(counts.attention).toBe(L * (3 * C * C + C * C));
    expect(counts.mlp).toBe(L * (4 * C * C * 2));
    expect(counts.layernorm).toBe((2 * L + 1) * C);
    expect(counts.total).toBe(countParams(config));
    // nanoGPT prints "0.80M" for this config: 795,904 without position embeddings
    expect(counts.total - counts.position).toBe(795_904);
  });

  it("initialises like nanoGPT: std 0.02, residual projections scaled by 1/√(2L)", () => {
    const config = presetConfig("baby", 65);
    const model = new GPT(config).init(seededRandom(1));
    const std = (name: string) => {
      const v = model.views.byName.get(name)!;
      let s = 0;
      for (const x of v) s += x * x;
      return Math.sqrt(s / v.length);
    };
    expect(std("transformer.h.0.attn.c_attn.weight")).toBeCloseTo(0.02, 3);
    expect(std("transformer.h.0.mlp.c_proj.weight")).toBeCloseTo(0.02 / Math.sqrt(8), 3);
    expect(Array.from(model.views.byName.get("transformer.ln_f.weight")!).every((x) => x === 1)).toBe(true);
  });

  it("forward gives the loss of a uniform guess at init, and attention rows that sum to 1", () => {
    const config = tinyConfig(false);
    const model = new GPT(config).init(seededRandom(1));
    const ids = randomIds(8, 11, 4);
    const { loss, logits } = model.forward(ids, 1, 8, randomIds(8, 11, 5));
    expect(logits.length).toBe(8 * 11);
    expect(loss!).toBeGreaterThan(Math.log(11) - 0.1);
    expect(loss!).toBeLessThan(Math.log(11) + 0.1);
    const att = model.attentionWeights(1); // [B=1, NH=2, T=8, T=8]
    for (let h = 0; h < 2; h++) {
      for (let t = 0; t < 8; t++) {
        let sum = 0;
        for (let t2 = 0; t2 < 8; t2++) {
          const w = att[(h * 8 + t) * 8 + t2];
          if (t2 > t) expect(w).toBe(0);
          sum += w;
        }
        expect(sum).toBeCloseTo(1, 5);
      }
    }
  });

  it("is causal: changing a later token does not change earlier logits", () => {
    const config = tinyConfig(true);
    const model = new GPT(config).init(seededRandom(2));
    const ids = randomIds(8, 11, 6);
    const before = Float32Array.from(model.forward(ids, 1, 8).logits);
    ids[7] = (ids[7] + 1) % 11;
    const after = model.forward(ids, 1, 8).logits;
    for (let i = 0; i < 7 * 11; i++) expect(after[i]).toBe(before[i]);
  });

  it("refuses inputs that do not fit, naming the values", () => {
    const model = new GPT(tinyConfig(false)).init(seededRandom(1));
    expect(() => model.forward(new Int32Array(9), 1, 9)).toThrow("context has 9 tokens, block size is 8");
    expect(() => model.forward(Int32Array.from([1, 2, 11]), 1, 3)).toThrow("token id 11 at position 2");
    expect(() => model.forward(new Int32Array(4), 1, 3)).toThrow("ids has 4 values");
    expect(() => model.attentionWeights(5)).toThrow();
    expect(() => new GPT(tinyConfig(false)).backward()).toThrow("forward() with targets");
  });

  it("tiny preset overfits one fixed batch to a loss below 0.05", async () => {
    const { AdamW, DEFAULT_ADAMW } = await import("../../src/train/adamw.ts");
    const config = presetConfig("tiny", 20);
    const model = new GPT(config).init(seededRandom(1));
    const B = 4,
      T = PRESETS.tiny.blockSize;
    const ids = randomIds(B * T, 20, 11);
    const targets = randomIds(B * T, 20, 12);
    const opt = new AdamW(paramSpecs(config), model.params.length, { ...DEFAULT_ADAMW, weightDecay: 0 });
    let loss = Infinity;
    for (let step = 0; step < 400 && loss > 0.05; step++) {
      loss = model.forward(ids, B, T, targets).loss!;
      model.zeroGrad();
      model.backward();
      opt.step(model.params, model.grads, 1e-2);
    }
    console.log(`tiny model on one batch: loss ${loss.toFixed(4)}`);
    expect(loss).toBeLessThan(0.05);
  });
});
