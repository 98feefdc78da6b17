/**
 * The chat queue refuses by the wait it would cause, estimated from the jobs it ran (a fake
 * clock: each job "takes" the time the test says, so nothing here depends on the machine).
 */
import { describe, expect, it } from "vitest";
import { QueueFullError, SerialQueue } from "../../src/adapters/discord/serial-queue.ts";

/** A queue on a clock that each job moves on by its duration. */
function queueOn(options: { maxWaitMs: number; maxPending: number; firstEstimateMs: number }) {
  let clock = 0;
  const queue = new SerialQueue({ ...options, now: () => clock });
  const job = (ms: number) => async () => {
    clock += ms;
    return ms;
  };
  return { queue, job };
}

describe("the chat queue", () => {
  it("takes fifty quick jobs at once: their estimated wait stays under the limit", async () => {
    const { queue, job } = queueOn({ maxWaitMs: 60_000, maxPending: 100, firstEstimateMs: 1_000 });
    const all = Array.from({ length: 50 }, () => queue.run(job(500)));
    expect(await Promise.all(all)).toHaveLength(50);
  });

  it("refuses a job that would wait longer than the limit, naming the wait, and runs the rest in order", async () => {
    const { queue, job } = queueOn({ maxWaitMs: 10_000, maxPending: 100, firstEstimateMs: 1_000 });
    const order: number[] = [];
    const accepted = Array.from({ length: 11 }, (_, i) => queue.run(async () => order.push(i)));
    // 11 waiting × 1 s estimated = 11 s > 10 s (asked before any of them has run)
    const refused = queue.run(job(1));
    await expect(refused).rejects.toThrow(QueueFullError);
    await expect(refused).rejects.toThrow(/11 jobs are waiting, about 11 s of work/);
    await Promise.all(accepted);
    expect(order).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it("learns from the jobs it ran: after slow jobs it refuses sooner, after fast ones later", async () => {
    const { queue, job } = queueOn({ maxWaitMs: 10_000, maxPending: 100, firstEstimateMs: 1_000 });
    for (let i = 0; i < 20; i++) await queue.run(job(5_000));
    // the mean is now about 5 s: two waiting jobs (10 s) are the limit, a third is refused
    const held = [queue.run(job(5_000)), queue.run(job(5_000)), queue.run(job(5_000))];
    const refused = queue.run(job(1));
    await expect(refused).rejects.toThrow(QueueFullError);
    await Promise.all(held);
    for (let i = 0; i < 30; i++) await queue.run(job(10));
    const many = Array.from({ length: 60 }, () => queue.run(job(10)));
    expect(await Promise.all(many)).toHaveLength(60);
  });

  it("never holds more than maxPending jobs, however fast", async () => {
    const { queue, job } = queueOn({ maxWaitMs: 60_000, maxPending: 3, firstEstimateMs: 0 });
    const held = [queue.run(job(0)), queue.run(job(0)), queue.run(job(0))];
    const refused = queue.run(job(0));
    await expect(refused).rejects.toThrow(/3 jobs are waiting/);
    await Promise.all(held);
  });
});
