/**
 * `npm run bench -- small`: the training step of the `small` preset (nanoGPT's shakespeare_char
 * model: 6 layers, 6 heads, 384 wide, block 256, batch 8) on the engine's fastest kernels, next to
 * the PyTorch reference on 2 threads, as a ratio. Random tokens, V = 65 on both sides.
 */
import { presetConfig } from "../../src/model/config.ts";
import { countParams } from "../../src/model/params.ts";
import type { Kernels } from "../../src/tensor/kernels.ts";
import { fmt, loadLine, runReference, type Spread } from "./stats.ts";
import { BATCH, engineStepTime } from "./train-step.ts";

/** untimed steps on both sides (a small step takes seconds) */
const SMALL_WARMUP = 2;

/** `runs` timed steps on each side, after SMALL_WARMUP untimed ones. */
export function benchSmall(kernels: Kernels, runs = 5): void {
  const config = presetConfig("small", 65);
  const tokens = BATCH.small * config.blockSize;
  const millions = (countParams(config) / 1e6).toFixed(2);
  console.log(
    `\n## training step, small (${millions} M parameters, batch ${BATCH.small}, block ${config.blockSize}, ${tokens} tokens/step; median (min, max) of ${runs})`,
  );
  console.log(loadLine());

  const ref = runReference(
    ["bench", "--config", "small", "--threads", "2", "--warmup", String(SMALL_WARMUP), "--iters", String(runs)],
    900,
  );
  const refMs = "json" in ref ? (ref.json.train_ms_per_iter as Spread) : null;
  if (refMs)
    console.log(`pytorch reference (2 threads): ${fmt(refMs, 0)} ms/step, ${((tokens / refMs.median) * 1000).toFixed(0)} tokens/s`);
  else console.log(`pytorch reference: skipped (${(ref as { skipped: string }).skipped})`);

  const ms = engineStepTime("small", kernels, runs, SMALL_WARMUP);
  console.log(`engine [${kernels.name}]: ${fmt(ms, 0)} ms/step, ${((tokens / ms.median) * 1000).toFixed(0)} tokens/s`);
  if (refMs) {
    const ratio = ms.median / refMs.median;
    console.log(
      `engine / reference step time: ${ratio.toFixed(2)}× (the engine runs at ${(1 / ratio).toFixed(2)}× the reference's tokens/s)`,
    );
  }
}
