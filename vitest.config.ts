import { defineConfig } from "vitest/config";

/** Test files that measure the bot under a load of their own: they run after the rest, alone. */
const ALONE = ["test/trust/load.test.ts"];

const shared = {
  testTimeout: 60_000,
  hookTimeout: 60_000,
  // Trainings in tests keep to one core: two test files, each with a training on two threads,
  // would ask four cores of two. test/app/train-model.test.ts runs one on two threads on purpose.
  env: { MINIGPT_THREADS: "1" },
};

export default defineConfig({
  test: {
    projects: [
      {
        // Two cores on the target machines: two test files at a time.
        test: { ...shared, name: "suite", include: ["test/**/*.test.ts"], exclude: ALONE, maxWorkers: 2, sequence: { groupOrder: 0 } },
      },
      {
        // The load test asserts Discord's 3-second acknowledgement while interactions arrive
        // during a two-thread training: beside two other test files on two cores it would
        // measure their load, not the bot's. (200 at once: npm run bench -- load.)
        test: { ...shared, name: "alone", include: ALONE, maxWorkers: 1, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
