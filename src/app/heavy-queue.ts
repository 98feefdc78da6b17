/**
 * Heavy work (forward passes, drawing pictures) one job at a time, each started on a fresh turn
 * of the event loop. When many interactions arrive at once, their deferrals (Discord's
 * 3-second rule) and the gateway's messages get in between jobs instead of waiting behind all
 * of them. The Discord bot and the web playground both use it.
 */
import { setImmediate as nextTurn } from "node:timers/promises";

/** Runs `job` after the jobs before it; `waiting` counts the jobs queued or running (for the load bench). */
export type HeavyQueue = (<T>(job: () => Promise<T> | T) => Promise<T>) & { readonly waiting: number };

export function createHeavyQueue(): HeavyQueue {
  let tail: Promise<unknown> = Promise.resolve();
  let waiting = 0;
  const queue = <T>(job: () => Promise<T> | T): Promise<T> => {
    waiting++;
    const run = tail.then(() => nextTurn()).then(job);
    tail = run.catch(() => undefined);
    const settled = () => {
      waiting--;
    };
    run.then(settled, settled);
    return run;
  };
  return Object.defineProperty(queue, "waiting", { get: () => waiting }) as HeavyQueue;
}
