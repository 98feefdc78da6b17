import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two cores on the target machines: keep the worker pool small.
    maxWorkers: 2,
    // Trainings in tests keep to one core: two test files, each with a training on two threads,
    // would ask four cores of two. test/app/train-model.test.ts runs one on two threads on purpose.
    env: { MINIGPT_THREADS: "1" },
  },
});
