/** keyedChain: one key's work in the order it was queued, other keys' work side by side, a failure stopping nothing after it. */
import { describe, expect, it } from "vitest";
import { keyedChain } from "../../src/adapters/discord/keyed-chain.ts";

/** A piece of work that ends when the test says so, noting when it started and ended. */
function gate(name: string, log: string[]) {
  let open!: () => void;
  let fail!: (err: Error) => void;
  const ended = new Promise<string>((resolve, reject) => {
    open = () => resolve(name);
    fail = reject;
  });
  const work = () => {
    log.push(`start ${name}`);
    return ended.finally(() => log.push(`end ${name}`));
  };
  return { work, open, fail };
}

const turns = () => new Promise((resolve) => setTimeout(resolve, 5));

describe("keyedChain", () => {
  it("runs one key's work one after another, in order, whichever would end first", async () => {
    const inOrder = keyedChain();
    const log: string[] = [];
    const first = gate("first", log);
    const second = gate("second", log);
    const done = [inOrder("g1", first.work), inOrder("g1", second.work)];
    second.open(); // the second would end first if it ran now
    await turns();
    expect(log).toEqual(["start first"]);
    first.open();
    expect(await Promise.all(done)).toEqual(["first", "second"]);
    expect(log).toEqual(["start first", "end first", "start second", "end second"]);
  });

  it("runs other keys' work side by side", async () => {
    const inOrder = keyedChain();
    const log: string[] = [];
    const a = gate("a", log);
    const b = gate("b", log);
    const done = [inOrder("g1", a.work), inOrder("g2", b.work)];
    await turns();
    expect(log).toEqual(["start a", "start b"]);
    b.open();
    a.open();
    await Promise.all(done);
  });

  it("hands each call its own failure, and still runs the work after it", async () => {
    const inOrder = keyedChain();
    const log: string[] = [];
    const broken = gate("broken", log);
    const next = gate("next", log);
    const failed = inOrder("g1", broken.work);
    const after = inOrder("g1", next.work);
    broken.fail(new Error("the store is down"));
    await expect(failed).rejects.toThrow("the store is down");
    next.open();
    expect(await after).toBe("next");
  });
});
