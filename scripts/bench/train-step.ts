/** Training step time of the engine for a preset, next to the PyTorch reference. */
import { GPT } from "../../src/model/gpt.ts";
import { presetConfig, type PresetName } from "../../src/model/config.ts";
import { type Kernels, referenceKernels } from "../../src/tensor/kernels.ts";
import { seededRandom } from "../../src/tensor/random.ts";
import { paramSpecs } from "../../src/model/params.ts";
import { AdamW, clipGradNorm, DEFAULT_ADAMW } from "../../src/train/adamw.ts";
import { fmt, loadLine, runReference, type Spread, spread, timeRuns } from "./stats.ts";

/** The batch of each preset's step, as the reference's configs have it. */
export const BATCH: Record<PresetName, number> = { tiny: 4, baby: 12, small: 8 };

/**
 * The parts of one full training step on random tokens, V = 65 like shakespeare_char, in order:
 * forward, backward (with clearing the gradients), clip, AdamW. AdamW runs on the model's kernels,
 * as the trainer sets it up (its moments then live where the parameters do).
 */
export function stepParts(preset: PresetName, kernels: Kernels): Array<[name: string, run: () => void]> {
  const config = presetConfig(preset, 65);
  const model = new GPT(config, { kernels }).init(seededRandom(1));
  const opt = new AdamW(paramSpecs(config), model.params.length, DEFAULT_ADAMW, model.kernels);
  const B = BATCH[preset],
    T = config.blockSize;
  const rng = seededRandom(2);
  const ids = Int32Array.from({ length: B * T }, () => rng.int(65));
  const targets = Int32Array.from({ length: B * T }, () => rng.int(65));
  return [
    ["forward", () => model.forward(ids, B, T, targets)],
    [
      "backward (with clearing the gradients)",
      () => {
        model.zeroGrad();
        model.backward();
      },
    ],
    ["clip", () => clipGradNorm(model.grads, 1, model.kernels)],
    ["AdamW", () => opt.step(model.params, model.grads, 1e-3)],
  ];
}

/**
 * Untimed steps before the timed ones, on both sides: the reference's bench default (10), given
 * to it explicitly. A fresh model's first steps are slower (its memory is new; V8 re-optimises
 * for it): with one warm-up step instead of ten the engine's median of 10 steps came out
 * 87–92 ms where 20 steps after three warm-ups gave 75–86 ms, in the same process.
 */
export const WARMUP_STEPS = 10;

/** ms per full training step (stepParts), `runs` timed steps after `warmup` untimed ones */
export function engineStepTime(preset: PresetName, kernels: Kernels, runs: number, warmup = WARMUP_STEPS): Spread {
  const parts = stepParts(preset, kernels);
  return timeRuns(
    () => {
      for (const [, run] of parts) run();
    },
    runs,
    warmup,
  );
}

/** rounds of (reference, engine) for the kernels a training uses: the host's load comes and goes */
const ROUNDS = 3;

/**
 * The first kernel set (what a training uses) and the reference take turns for ROUNDS rounds,
 * each of 20 reference iterations and 10 engine steps (both after WARMUP_STEPS untimed ones), so
 * a burst of load from elsewhere falls on both; the ratio is between the medians of the rounds'
 * medians. The other kernel sets run `runs` steps once, against the same reference median.
 */
export function benchTrainStep(preset: PresetName, kernelSets: Kernels[], runs: number): void {
  const config = presetConfig(preset, 65);
  const tokens = BATCH[preset] * config.blockSize;
  console.log(`\n## training step, ${preset} (batch ${BATCH[preset]}, block ${config.blockSize}, ${tokens} tokens/step)`);
  const [training, ...others] = kernelSets;
  const refMedians: number[] = [];
  const engineMedians: number[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const ref = runReference(["bench", "--config", preset, "--threads", "2", "--warmup", String(WARMUP_STEPS), "--iters", "20"], 600);
    const refMs = "json" in ref ? (ref.json.train_ms_per_iter as Spread) : null;
    const ms = engineStepTime(preset, training, 10);
    engineMedians.push(ms.median);
    if (refMs) refMedians.push(refMs.median);
    console.log(
      `round ${round} (${loadLine()}): ` +
        (refMs
          ? `pytorch reference (2 threads) ${fmt(refMs)} ms/step; `
          : `pytorch reference: skipped (${(ref as { skipped: string }).skipped}); `) +
        `engine [${training.name}] ${fmt(ms)} ms/step` +
        (refMs ? `: ${(refMs.median / ms.median).toFixed(3)}×` : ""),
    );
  }
  const refMedian = refMedians.length === ROUNDS ? spread(refMedians).median : null;
  const engineMedian = spread(engineMedians).median;
  if (refMedian !== null)
    console.log(
      `pytorch reference: ${refMedian.toFixed(1)} ms/step, ${((tokens / refMedian) * 1000).toFixed(0)} tokens/s (median of the rounds' medians)`,
    );
  const line = (name: string, ms: number, detail = "") =>
    console.log(
      `engine [${name}]: ${ms.toFixed(1)} ms/step${detail}, ${((tokens / ms) * 1000).toFixed(0)} tokens/s` +
        (refMedian !== null ? `, ${(refMedian / ms).toFixed(3)}× the reference's tokens/s` : ""),
    );
  line(training.name, engineMedian, " (median of the rounds' medians)");
  for (const kernels of others) {
    // the TypeScript kernels take seconds a step: one warm-up step
    const ms = engineStepTime(preset, kernels, runs, kernels === referenceKernels ? 1 : WARMUP_STEPS);
    line(kernels.name, ms.median, ` (min ${ms.min.toFixed(1)}, max ${ms.max.toFixed(1)})`);
  }
}
