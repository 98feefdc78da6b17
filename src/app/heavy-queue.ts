/**
 * Heavy work (forward passes, drawing pictures) one job at a time, each started on a fresh turn
 * of the event loop, and never while an acknowledgement is on its way.
 *
 * When many interactions arrive at once, each one's deferral (Discord's 3-second rule) is an
 * HTTP request that needs several turns of the event loop to go out and come back. A job run
 * between two of those turns holds that deferral back by the job's length (tens of ms for a
 * picture), and with 150 jobs queued the deferrals of the last interactions waited behind many
 * of them. So a deferral in flight is registered with `urgent`, and the queue starts no job
 * while one is: acknowledgements come first. A job waits at most HOLD_LIMIT_MS for them, so a
 * steady stream of interactions cannot starve the heavy work.
 * The Discord bot and the web playground both use it.
 */
import { setImmediate as nextTurn } from "node:timers/promises";

/** The longest a job waits for acknowledgements in flight before it runs anyway (ms). */
export const HOLD_LIMIT_MS = 250;

/**
 * Runs `job` after the jobs before it; `urgent(p)` holds jobs back until `p` settles and
 * returns `p`; `waiting` counts the jobs queued or running (for the load bench).
 */
export type HeavyQueue = (<T>(job: () => Promise<T> | T) => Promise<T>) & {
  readonly waiting: number;
  urgent<T>(work: Promise<T>): Promise<T>;
};

export function createHeavyQueue(): HeavyQueue {
  let tail: Promise<unknown> = Promise.resolve();
  let waiting = 0;
  // the urgent pieces of work in flight, and who waits for them to be none
  let inFlight = 0;
  let whenClear: (() => void)[] = [];

  const clear = (): Promise<void> => (inFlight === 0 ? Promise.resolve() : new Promise((resolve) => whenClear.push(resolve)));

  /** Resolves when no urgent work is in flight, or after HOLD_LIMIT_MS, whichever is first. */
  const noneUrgent = async (): Promise<void> => {
    if (inFlight === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, HOLD_LIMIT_MS);
    });
    await Promise.race([clear(), limit]);
    clearTimeout(timer);
  };

  const queue = <T>(job: () => Promise<T> | T): Promise<T> => {
    waiting++;
    // 1. after the job before, 2. on a fresh turn, 3. once the acknowledgements in flight are out
    const run = tail
      .then(() => nextTurn())
      .then(noneUrgent)
      .then(job);
    tail = run.catch(() => undefined);
    const settled = () => {
      waiting--;
    };
    run.then(settled, settled);
    return run;
  };

  const urgent = <T>(work: Promise<T>): Promise<T> => {
    inFlight++;
    const done = () => {
      inFlight--;
      if (inFlight > 0) return;
      const waiters = whenClear;
      whenClear = [];
      for (const resolve of waiters) resolve();
    };
    work.then(done, done);
    return work;
  };

  Object.defineProperty(queue, "waiting", { get: () => waiting });
  return Object.assign(queue, { urgent }) as HeavyQueue;
}
