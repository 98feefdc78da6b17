/**
 * `npm run bench -- profile`: where the time of a baby training step goes, kernel by kernel.
 * Every method of the kernels is wrapped in a timer (a few µs each, ~80 calls a step); the step's
 * four phases are timed too. What no kernel accounts for is the JavaScript between them
 * (embedding, softmax and cross-entropy, the loops of the model itself).
 */
import { GPT } from "../../src/model/gpt.ts";
import { presetConfig } from "../../src/model/config.ts";
import { paramSpecs } from "../../src/model/params.ts";
import type { Kernels } from "../../src/tensor/kernels.ts";
import { seededRandom } from "../../src/tensor/random.ts";
import { AdamW, clipGradNorm, DEFAULT_ADAMW } from "../../src/train/adamw.ts";
import { loadLine } from "./stats.ts";
import { BATCH } from "./train-step.ts";

/** The same kernels, each method adding its time (ms) to `spent` under its name. */
function timed(kernels: Kernels, spent: Map<string, number>): Kernels {
  const wrapped: Record<string, unknown> = { ...kernels };
  for (const [name, value] of Object.entries(kernels)) {
    if (typeof value !== "function" || name === "alloc") continue;
    wrapped[name] = (...args: unknown[]) => {
      const started = performance.now();
      const result = (value as (...a: unknown[]) => unknown).apply(kernels, args);
      spent.set(name, (spent.get(name) ?? 0) + performance.now() - started);
      return result;
    };
  }
  return wrapped as unknown as Kernels;
}

export function benchProfile(kernels: Kernels, steps = 30): void {
  const config = presetConfig("baby", 65);
  const B = BATCH.baby, T = config.blockSize;
  console.log(`\n## profile: one baby step on [${kernels.name}], mean of ${steps} steps after 5 (ms)`);
  console.log(loadLine());
  const spent = new Map<string, number>();
  const model = new GPT(config, { kernels: timed(kernels, spent) }).init(seededRandom(1));
  const optimizer = new AdamW(paramSpecs(config), model.params.length, DEFAULT_ADAMW, model.kernels);
  const rng = seededRandom(2);
  const ids = Int32Array.from({ length: B * T }, () => rng.int(65));
  const targets = Int32Array.from({ length: B * T }, () => rng.int(65));
  const phases = new Map<string, number>();
  const phase = (name: string, fn: () => void) => {
    const started = performance.now();
    fn();
    phases.set(name, (phases.get(name) ?? 0) + performance.now() - started);
  };
  for (let i = 0; i < steps + 5; i++) {
    if (i === 5) {
      spent.clear();
      phases.clear();
    }
    phase("forward", () => model.forward(ids, B, T, targets));
    phase("backward (with clearing the gradients)", () => {
      model.zeroGrad();
      model.backward();
    });
    phase("clip", () => clipGradNorm(model.grads, 1, model.kernels));
    phase("AdamW", () => optimizer.step(model.params, model.grads, 1e-3));
  }
  const perStep = (ms: number) => (ms / steps).toFixed(2).padStart(7);
  let total = 0;
  for (const ms of phases.values()) total += ms;
  console.log(`step${perStep(total)}`);
  for (const [name, ms] of phases) console.log(`  ${name.padEnd(40)}${perStep(ms)}`);
  let inKernels = 0;
  for (const [name, ms] of [...spent].sort((a, b) => b[1] - a[1])) {
    inKernels += ms;
    console.log(`  kernel ${name.padEnd(33)}${perStep(ms)}  ${(100 * ms / total).toFixed(1).padStart(5)} %`);
  }
  console.log(`  outside the kernels${" ".repeat(20)}${perStep(total - inKernels)}  ${(100 * (total - inKernels) / total).toFixed(1).padStart(5)} %`);
}
