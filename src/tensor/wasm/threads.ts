/**
 * A second core for the WebAssembly kernels: one worker thread that instantiates the same
 * module over the same shared memory, so a kernel can hand it part of its work.
 *
 *   const helper = new KernelThread(module, memory);
 *   helper.post([["gemm", [...]]]);   // the worker starts on its part
 *   …                                 // this thread does the other part
 *   helper.wait();                    // both parts are in memory
 *
 * A job is one or more calls, run in order. The two threads meet through a small
 * SharedArrayBuffer whose slots ./thread-control.mjs names (shared with the worker): the job
 * numbers POSTED and DONE, the number of CALLS (−1: stop), the flags FAILED, NOT_STARTED,
 * WORKER_SLEEPS and POSTER_SLEEPS; then, from ARGS_OFFSET, float64s: for each call its
 * function's number, its argument count and its arguments (an i32 address or an f32 scale is
 * exact in a float64).
 *
 * Waiting: each side first spins on the job numbers for a while (SPIN_MS), then sleeps in
 * Atomics.wait, and is woken with Atomics.notify only when its flag says it sleeps. Waking a
 * sleeping thread took 0.1–0.3 ms on this project's 2-core VMs (a spinning one: a few µs), and a
 * baby training step posts about seventy jobs, most a fraction of a millisecond apart. Blocking
 * waits: meant for worker threads (the training runs in one), never the bot's main thread.
 */
import { Worker } from "node:worker_threads";
import { ARGS_OFFSET, CALLS, DONE, FAILED, NOT_STARTED, POSTED, POSTER_SLEEPS, WORKER_SLEEPS } from "./thread-control.mjs";

/** The exports a helper thread may run, by number. */
export const THREAD_FUNCTIONS = [
  "gemm",
  "attnForward",
  "attnBackward",
  "geluForward",
  "geluBackward",
  "zero",
  "layernormForward",
  "layernormBackward",
  "residualForward",
  "adamwUpdate",
  "sumSquares",
  "scale",
  "softmaxRows",
] as const;
export type ThreadFunction = (typeof THREAD_FUNCTIONS)[number];

/** one call to an export on the helper thread */
export type ThreadCall = readonly [fn: ThreadFunction, args: readonly number[]];

/** float64 slots for a job's calls (two gemms and their headers fit) */
const SLOTS = 48;
/**
 * how long a waiting side spins before it sleeps, by default: most gaps between a step's jobs
 * are shorter (a LayerNorm backward on one thread is ~0.2–0.4 ms). A/B on baby steps: 0.3 ms and
 * 2 ms both 6–8 % faster than sleeping at once; the shorter one wastes less of a core that the
 * bot's own thread may want.
 */
export const SPIN_MS = 0.5;
/** no kernel call takes anywhere near this long */
const SILENT_MS = 60_000;

export class KernelThread {
  private readonly ints: Int32Array;
  private readonly args: Float64Array;
  private readonly worker: Worker;
  private job = 0;
  private busy = false;

  /** `spinMs`: how long each side spins before it sleeps (0: sleeps at once) */
  constructor(
    module: WebAssembly.Module,
    memory: WebAssembly.Memory,
    private readonly spinMs = SPIN_MS,
  ) {
    const control = new SharedArrayBuffer(ARGS_OFFSET + 8 * SLOTS);
    this.ints = new Int32Array(control);
    this.args = new Float64Array(control, ARGS_OFFSET);
    this.worker = new Worker(new URL("./thread-worker.mjs", import.meta.url), {
      workerData: { module, memory, control, functions: THREAD_FUNCTIONS, spinMs },
    });
    // the process may end while the helper waits for work
    this.worker.unref();
  }

  /** Starts the calls, in order, on the helper thread; wait() before posting again or reading its output. */
  post(calls: readonly ThreadCall[]): void {
    const names = calls.map(([fn]) => fn).join(", ");
    if (this.busy) throw new Error(`KernelThread: post(${names}) while the previous job runs`);
    const slots = calls.reduce((sum, [, args]) => sum + 2 + args.length, 0);
    if (slots > SLOTS) throw new Error(`KernelThread: post(${names}) needs ${slots} slots, there are ${SLOTS}`);
    let at = 0;
    for (const [fn, args] of calls) {
      this.args[at++] = THREAD_FUNCTIONS.indexOf(fn);
      this.args[at++] = args.length;
      this.args.set(args, at);
      at += args.length;
    }
    this.ints[CALLS] = calls.length;
    this.busy = true;
    Atomics.store(this.ints, POSTED, ++this.job);
    if (Atomics.load(this.ints, WORKER_SLEEPS) === 1) Atomics.notify(this.ints, POSTED);
  }

  /** Blocks until the posted job is done (an error if the helper died or stays silent for a minute). */
  wait(): void {
    if (!this.busy) return;
    const started = performance.now();
    // 1. spin: the helper's part usually ends within a fraction of a millisecond of this one's
    while (Atomics.load(this.ints, DONE) !== this.job && performance.now() - started < this.spinMs) {
      /* spin */
    }
    // 2. sleep until the helper says it is done
    for (;;) {
      const done = Atomics.load(this.ints, DONE);
      if (done === this.job) break;
      if (this.ints[NOT_STARTED] !== 0) throw new Error("KernelThread: the helper thread could not instantiate the kernels");
      if (performance.now() - started > SILENT_MS)
        throw new Error(`KernelThread: the helper thread did not finish ${THREAD_FUNCTIONS[this.args[0]]} in ${SILENT_MS / 1000} s`);
      Atomics.store(this.ints, POSTER_SLEEPS, 1);
      Atomics.wait(this.ints, DONE, done, 200);
      Atomics.store(this.ints, POSTER_SLEEPS, 0);
    }
    this.busy = false;
    if (this.ints[FAILED] !== 0) throw new Error("KernelThread: the helper thread's kernel call failed");
  }

  /** Ends the helper thread. */
  async close(): Promise<void> {
    this.wait();
    this.ints[CALLS] = -1;
    Atomics.store(this.ints, POSTED, ++this.job);
    Atomics.notify(this.ints, POSTED);
    await this.worker.terminate();
  }
}
