/**
 * `npm run bench -- gpt2`: GPT-2 small's shapes (124,439,808 parameters: 12 layers × 12 heads,
 * 768 wide, 50,257 tokens, 1,024 positions), random weights, beside the PyTorch reference's
 * `gpt2` config in the same run (both on two threads):
 *
 *   load        a Hugging Face folder through loadModelFile, in a fresh process: seconds, peak RSS
 *   next token  the logits after a 128-token context by a full pass (the reference: the same)
 *   generation  20 tokens after that context, with the KV cache (the reference: full passes)
 *   fine-tune   one training step at 4 × 128: forward, backward, clipping, AdamW
 *
 * The goals: generation ≥ 10× the reference's tokens/s, a fine-tuning step ≥ 1.0× its
 * tokens/s.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { loadModelFile } from "../../src/app/load-model.ts";
import type { GPT } from "../../src/model/gpt.ts";
import { KVCachedModel } from "../../src/model/kv-cache.ts";
import { generate } from "../../src/sample/generate.ts";
import { DEFAULT_SAMPLING } from "../../src/sample/sampling.ts";
import type { Kernels } from "../../src/tensor/kernels.ts";
import { seededRandom } from "../../src/tensor/random.ts";
import { AdamW, clipGradNorm, DEFAULT_ADAMW } from "../../src/train/adamw.ts";
import { paramSpecs } from "../../src/model/params.ts";
import { writeModel } from "./import-memory.ts";
import { fmt, loadLine, runChild, runReference, type Spread, spread, timeRuns } from "./stats.ts";

const B = 4;
const T = 128;
const GEN_TOKENS = 20;

export async function benchGpt2(kernels: Kernels, runs = 3): Promise<void> {
  console.log(`\n## GPT-2 small's shapes (random weights; fine-tuning batch ${B} × ${T}; median (min, max) of ${runs})`);
  console.log(loadLine());
  const dir = mkdtempSync(path.join(tmpdir(), "bench-gpt2-"));
  try {
    writeModel(dir);
    // 1. load, in a fresh process (its peak RSS is the load's own)
    const load = runChild(new URL("./import-memory.ts", import.meta.url).href, ["child", "load", dir], 600);
    if ("json" in load) console.log(`load: ${load.json.seconds.toFixed(1)} s, peak RSS ${load.json.maxRssMiB.toFixed(0)} MiB`);
    else console.log(`load: failed (${load.failed})`);

    // 2. the reference, on the same shapes
    const ref = runReference(
      [
        "bench",
        "--config",
        "gpt2",
        "--threads",
        "2",
        "--iters",
        String(runs),
        "--warmup",
        "1",
        "--infer",
        "--gen-tokens",
        String(GEN_TOKENS),
      ],
      3600,
    );
    const r = "json" in ref ? ref.json : null;
    if (r)
      console.log(
        `pytorch reference (2 threads): step ${fmt(r.train_ms_per_iter, 0)} ms (${r.train_tokens_per_s.toFixed(0)} tokens/s); next token ${fmt(r.next_token_ms_full_context, 0)} ms; generation ${fmt(r.generate_tokens_per_s, 2)} tokens/s (no KV cache)`,
      );
    else console.log(`pytorch reference: skipped (${(ref as { skipped: string }).skipped})`);

    // 3. the engine: the same three figures
    const handle = await loadModelFile(dir, "gpt2-shaped", kernels);
    const model = handle.model;
    const V = model.config.vocabSize;
    const rng = seededRandom(1);
    const context = Int32Array.from({ length: T }, () => rng.int(V));
    const next = timeRuns(() => model.forward(context, 1, T), runs, 1);
    const cached = new KVCachedModel(model);
    const sampling = { ...DEFAULT_SAMPLING, maxTokens: GEN_TOKENS, seed: 1, repetitionWindow: 64, candidatesPerStep: 1 };
    const rates: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      generate(cached, Array.from(context), sampling);
      rates.push(GEN_TOKENS / ((performance.now() - t0) / 1000));
    }
    const generation = spread(rates);
    const step = fineTuneStepTime(model, kernels, runs);
    console.log(
      `engine [${kernels.name}]: step ${fmt(step, 0)} ms (${((B * T) / (step.median / 1000)).toFixed(0)} tokens/s); next token ${fmt(next, 0)} ms; generation ${fmt(generation, 2)} tokens/s (KV cache)`,
    );
    if (r) {
      const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
      console.log(
        `engine / reference: fine-tuning tokens/s ${ratio(r.train_ms_per_iter.median, step.median)} (goal ≥ 1.0×); next token ${ratio(r.next_token_ms_full_context.median, next.median)} as fast; generation ${ratio(generation.median, r.generate_tokens_per_s.median)} the tokens/s (goal ≥ 10×)`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** ms of one B × T training step of `model` (random tokens), after one untimed step. */
function fineTuneStepTime(model: GPT, kernels: Kernels, runs: number): Spread {
  const V = model.config.vocabSize;
  const rng = seededRandom(2);
  const ids = Int32Array.from({ length: B * T }, () => rng.int(V));
  const targets = Int32Array.from({ length: B * T }, () => rng.int(V));
  const optimizer = new AdamW(paramSpecs(model.config), model.params.length, DEFAULT_ADAMW, kernels);
  return timeRuns(
    () => {
      model.forward(ids, B, T, targets);
      model.zeroGrad();
      model.backward();
      clipGradNorm(model.grads, 1, model.kernels);
      optimizer.step(model.params, model.grads, 1e-4);
    },
    runs,
    1,
  );
}
