/**
 * `npm run bench -- responsiveness`: how the bot's event loop fares while a training runs
 * (goal: event-loop delay p99 under 20 ms).
 *
 * The measurement runs in a fresh process (this file, run as a program), set up the way the bot
 * is: a SQLite store, the model registry with the shipped default model loaded, and a
 * TrainingService that trains `baby` on the shipped corpus in a worker thread — so the main
 * thread does only what the bot's does: it receives progress reports and checkpoints, stores
 * loss points and checkpoints, and installs the model at the end. Meanwhile
 * `monitorEventLoopDelay({ resolution: 10 })` watches the main thread, in three phases:
 *   1. idle, before the training (the machine's baseline)
 *   2. the training alone (its first half)
 *   3. the training plus the bot's typical foreground work: a /predict every 200 ms (until it ends)
 *
 *   npx tsx scripts/bench.ts responsiveness            (the section)
 *   node --import tsx scripts/bench/responsiveness.ts 24   (one measurement, printed as JSON)
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type IntervalHistogram, monitorEventLoopDelay, performance } from "node:perf_hooks";
import { readCorpus, SHIPPED_CORPUS_DIR, splitDocuments } from "../../src/app/corpus.ts";
import { fastestKernels } from "../../src/app/kernels.ts";
import { ModelRegistry } from "../../src/app/model-registry.ts";
import { predictNext } from "../../src/app/predict.ts";
import { TrainingService } from "../../src/app/training-service.ts";
import { openAsyncStore } from "../../src/store/async-store.ts";
import { fmt, isEntryPoint, loadLine, MiB, runChild, type Spread, spread, timeRuns } from "./stats.ts";

/** the histogram's tick, ms: it records each interval between ticks, so the delay is what exceeds this */
const RESOLUTION_MS = 10;
const GOAL_P99_MS = 20;
const PREDICT_EVERY_MS = 200;
const IDLE_SECONDS = 3;
const PROMPT = "The model reads the text and";

interface Delay {
  p50: number;
  p99: number;
  max: number;
  samples: number;
  seconds: number;
}

/** a block of the event loop: how long, when (s since the training began), how much of it the loop was running code, and what it did meanwhile */
interface Stall {
  ms: number;
  at: number;
  busyMs: number;
  during: string;
}

interface Measurement {
  idle: Delay;
  training: Delay;
  withPredict: Delay;
  /** ms of one /predict before the training, back to back */
  predictIdle: Spread;
  /** during phase 3: the call itself, and from when it was due to its answer (waiting for the loop included) */
  predictCompute: Spread;
  predictResponse: Spread;
  predictCalls: number;
  status: string;
  error: string | null;
  steps: number;
  trainSeconds: number;
  tokensPerSecond: number;
  vocabSize: number | null;
  checkpoints: number;
  /** the longest blocks of the main thread while training (over 20 ms), with what it did meanwhile */
  stalls: Stall[];
  maxRssMiB: number;
}

// ---------------------------------------------------------------------------------------------
// the section (in the bench process)

export function benchResponsiveness(seconds = 24): void {
  console.log(
    `\n## responsiveness: the bot's event loop while it trains baby on data/corpus in a worker thread (${seconds} s; goal: p99 < ${GOAL_P99_MS} ms)`,
  );
  console.log(loadLine());
  const r = runChild(import.meta.url, [String(seconds)], seconds + 180);
  if ("failed" in r) {
    console.log(`failed: ${r.failed}`);
    return;
  }
  const m = r.json as Measurement;
  const row = (label: string, d: Delay) =>
    `  ${label.padEnd(46)} ${d.p50.toFixed(2).padStart(6)} ${d.p99.toFixed(2).padStart(7)} ${d.max.toFixed(1).padStart(7)}   ${String(d.samples).padStart(5)} ticks, ${d.seconds.toFixed(1)} s`;
  const verdict = (d: Delay) => (d.p99 < GOAL_P99_MS ? "under the goal" : "OVER the goal");
  console.log(`event-loop delay (ms beyond the ${RESOLUTION_MS} ms tick)          p50     p99     max`);
  console.log(row("idle, before the training", m.idle));
  console.log(`${row("training alone", m.training)}  — ${verdict(m.training)}`);
  console.log(`${row(`training + a /predict every ${PREDICT_EVERY_MS} ms`, m.withPredict)}  — ${verdict(m.withPredict)}`);
  const stalls = m.stalls.map((s) => `${s.ms} ms at ${s.at.toFixed(1)} s, ${s.busyMs} ms of it running code (${s.during})`);
  console.log(`longest stalls while training: ${stalls.length ? stalls.join("; ") : `none over ${GOAL_P99_MS} ms`}`);
  console.log(`/predict (default model, k = 10), before the training: ${fmt(m.predictIdle, 1)} ms`);
  console.log(
    `/predict during the training (${m.predictCalls} calls): ${fmt(m.predictCompute, 1)} ms to compute, ${fmt(m.predictResponse, 1)} ms from due to answered`,
  );
  if (m.error) console.log(`training error: ${m.error}`);
  console.log(
    `training: ${m.status}, ${m.steps} steps in ${m.trainSeconds.toFixed(1)} s, ${m.tokensPerSecond} tokens/s in its worker (V = ${m.vocabSize ?? "?"}), ${m.checkpoints} checkpoints stored`,
  );
  console.log(`peak RSS of the bot process meanwhile: ${m.maxRssMiB} MiB (default model loaded, store open, training in a worker)`);
}

// ---------------------------------------------------------------------------------------------
// the measurement (in a process of its own)

function delayOf(h: IntervalHistogram, seconds: number): Delay {
  const ms = (ns: number) => Math.max(0, ns / 1e6 - RESOLUTION_MS);
  const round = (x: number) => Math.round(x * 100) / 100;
  return { p50: round(ms(h.percentile(50))), p99: round(ms(h.percentile(99))), max: round(ms(h.max)), samples: h.count, seconds };
}

/** Watches the event loop from now until `until` settles. */
async function watch(until: Promise<unknown>): Promise<Delay> {
  const h = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  const t0 = performance.now();
  h.enable();
  await until;
  h.disable();
  return delayOf(h, (performance.now() - t0) / 1000);
}

/**
 * Notes every block of the event loop longer than the goal: how much of it the loop spent
 * running code (the rest: the thread waited for a core, or a late timer) and what was noted
 * meanwhile (the bot's hooks run synchronously, so that is the work that blocked it);
 * stop() gives the 3 longest.
 */
function watchStalls() {
  const started = performance.now();
  let notes: string[] = [];
  let previous = started;
  let previousElu = performance.eventLoopUtilization();
  const stalls: Stall[] = [];
  const timer = setInterval(() => {
    const now = performance.now();
    const elu = performance.eventLoopUtilization();
    const blocked = now - previous - RESOLUTION_MS;
    if (blocked > GOAL_P99_MS) {
      const busyMs = Math.round(performance.eventLoopUtilization(elu, previousElu).active);
      const during = notes.length ? [...new Set(notes)].join(", ") : "nothing noted";
      stalls.push({ ms: Math.round(blocked), at: Math.round((now - started) / 100) / 10, busyMs, during });
    }
    previous = now;
    previousElu = elu;
    notes = [];
  }, RESOLUTION_MS);
  return {
    note: (what: string) => {
      notes.push(what);
    },
    stop: () => {
      clearInterval(timer);
      return stalls.sort((a, b) => b.ms - a.ms).slice(0, 3);
    },
  };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function measure(seconds: number): Promise<Measurement> {
  const dir = mkdtempSync(path.join(tmpdir(), "minigpt-bench-"));
  const store = await openAsyncStore({ databasePath: path.join(dir, "bot.db") });
  try {
    const registry = new ModelRegistry({ models: store.models, kernels: fastestKernels() });
    const handle = await registry.defaultModel();
    const documents = splitDocuments(readCorpus(SHIPPED_CORPUS_DIR));
    const predictIdle = timeRuns(() => predictNext(handle, PROMPT, { k: 10 }), 20, 3);

    // 1. the baseline
    const idle = await watch(sleep(IDLE_SECONDS * 1000));

    // 2. the training, as /train starts it (a time budget; progress and checkpoints come to this thread)
    const stalls = watchStalls();
    const service = new TrainingService({ store, registry, onWarning: (message) => console.error(`warning: ${message}`) });
    const run = service.begin("bench", { preset: "baby", minutes: seconds / 60 });
    let checkpoints = 0;
    let last = run.lastCheckpoint;
    run.subscribe(() => {
      if (run.lastCheckpoint !== last) {
        checkpoints++;
        stalls.note(`checkpoint of step ${run.lastCheckpoint?.step} stored`);
      } else if (run.outcome) {
        stalls.note(`training ${run.outcome.status}, model installed`);
      } else {
        stalls.note(`progress report of step ${run.progress?.step}`);
      }
      last = run.lastCheckpoint;
    });
    await run.train(documents);
    const training = await watch(Promise.race([sleep((seconds / 2) * 1000), run.done]));

    // 3. the same training, with a /predict every 200 ms until it ends
    const compute: number[] = [];
    const response: number[] = [];
    let timer: NodeJS.Timeout | undefined;
    let stopped = false;
    const next = () => {
      const due = performance.now() + PREDICT_EVERY_MS;
      timer = setTimeout(() => {
        const t0 = performance.now();
        predictNext(handle, PROMPT, { k: 10 });
        const t1 = performance.now();
        stalls.note("/predict");
        compute.push(t1 - t0);
        response.push(t1 - due);
        if (!stopped) next();
      }, PREDICT_EVERY_MS);
    };
    next();
    const withPredict = await watch(run.done);
    stopped = true;
    clearTimeout(timer);

    const outcome = await run.done;
    const none: Spread = { min: NaN, median: NaN, max: NaN };
    return {
      idle,
      training,
      withPredict,
      predictIdle,
      predictCompute: compute.length ? spread(compute) : none,
      predictResponse: response.length ? spread(response) : none,
      predictCalls: compute.length,
      status: outcome.status,
      error: outcome.error,
      steps: outcome.step,
      trainSeconds: outcome.seconds,
      tokensPerSecond: Math.round(outcome.tokensPerSecond),
      vocabSize: outcome.summary?.vocabSize ?? null,
      checkpoints,
      stalls: stalls.stop(),
      maxRssMiB: Math.round((process.resourceUsage().maxRSS * 1024) / MiB),
    };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (isEntryPoint(import.meta.url)) {
  const seconds = Number(process.argv[2] ?? 24);
  console.log(JSON.stringify(await measure(seconds)));
}
