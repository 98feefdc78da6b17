/**
 * /attention view:rollout and view:next (issue #20 item 4) on small random models with sharp
 * attention: the rollout against the test's own computation of attention from the engine's
 * queries and keys (softmax(q·k/√HS), causal, heads averaged, ½A + ½I, multiplied layer after
 * layer), the one-layer case against ½A + ½I of the engine's weights, the next view against
 * the head means and /predict, and the option checks.
 */
import { describe, expect, it } from "vitest";
import { attentionRollout, nextTokenAttention, rolloutOf } from "../../src/app/attention-views.ts";
import { attentionMaps } from "../../src/app/attention.ts";
import { handleFromCheckpoint, type ModelHandle } from "../../src/app/model-handle.ts";
import { predictNext } from "../../src/app/predict.ts";
import { encodePrompt, InputError } from "../../src/app/prompt.ts";
import { attentionReply } from "../../src/app/replies/attention.ts";
import { allParts, runNow } from "../../src/app/reply.ts";
import { loadCheckpointBytes, saveCheckpointBytes } from "../../src/model/checkpoint.ts";
import { GPT } from "../../src/model/gpt.ts";
import { seededRandom } from "../../src/tensor/random.ts";
import { trainCharTokenizer } from "../../src/tokenizer/char.ts";

const TEXT = "the cat sat on the mat, and the dog";

/** A random model whose weights are scaled up so that its heads attend sharply (not uniformly). */
function sharpModel(nLayer: number, seed: number): ModelHandle {
  const tokenizer = trainCharTokenizer("abcdefghijklmnopqrstuvwxyz ,.");
  const config = { vocabSize: tokenizer.vocabSize, blockSize: 48, nLayer, nHead: 2, nEmbd: 16, bias: true };
  const model = new GPT(config).init(seededRandom(seed));
  const rng = seededRandom(seed + 100);
  for (let i = 0; i < model.params.length; i++) model.params[i] = model.params[i] * 10 + 0.05 * rng.normal();
  const bytes = saveCheckpointBytes(config, model.params as Float32Array, { tokenizer: tokenizer.toJSON(), step: 0 });
  return handleFromCheckpoint(loadCheckpointBytes(bytes, "sharp"), `sharp ${nLayer}-layer model`);
}

/** The rollout computed here from the engine's q and k (the qkv activations) alone, in float64. */
function rolloutByHand(handle: ModelHandle, text: string): number[][] {
  const ids = encodePrompt(handle, text).ids;
  const T = ids.length;
  const { nEmbd: C, nHead: NH, nLayer } = handle.model.config;
  const HS = C / NH;
  handle.model.forward(Int32Array.from(ids), 1, T);
  const identity = (q: number, k: number) => (q === k ? 1 : 0);
  let R: number[][] | null = null;
  for (let l = 0; l < nLayer; l++) {
    const qkv = handle.model.activations!.layers[l].qkv; // [T, 3C]
    // A = mean over heads of softmax_k≤q(q·k/√HS)
    const A = Array.from({ length: T }, () => new Array<number>(T).fill(0));
    for (let h = 0; h < NH; h++) {
      for (let q = 0; q < T; q++) {
        const scores = Array.from({ length: q + 1 }, (_, k) => {
          let dot = 0;
          for (let i = 0; i < HS; i++) dot += qkv[q * 3 * C + h * HS + i] * qkv[k * 3 * C + C + h * HS + i];
          return dot / Math.sqrt(HS);
        });
        const max = Math.max(...scores);
        const exps = scores.map((s) => Math.exp(s - max));
        const sum = exps.reduce((a, b) => a + b, 0);
        exps.forEach((e, k) => (A[q][k] += e / sum / NH));
      }
    }
    const mixed = A.map((row, q) => row.map((a, k) => 0.5 * a + 0.5 * identity(q, k)));
    const prev: number[][] | null = R;
    R = prev === null ? mixed : mixed.map((row) => row.map((_, k) => row.reduce((s, m, j) => s + m * prev[j][k], 0)));
  }
  return R!;
}

describe("attention rollout", () => {
  it("of one layer is ½·(the heads' mean attention) + ½·I, from the engine's own weights", () => {
    const handle = sharpModel(1, 3);
    const maps = attentionMaps(handle, TEXT);
    const T = maps.tokens.length;
    const { rollout } = rolloutOf(handle, TEXT);
    for (let q = 0; q < T; q++) {
      for (let k = 0; k < T; k++) {
        const mean = (maps.weights[0][0][q * T + k] + maps.weights[0][1][q * T + k]) / 2;
        expect(Math.abs(rollout[q * T + k] - (0.5 * mean + 0.5 * (q === k ? 1 : 0))), `${q},${k}`).toBeLessThan(1e-6);
      }
    }
  });

  it("of three layers is the product Â2·Â1·Â0 computed from the queries and keys, and its rows sum to 1", () => {
    const handle = sharpModel(3, 7);
    const expected = rolloutByHand(handle, TEXT);
    const { rollout, layers, tokens } = rolloutOf(handle, TEXT);
    const T = tokens.length;
    expect(layers).toBe(3);
    let largestOffDiagonal = 0;
    for (let q = 0; q < T; q++) {
      let sum = 0;
      for (let k = 0; k < T; k++) {
        expect(Math.abs(rollout[q * T + k] - expected[q][k]), `${q},${k}`).toBeLessThan(1e-5);
        if (k > q) expect(rollout[q * T + k]).toBe(0);
        if (k < q) largestOffDiagonal = Math.max(largestOffDiagonal, rollout[q * T + k]);
        sum += rollout[q * T + k];
      }
      expect(Math.abs(sum - 1)).toBeLessThan(1e-9);
    }
    // the heads are sharp: the rollout moves real weight between tokens
    expect(largestOffDiagonal).toBeGreaterThan(0.2);
  });

  it("keeps each layer's partial product (after[l] = R_l)", () => {
    const weights = [[Float32Array.from([1, 0, 1, 0])], [Float32Array.from([1, 0, 0, 1])]];
    // Â0 = [[1,0],[.5,.5]], Â1 = [[1,0],[0,1]]
    const { after } = attentionRollout(weights, 2);
    expect(Array.from(after[0])).toEqual([1, 0, 0.5, 0.5]);
    expect(Array.from(after[1])).toEqual([1, 0, 0.5, 0.5]);
  });
});

describe("the predicted token's attention", () => {
  it("is the last row of each layer's head mean and of the rollout, beside /predict's top token", () => {
    const handle = sharpModel(3, 11);
    const next = nextTokenAttention(handle, TEXT);
    const maps = attentionMaps(handle, TEXT);
    const T = maps.tokens.length;
    expect(next.layers).toHaveLength(3);
    next.layers.forEach((row, l) => {
      expect(row).toHaveLength(T);
      row.forEach((w, k) => {
        const mean = (maps.weights[l][0][(T - 1) * T + k] + maps.weights[l][1][(T - 1) * T + k]) / 2;
        expect(Math.abs(w - mean), `layer ${l}, key ${k}`).toBeLessThan(1e-7);
      });
    });
    const R = rolloutByHand(handle, TEXT);
    next.rollout.forEach((w, k) => expect(Math.abs(w - R[T - 1][k])).toBeLessThan(1e-5));
    const top = predictNext(handle, TEXT, { k: 1 }).candidates[0];
    expect(next.predicted).toEqual({ id: top.id, token: top.token, prob: top.prob });
  });
});

describe("/attention's view option", () => {
  const handle = sharpModel(2, 5);
  const rc = { handle, lang: "en" as const, heavy: runNow, redactor: null };

  it("answers rollout and next with their picture and the strongest tokens", async () => {
    const rollout = await attentionReply(rc, { text: TEXT, view: "rollout" })();
    expect(rollout.pictures.map((p) => p.name)).toEqual(["rollout.png"]);
    const next = await attentionReply(rc, { text: TEXT, view: "next" })();
    expect(next.pictures.map((p) => p.name)).toEqual(["next-attention.png"]);
    const top = predictNext(handle, TEXT, { k: 1 }).candidates[0];
    expect(allParts(next).some((p) => p.kind === "token" && p.text === top.token.replace(/ /g, "␣"))).toBe(true);
  });

  it("refuses an unknown view and a head with a view that reads every head, naming the value", () => {
    expect(() => attentionReply(rc, { text: TEXT, view: "sideways" })).toThrow(
      /view must be one of heads, rollout, next \(you gave sideways\)/,
    );
    let error: unknown;
    try {
      attentionReply(rc, { text: TEXT, view: "rollout", head: 1 });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).code).toBe("view-takes-no-head");
    expect((error as Error).message).toContain("head 1");
  });
});
