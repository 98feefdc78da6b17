/**
 * A training run the way the bot runs one, in a process of its own so its memory is its own:
 * the default model loaded, a TrainingService training `baby` in a worker thread on the shipped
 * corpus (loss points and checkpoints into a fresh SQLite store), and the foreground doing what
 * users ask meanwhile — a /predict every 200 ms. Prints one JSON line:
 *   { delay: {p50, p99, max} ms, predict: {min, median, max} ms, steps, tokensPerSecond, seconds, maxRssMiB }
 *
 *   npx tsx scripts/bench/training-run.ts [seconds=30]
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { readCorpus, SHIPPED_CORPUS_DIR, splitDocuments } from "../../src/app/corpus.ts";
import { fastestKernels } from "../../src/app/kernels.ts";
import { ModelRegistry } from "../../src/app/model-registry.ts";
import { predictNext } from "../../src/app/predict.ts";
import { TrainingService } from "../../src/app/training-service.ts";
import { openStore } from "../../src/store/index.ts";
import { spread } from "./stats.ts";

const seconds = Number(process.argv[2] ?? 30);
const store = openStore(path.join(mkdtempSync(path.join(tmpdir(), "minigpt-bench-")), "bot.db"));
const registry = new ModelRegistry({ models: store.models, kernels: fastestKernels() });
const handle = await registry.defaultModel();
const training = new TrainingService({ store, registry, overrides: { evalInterval: 100 } });

// 1. the training, as /train starts it
const run = training.begin("bench", { preset: "baby", minutes: seconds / 60 });
run.train(splitDocuments(readCorpus(SHIPPED_CORPUS_DIR)));

// 2. the foreground: /predict every 200 ms, and the event loop's delay all along
const histogram = monitorEventLoopDelay({ resolution: 10 });
histogram.enable();
const predictMs: number[] = [];
const timer = setInterval(() => {
  const t0 = performance.now();
  predictNext(handle, "The model reads the text and", { k: 10 });
  predictMs.push(performance.now() - t0);
}, 200);

const outcome = await run.done;
clearInterval(timer);
histogram.disable();
// the histogram records each interval between its 10 ms ticks: the delay is what exceeds 10 ms
const ms = (ns: number) => Math.max(0, Math.round((ns - 10e6) / 1e4) / 100);
console.log(JSON.stringify({
  status: outcome.status,
  error: outcome.error,
  delay: { p50: ms(histogram.percentile(50)), p99: ms(histogram.percentile(99)), max: ms(histogram.max) },
  predict: spread(predictMs),
  steps: outcome.step,
  tokensPerSecond: Math.round(outcome.tokensPerSecond),
  seconds: outcome.seconds,
  maxRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
}));
store.close();
