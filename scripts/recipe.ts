/**
 * `npm run recipe`: nanoGPT's CPU recipe on tinyshakespeare (character-level), for the engine
 * and — with --reference — the PyTorch reference in the same run.
 *   baby preset (4 layers, 4 heads, 128 dims, block 64), batch 12, lr 1e-3 → 1e-4,
 *   100 warmup steps, 2000 iterations, no dropout; 90/10 split of the raw text.
 * Val loss: the mean over every non-overlapping 64-token window of the held-out 10 %
 * (1,742 windows = 146 batches of 12).
 *   npm run recipe [-- --iters N] [-- --reference] [-- --kernels typescript]
 */
import { existsSync, readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { GPT } from "../src/model/gpt.ts";
import { presetConfig } from "../src/model/config.ts";
import { seededRandom } from "../src/tensor/random.ts";
import { trainCharTokenizer } from "../src/tokenizer/char.ts";
import { splitTrainVal } from "../src/train/loader.ts";
import { DEFAULT_TRAIN, evaluateAllWindows, train } from "../src/train/trainer.ts";
import { trainingKernels } from "../src/app/kernels.ts";
import { referenceKernels } from "../src/tensor/kernels.ts";
import { runReference, shakespearePath } from "./bench/stats.ts";

const { values } = parseArgs({ options: { iters: { type: "string" }, reference: { type: "boolean" }, kernels: { type: "string" } } });
if (!existsSync(shakespearePath)) {
  console.log(`skipped: ${shakespearePath} is absent`);
  process.exit(0);
}
const iters = Number(values.iters ?? 2000);
// what a training uses: both cores when the machine has two (MINIGPT_THREADS=1: one)
const kernels = values.kernels === "typescript" ? referenceKernels : trainingKernels();
const text = readFileSync(shakespearePath, "utf8");
const tokenizer = trainCharTokenizer(text);
const tokens = Int32Array.from(tokenizer.encode(text).ids);
const split = splitTrainVal(tokens);
const config = presetConfig("baby", tokenizer.vocabSize);
const model = new GPT(config, { kernels }).init(seededRandom(1337));
console.log(`engine [${kernels.name}]: baby on tinyshakespeare, ${tokens.length} tokens, vocab ${tokenizer.vocabSize}, ${iters} iterations`);

const started = performance.now();
const result = train(model, split, {
  ...DEFAULT_TRAIN, batchSize: 12, blockSize: 64, steps: iters, maxLr: 1e-3, minLr: 1e-4, warmupSteps: 100,
  evalInterval: 250, evalBatches: 20, seed: 1337,
}, {
  onEval: (p) => console.log(`  step ${p.step}: train ${p.trainLoss.toFixed(4)}, val (20 batches) ${p.valLoss!.toFixed(4)}, ${Math.round(p.tokensPerSecond)} tok/s, ${p.elapsedSeconds.toFixed(0)} s`),
});
const trainSeconds = (performance.now() - started) / 1000;
const valLoss = evaluateAllWindows(model, split.val, 12, 64);
const windows = Math.floor((split.val.length - 1) / 64);
console.log(`engine: val loss ${valLoss.toFixed(4)} over all ${windows} held-out windows (${Math.ceil(windows / 12)} batches of 12); ` +
  `training wall time ${trainSeconds.toFixed(1)} s (${result.tokensPerSecond.toFixed(0)} tokens/s)`);

if (values.reference) {
  const ref = runReference(["train", "--data", shakespearePath, "--config", "baby", "--iters", String(iters)], 3600);
  if ("json" in ref) {
    console.log(`pytorch reference: val loss ${ref.json.val_loss} (mean of its 20 eval batches), training ${ref.json.train_seconds} s`);
    console.log(`wall-time ratio engine/reference: ${(trainSeconds / ref.json.train_seconds).toFixed(2)}`);
  } else console.log(`pytorch reference: skipped (${ref.skipped})`);
}
