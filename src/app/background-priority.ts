/**
 * Training is background work: on a 2-core machine its two threads would otherwise share the
 * cores evenly with the bot's event loop, which then acknowledges interactions and draws
 * pictures at half speed while a training runs. The training worker lowers its own thread's
 * priority (nice TRAINING_NICE) before it starts its kernel threads, which inherit it; the
 * training runs as fast as before whenever the bot has nothing to do.
 *
 * Linux only: there a thread's nice value is its own (setpriority with the thread's id), found
 * through /proc/thread-self. Elsewhere setPriority would lower the whole process, the bot
 * included, so nothing is changed.
 */
import { readlinkSync } from "node:fs";
import { setPriority } from "node:os";

/** Nice value of the training threads (0 is normal, 19 the lowest priority). */
export const TRAINING_NICE = 10;

/** Lowers the calling thread's priority; returns whether it could. */
export function lowerThisThreadPriority(nice = TRAINING_NICE): boolean {
  if (process.platform !== "linux") return false;
  try {
    // "/proc/<pid>/task/<tid>": the calling thread's own id
    const tid = Number(readlinkSync("/proc/thread-self").split("/").pop());
    if (!Number.isInteger(tid) || tid <= 0) return false;
    setPriority(tid, nice);
    return true;
  } catch {
    return false;
  }
}
