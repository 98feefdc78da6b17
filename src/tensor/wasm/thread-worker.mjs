// A second thread for the WebAssembly kernels (see ./threads.ts): the same module over the same
// shared memory. It waits for a job, runs one exported function with the job's arguments,
// says it is done, and waits again. Plain JavaScript: it needs no TypeScript loader.
import { workerData } from "node:worker_threads";
import { ARGS_OFFSET, CALLS, DONE, FAILED, NOT_STARTED, POSTED, POSTER_SLEEPS, WORKER_SLEEPS } from "./thread-control.mjs";

const { module, memory, control, spinMs } = workerData;
const ints = new Int32Array(control);
let exports;
try {
  exports = new WebAssembly.Instance(module, { env: { memory } }).exports;
} catch (err) {
  // the posting thread cannot see this worker's events while it waits: say so in the control block
  Atomics.store(ints, NOT_STARTED, 1);
  Atomics.notify(ints, DONE);
  throw err;
}
const args = new Float64Array(control, ARGS_OFFSET);
const names = workerData.functions;

/** Serves jobs until the posting thread says stop (calls −1). */
function serve() {
  const functions = names.map((name) => exports[name]);
  const list = [];
  let seen = 0;
  for (;;) {
    // 1. wait until the job number moves past the last one done: spin, then sleep (WORKER_SLEEPS says so)
    const started = performance.now();
    while (Atomics.load(ints, POSTED) === seen && performance.now() - started < spinMs) {
      /* spin */
    }
    while (Atomics.load(ints, POSTED) === seen) {
      Atomics.store(ints, WORKER_SLEEPS, 1);
      Atomics.wait(ints, POSTED, seen);
      Atomics.store(ints, WORKER_SLEEPS, 0);
    }
    seen = Atomics.load(ints, POSTED);
    const calls = ints[CALLS];
    if (calls < 0) return;
    // 2. run its calls in order (numbers become the i32/f32 parameters), 3. report
    try {
      for (let call = 0, at = 0; call < calls; call++) {
        const fn = args[at++];
        list.length = args[at++];
        for (let i = 0; i < list.length; i++) list[i] = args[at++];
        functions[fn](...list);
      }
      ints[FAILED] = 0;
    } catch {
      ints[FAILED] = 1;
    }
    Atomics.store(ints, DONE, seen);
    if (Atomics.load(ints, POSTER_SLEEPS) === 1) Atomics.notify(ints, DONE);
  }
}
serve();
