/**
 * Load, as a correctness check: interactions (/predict, /attention, chat) arrive at once while a
 * training runs on production's thread count, from a fake Discord in its own process. Every one
 * must be acknowledged within Discord's 3 seconds (the fake marks late callbacks), answered with
 * a real answer (a picture, the model's words: not "busy", not an error), and none lost. The load
 * is one a busy 2-core machine holds with margin; the 200-at-once figures are
 * `npm run bench -- load`. Nothing here is timed against a goal.
 */
import { describe, expect, it } from "vitest";
import { runLoad } from "../load/run-load.ts";

const AT_ONCE = 20;

describe("load", () => {
  it(`${AT_ONCE} interactions at once during a training: all acknowledged in time, all really answered`, { timeout: 300_000 }, async () => {
    const run = await runLoad(AT_ONCE);
    expect(run.samples).toHaveLength(AT_ONCE);
    const lost = run.samples.filter((s) => s.answer === null);
    expect(lost, "interactions never answered").toEqual([]);
    const late = run.samples.filter((s) => s.late || (s.kind !== "chat" && (s.ack === null || s.ack >= 3000)));
    expect(late, "acknowledged after Discord's 3 s").toEqual([]);
    const notReal = run.samples.filter((s) => !s.real);
    expect(notReal, "answers that were refusals or errors").toEqual([]);
    expect(run.samples.filter((s) => s.kind === "chat").length).toBe(AT_ONCE / 4);
    expect(run.stillTraining).toBe(true);
    expect(Math.max(...run.depths)).toBeGreaterThan(0); // the heavy queue was really used
  });
});
