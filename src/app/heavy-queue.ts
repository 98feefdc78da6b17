/**
 * Heavy work (forward passes, drawing pictures) one job at a time, each started on a fresh turn
 * of the event loop. When many interactions arrive at once, their deferrals (Discord's
 * 3-second rule) and the gateway's messages get in between jobs instead of waiting behind all
 * of them. The Discord bot and the web playground both use it.
 */
import { setImmediate as nextTurn } from "node:timers/promises";

export type HeavyQueue = <T>(job: () => Promise<T> | T) => Promise<T>;

export function createHeavyQueue(): HeavyQueue {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(job: () => Promise<T> | T): Promise<T> => {
    const run = tail.then(() => nextTurn()).then(job);
    tail = run.catch(() => undefined);
    return run;
  };
}
