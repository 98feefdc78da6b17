/**
 * `npm run bench -- offthread`: how long a /predict, a /generate, a /neurons and an /explain
 * neural-network on a GPT-2-small-shaped model (124,439,808 parameters, random weights, the
 * Hugging Face layout) hold the event loop, with the model's forward passes on the main thread
 * and with the model hosted (src/app/hosted-model.ts: the passes in its host thread). Per reply:
 * its latency and the longest stall of the event loop while it ran (a 1 ms timer's largest
 * lateness), median (min, max) of `runs`. (Peak RSS of a hosted model alone: import-memory.ts.)
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createHeavyQueue } from "../../src/app/heavy-queue.ts";
import { fastestKernels } from "../../src/app/kernels.ts";
import { loadModelFile } from "../../src/app/load-model.ts";
import type { ModelHandle } from "../../src/app/model-handle.ts";
import { loadHostedModel } from "../../src/app/hosted-model.ts";
import { explainReply } from "../../src/app/replies/explain.ts";
import { neuronsReply } from "../../src/app/replies/neurons.ts";
import { generateReply } from "../../src/app/replies/generate.ts";
import { predictReply } from "../../src/app/replies/predict.ts";
import type { PendingReply, ReplyContext } from "../../src/app/reply.ts";
import { writeModel } from "./import-memory.ts";
import { fmt, loadLine, spread } from "./stats.ts";

/** Runs the reply while a 1 ms timer measures its lateness: the reply's ms and the longest stall's ms. */
async function stallOf(pending: PendingReply): Promise<{ ms: number; stall: number }> {
  let last = performance.now();
  let stall = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    stall = Math.max(stall, now - last - 1);
    last = now;
  }, 1);
  const started = performance.now();
  await pending();
  const ms = performance.now() - started;
  // one more tick: a stall at the very end counts too
  await new Promise((r) => setTimeout(r, 2));
  clearInterval(timer);
  return { ms, stall };
}

async function measure(label: string, handle: ModelHandle, runs: number): Promise<void> {
  const rc: ReplyContext = { handle, lang: "en", heavy: createHeavyQueue(), redactor: null };
  const cases: [string, () => PendingReply][] = [
    ["/predict", () => predictReply(rc, { text: "The capital of France is a city that people visit in the spring" })],
    ["/generate 20", () => generateReply(rc, { prompt: "Once upon a time", tokens: 20, seed: 1 })],
    ["/neurons", () => neuronsReply(rc, { text: "The capital of France is a city that people visit in the spring" })],
    ["/explain nn", () => explainReply(rc, { topic: "neural-network", language: "en" })],
  ];
  for (const [name, make] of cases) {
    await stallOf(make()); // warm-up
    const results: { ms: number; stall: number }[] = [];
    // each reply is made inside the timed window: /predict's pass on the main thread happens when the reply is made
    for (let i = 0; i < runs; i++) results.push(await stallOf(() => make()()));
    console.log(
      `${label.padEnd(12)} ${name.padEnd(13)} reply ${fmt(spread(results.map((r) => r.ms)), 0)} ms · longest event-loop stall ${fmt(spread(results.map((r) => r.stall)), 0)} ms`,
    );
  }
}

export async function benchOffthread(runs = 3): Promise<void> {
  console.log(`\n## the event loop during /predict, /generate, /neurons, /explain on GPT-2 small's shapes (median (min, max) of ${runs})`);
  console.log(loadLine());
  const dir = mkdtempSync(path.join(tmpdir(), "bench-offthread-"));
  try {
    writeModel(dir);
    const handle = await loadModelFile(dir, "gpt2-shaped", fastestKernels());
    await measure("main thread", handle, runs);
    const hosted = await loadHostedModel(dir, "gpt2-shaped", fastestKernels());
    await measure("hosted", hosted, runs);
    await hosted.host.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
