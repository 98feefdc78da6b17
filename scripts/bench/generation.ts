/** Next-token latency and generation speed (KV cache vs full passes), next to the PyTorch reference. */
import { GPT } from "../../src/model/gpt.ts";
import { KVCachedModel } from "../../src/model/kv-cache.ts";
import { presetConfig } from "../../src/model/config.ts";
import type { Kernels } from "../../src/tensor/kernels.ts";
import { seededRandom } from "../../src/tensor/random.ts";
import { generate, modelLogitSource, type LogitSource } from "../../src/sample/generate.ts";
import { DEFAULT_SAMPLING } from "../../src/sample/sampling.ts";
import { fmt, runReference, type Spread, spread, timeRuns } from "./stats.ts";

function tokensPerSecond(source: LogitSource, tokens: number, runs: number): Spread {
  const options = { ...DEFAULT_SAMPLING, temperature: 1, maxTokens: tokens, seed: 1, repetitionWindow: 64, candidatesPerStep: 1 };
  const rates: number[] = [];
  for (let r = 0; r < runs + 1; r++) {
    const t0 = performance.now();
    generate(source, [0], options);
    if (r > 0) rates.push(tokens / ((performance.now() - t0) / 1000));
  }
  return spread(rates);
}

export function benchGeneration(kernels: Kernels): void {
  console.log("\n## generation, baby (V = 65, 64-token context)");
  const model = new GPT(presetConfig("baby", 65), { kernels }).init(seededRandom(1));
  const rng = seededRandom(2);
  const context = Int32Array.from({ length: 64 }, () => rng.int(65));
  const ref = runReference(["bench", "--config", "baby", "--threads", "2", "--iters", "3", "--infer", "--gen-tokens", "200"], 600);
  const refLatency = "json" in ref ? (ref.json.next_token_ms_full_context as Spread) : null;
  const refRate = "json" in ref ? (ref.json.generate_tokens_per_s as Spread) : null;
  if (refLatency && refRate)
    console.log(`pytorch reference: next token ${fmt(refLatency, 2)} ms; generation ${fmt(refRate, 0)} tokens/s (no KV cache)`);
  else console.log(`pytorch reference: skipped (${(ref as { skipped: string }).skipped})`);

  const full = modelLogitSource(model);
  const fullLatency = timeRuns(() => full.nextLogits(context), 20, 3);
  const cached = new KVCachedModel(model);
  const prefix = context.subarray(0, 63);
  // latency of the 64th token with the first 63 cached (the steady state of generation)
  const steps: number[] = [];
  for (let i = 0; i < 50; i++) {
    cached.nextLogits(prefix);
    const t0 = performance.now();
    cached.nextLogits(context);
    steps.push(performance.now() - t0);
  }
  const kvLatency = spread(steps);
  const ratio = (s: Spread) => (refLatency ? `, ${(refLatency.median / s.median).toFixed(1)}× faster than the reference` : "");
  console.log(`engine [${kernels.name}] next token, full pass: ${fmt(fullLatency, 2)} ms${ratio(fullLatency)}`);
  console.log(`engine [${kernels.name}] next token, KV cache:  ${fmt(kvLatency, 3)} ms${ratio(kvLatency)}`);
  const kvRate = tokensPerSecond(new KVCachedModel(model), 200, 3);
  const rateRatio = refRate ? `, ${(kvRate.median / refRate.median).toFixed(1)}× the reference` : "";
  console.log(`engine [${kernels.name}] generation with KV cache (200 tokens from 1): ${fmt(kvRate, 0)} tokens/s${rateRatio}`);
}
