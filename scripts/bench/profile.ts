/**
 * `npm run bench -- profile`: where the time of a baby training step goes, kernel by kernel.
 * Every method of the kernels is wrapped in a timer (a few µs each, ~80 calls a step); the step's
 * four phases are timed too. What no kernel accounts for is the JavaScript between them
 * (cross-entropy and the mean loss, the loops of the model and the optimizer themselves).
 */
import type { Kernels } from "../../src/tensor/kernels.ts";
import { loadLine } from "./stats.ts";
import { stepParts } from "./train-step.ts";

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
  console.log(`\n## profile: one baby step on [${kernels.name}], mean of ${steps} steps after 5 (ms)`);
  console.log(loadLine());
  const spent = new Map<string, number>();
  const parts = stepParts("baby", timed(kernels, spent));
  const phases = new Map<string, number>();
  for (let i = 0; i < steps + 5; i++) {
    if (i === 5) {
      spent.clear();
      phases.clear();
    }
    for (const [name, run] of parts) {
      const started = performance.now();
      run();
      phases.set(name, (phases.get(name) ?? 0) + performance.now() - started);
    }
  }
  const perStep = (ms: number) => (ms / steps).toFixed(2).padStart(7);
  let total = 0;
  for (const ms of phases.values()) total += ms;
  console.log(`step${perStep(total)}`);
  for (const [name, ms] of phases) console.log(`  ${name.padEnd(40)}${perStep(ms)}`);
  let inKernels = 0;
  for (const [name, ms] of [...spent].sort((a, b) => b[1] - a[1])) {
    inKernels += ms;
    console.log(`  kernel ${name.padEnd(33)}${perStep(ms)}  ${((100 * ms) / total).toFixed(1).padStart(5)} %`);
  }
  console.log(
    `  outside the kernels${" ".repeat(20)}${perStep(total - inKernels)}  ${((100 * (total - inKernels)) / total).toFixed(1).padStart(5)} %`,
  );
}
