/**
 * The training worker lowers its own thread's priority (so a training yields the CPU to the bot's
 * event loop), and only its own: the bot's main thread keeps its priority.
 */
import { existsSync } from "node:fs";
import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { TRAINING_NICE } from "../../src/app/background-priority.ts";

const linux = process.platform === "linux" && existsSync("/proc/thread-self");

describe.skipIf(!linux)("a lowered thread (Linux: per-thread nice values; skipped elsewhere)", () => {
  it("runs at TRAINING_NICE while the process's main thread keeps its own", async () => {
    const worker = new Worker(new URL("../../src/app/worker-boot.mjs", import.meta.url), {
      workerData: { entry: new URL("./fixtures/lowered-thread.ts", import.meta.url).href },
    });
    const seen = await new Promise<{ lowered: boolean; thread: number; process: number }>((resolve, reject) => {
      worker.once("message", resolve);
      worker.once("error", reject);
    });
    await worker.terminate();
    expect(seen.lowered).toBe(true);
    expect(seen.thread).toBe(TRAINING_NICE);
    expect(seen.process).toBeLessThan(TRAINING_NICE);
  });
});
