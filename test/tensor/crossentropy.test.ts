import { describe, expect, it } from "vitest";
import { IGNORE_TARGET, crossEntropyForward, crossEntropySoftmaxBackward, softmaxForward } from "../../src/tensor/crossentropy.ts";
import { randnArray, randomIds, seededRandom } from "../helpers/random.ts";
import { GRADIENT_TOLERANCE, checkGradient, maxRelativeDifference, roundedToFloat32, weightedSum } from "./harness.ts";

const N = 6,
  V = 7;
/** rows 1 and 4 are ignored */
const IGNORED_ROWS = [1, 4];

function setup(seed: number) {
  const random = seededRandom(seed);
  const targets = randomIds(N, V, random); // [N]
  for (const row of IGNORED_ROWS) targets[row] = IGNORE_TARGET;
  return {
    logits: randnArray(N * V, random, 3), // [N,V]
    targets,
    dlosses: randnArray(N, random), // [N] weights of the scalar loss Σ dlosses·losses
  };
}

/** softmax then cross-entropy into fresh buffers: probs [N,V], losses [N] */
function forward(logits: Float64Array, targets: Int32Array) {
  const probs = new Float64Array(N * V),
    losses = new Float64Array(N);
  softmaxForward(probs, logits, N, V);
  crossEntropyForward(losses, probs, targets, N, V);
  return { probs, losses };
}

describe("softmax and cross-entropy", () => {
  it("softmax rows are positive and sum to 1, even for huge logits", () => {
    const { logits, targets } = setup(1);
    logits[0] = 1000; // exp(1000) overflows unless the row max is subtracted
    logits[V + 2] = -1000;
    const { probs } = forward(logits, targets);
    for (let n = 0; n < N; n++) {
      let sum = 0;
      for (let v = 0; v < V; v++) {
        const p = probs[n * V + v];
        expect(Number.isFinite(p)).toBe(true);
        expect(p).toBeGreaterThanOrEqual(0);
        sum += p;
      }
      expect(sum).toBeCloseTo(1, 12);
    }
    expect(probs[0]).toBe(1);
  });

  it("loss is −log of the target's probability, and 0 for an ignored row", () => {
    const { logits, targets } = setup(2);
    const { probs, losses } = forward(logits, targets);
    for (let n = 0; n < N; n++) {
      if (targets[n] === IGNORE_TARGET) expect(losses[n]).toBe(0);
      else expect(losses[n]).toBe(-Math.log(probs[n * V + targets[n]]));
    }
    // uniform logits: every row's loss is log V
    const uniform = forward(new Float64Array(N * V), new Int32Array(N));
    for (const loss of uniform.losses) expect(loss).toBeCloseTo(Math.log(V), 14);
  });

  it("backward matches central differences of Σ dlosses·losses for the logits", () => {
    const { logits, targets, dlosses } = setup(3);
    const loss = () => weightedSum(forward(logits, targets).losses, dlosses);
    const dlogits = new Float64Array(N * V);
    crossEntropySoftmaxBackward(dlogits, dlosses, forward(logits, targets).probs, targets, N, V);
    expect(checkGradient("crossentropy", "dlogits", loss, logits, dlogits)).toBeLessThan(GRADIENT_TOLERANCE);
  });

  it("ignored rows get exactly zero gradient; other rows' gradients sum to 0", () => {
    const { logits, targets } = setup(4);
    const dlogits = new Float64Array(N * V);
    crossEntropySoftmaxBackward(dlogits, new Float64Array(N).fill(1), forward(logits, targets).probs, targets, N, V);
    for (let n = 0; n < N; n++) {
      const row = Array.from(dlogits.subarray(n * V, (n + 1) * V));
      if (IGNORED_ROWS.includes(n)) expect(row.every((d) => d === 0)).toBe(true);
      else expect(row.reduce((s, d) => s + d, 0)).toBeCloseTo(0, 14);
    }
  });

  it("backward writes dlogits: a second call over leftovers gives the same, ignored rows 0", () => {
    const { logits, targets, dlosses } = setup(5);
    const { probs } = forward(logits, targets);
    const dlogits = new Float64Array(N * V);
    crossEntropySoftmaxBackward(dlogits, dlosses, probs, targets, N, V);
    const once = dlogits.slice();
    const ignoring = targets.slice();
    ignoring[0] = -1;
    dlogits.fill(9);
    crossEntropySoftmaxBackward(dlogits, dlosses, probs, targets, N, V);
    expect(dlogits).toEqual(once);
    crossEntropySoftmaxBackward(dlogits, dlosses, probs, ignoring, N, V);
    expect(Array.from(dlogits.subarray(0, V))).toEqual(new Array(V).fill(0));
    expect(dlogits.subarray(V)).toEqual(once.subarray(V));
  });

  it("names a target outside the vocabulary", () => {
    const { logits } = setup(6);
    const targets = new Int32Array(N);
    targets[2] = V;
    expect(() => forward(logits, targets)).toThrow(/target 7 at row 2 is outside the vocabulary of 7 tokens/);
  });

  it("float32 forward agrees with float64", () => {
    const { logits, targets } = setup(7);
    const x = roundedToFloat32(logits);
    const probs32 = new Float32Array(N * V),
      losses32 = new Float32Array(N);
    softmaxForward(probs32, x.f32, N, V);
    crossEntropyForward(losses32, probs32, targets, N, V);
    const f64 = forward(x.f64, targets);
    expect(maxRelativeDifference(probs32, f64.probs)).toBeLessThan(1e-5);
    expect(maxRelativeDifference(losses32, f64.losses)).toBeLessThan(1e-5);
  });
});
