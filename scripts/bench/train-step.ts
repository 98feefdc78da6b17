/** Training step time of the engine for a preset, next to the PyTorch reference. */
import { GPT } from "../../src/model/gpt.ts";
import { presetConfig, type PresetName } from "../../src/model/config.ts";
import type { Kernels } from "../../src/tensor/kernels.ts";
import { seededRandom } from "../../src/tensor/random.ts";
import { paramSpecs } from "../../src/model/params.ts";
import { AdamW, clipGradNorm, DEFAULT_ADAMW } from "../../src/train/adamw.ts";
import { fmt, runReference, type Spread, timeRuns } from "./stats.ts";

/** The batch of each preset's step, as the reference's configs have it. */
export const BATCH: Record<PresetName, number> = { tiny: 4, baby: 12, small: 8 };

/**
 * ms per full training step (forward, backward, clip, AdamW) on random tokens, V = 65 like
 * shakespeare_char; `runs` timed steps after `warmup` untimed ones. AdamW runs on the model's
 * kernels, as the trainer sets it up (its moments then live where the parameters do).
 */
export function engineStepTime(preset: PresetName, kernels: Kernels, runs: number, warmup = 1): Spread {
  const config = presetConfig(preset, 65);
  const model = new GPT(config, { kernels }).init(seededRandom(1));
  const opt = new AdamW(paramSpecs(config), model.params.length, DEFAULT_ADAMW, model.kernels);
  const B = BATCH[preset], T = config.blockSize;
  const rng = seededRandom(2);
  const ids = Int32Array.from({ length: B * T }, () => rng.int(65));
  const targets = Int32Array.from({ length: B * T }, () => rng.int(65));
  return timeRuns(() => {
    model.forward(ids, B, T, targets);
    model.zeroGrad();
    model.backward();
    clipGradNorm(model.grads, 1, model.kernels);
    opt.step(model.params, model.grads, 1e-3);
  }, runs, warmup);
}

export function benchTrainStep(preset: PresetName, kernelSets: Kernels[], runs: number): void {
  const config = presetConfig(preset, 65);
  const tokens = BATCH[preset] * config.blockSize;
  console.log(`\n## training step, ${preset} (batch ${BATCH[preset]}, block ${config.blockSize}, ${tokens} tokens/step)`);
  const ref = runReference(["bench", "--config", preset, "--threads", "2", "--iters", "20"], 600);
  const refMs = "json" in ref ? (ref.json.train_ms_per_iter as Spread) : null;
  if (refMs) console.log(`pytorch reference (2 threads): ${fmt(refMs)} ms/step, ${(tokens / refMs.median * 1000).toFixed(0)} tokens/s`);
  else console.log(`pytorch reference: skipped (${(ref as { skipped: string }).skipped})`);
  for (const kernels of kernelSets) {
    const ms = engineStepTime(preset, kernels, runs);
    const ratio = refMs ? `, ${(refMs.median / ms.median).toFixed(3)}× the reference's tokens/s` : "";
    console.log(`engine [${kernels.name}]: ${fmt(ms)} ms/step, ${(tokens / ms.median * 1000).toFixed(0)} tokens/s${ratio}`);
  }
}
