/** The heavy queue starts no job while an acknowledgement is in flight, and never waits for one forever. */
import { setImmediate as nextTurn } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { createHeavyQueue } from "../../src/app/heavy-queue.ts";

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe("the heavy queue", () => {
  it("holds a job back while an urgent piece of work (a deferral) is in flight", async () => {
    const heavy = createHeavyQueue();
    const order: string[] = [];
    const ack = deferred();
    void heavy.urgent(ack.promise).then(() => order.push("ack"));
    const job = heavy(() => order.push("job"));
    for (let i = 0; i < 10; i++) await nextTurn();
    expect(order).toEqual([]);
    expect(heavy.waiting).toBe(1);
    ack.resolve();
    await job;
    expect(order).toEqual(["ack", "job"]);
    expect(heavy.waiting).toBe(0);
  });

  it("runs jobs one at a time, in order, with nothing urgent", async () => {
    const heavy = createHeavyQueue();
    const order: number[] = [];
    await Promise.all([1, 2, 3].map((n) => heavy(async () => order.push(n))));
    expect(order).toEqual([1, 2, 3]);
  });

  it("runs a job anyway when the urgent work never settles (a steady stream cannot starve it)", async () => {
    const heavy = createHeavyQueue();
    void heavy.urgent(new Promise(() => undefined));
    await expect(heavy(() => "ran")).resolves.toBe("ran");
  });

  it("passes the urgent work's result and failure through unchanged", async () => {
    const heavy = createHeavyQueue();
    await expect(heavy.urgent(Promise.resolve(7))).resolves.toBe(7);
    await expect(heavy.urgent(Promise.reject(new Error("no")))).rejects.toThrow("no");
    await expect(heavy(() => "after a failure")).resolves.toBe("after a failure");
  });
});
