/** A finished run says why it ended where it did: all planned steps, cut by the time limit, or an earlier step kept. */
import { describe, expect, it } from "vitest";
import { trainingEndNote } from "../../src/app/training-line.ts";
import type { TrainingOutcome } from "../../src/app/training-service.ts";
import type { TrainingSummary } from "../../src/app/training-job.ts";

function outcome(s: Partial<TrainingSummary>): TrainingOutcome {
  const summary: TrainingSummary = {
    steps: 131,
    totalSteps: 190,
    curve: [],
    finalTrainLoss: 3,
    finalValLoss: 3.2,
    bestValLoss: 3.1,
    seconds: 60,
    stepSeconds: 50,
    tokensPerSecond: 1000,
    stopped: "time",
    planned: true,
    firstPlan: 190,
    replans: 0,
    corpus: { documents: 20, characters: 2000, tokens: 1500, unknown: 0 },
    kept: { step: 131, lastStep: 131, heldOutLoss: 3.2, lastHeldOutLoss: 3.2 },
    vocabSize: 300,
    kernels: "typescript",
    ...s,
  };
  return {
    status: "done",
    model: null,
    step: summary.kept.step,
    totalSteps: summary.totalSteps,
    valLoss: summary.kept.heldOutLoss,
    trainLoss: 3,
    seconds: summary.seconds,
    tokensPerSecond: summary.tokensPerSecond,
    summary,
    error: null,
  };
}

describe("trainingEndNote", () => {
  it("says a run was cut by the time limit, after how many of its planned steps", () => {
    expect(trainingEndNote(outcome({}), "en")).toMatch(/^Cut at the time limit after 131 of 190 planned steps/);
    expect(trainingEndNote(outcome({}), "ja")).toMatch(/131 \/ 190 ステップで打ち切りました/);
  });

  it("says a planned run did all its steps, and names an earlier step whose weights were kept", () => {
    const note = trainingEndNote(
      outcome({ steps: 190, stopped: "done", kept: { step: 100, lastStep: 190, heldOutLoss: 3.159, lastHeldOutLoss: 3.503 } }),
      "en",
    );
    expect(note).toMatch(/^All 190 planned steps were trained/);
    expect(note).toMatch(/the weights kept are step 100's, .*the last step, 190, had 3\.503/);
  });

  it("says nothing for a fixed number of steps all run, keeping the last", () => {
    expect(
      trainingEndNote(
        outcome({ steps: 190, stopped: "done", planned: false, kept: { step: 190, lastStep: 190, heldOutLoss: 3, lastHeldOutLoss: 3 } }),
        "en",
      ),
    ).toBeNull();
  });

  it("says a run was re-planned while it ran, from how many steps to how many, in both languages", () => {
    const replanned = outcome({
      steps: 131,
      totalSteps: 131,
      firstPlan: 190,
      replans: 3,
      stopped: "done",
      kept: { step: 131, lastStep: 131, heldOutLoss: 3, lastHeldOutLoss: 3 },
    });
    expect(trainingEndNote(replanned, "en")).toMatch(/^All 131 planned steps were trained.*; re-planned from 190 to 131 steps \(3×\)/);
    expect(trainingEndNote(replanned, "ja")).toMatch(/190 ステップから 131 ステップに立て直しました（3 回/);
    expect(trainingEndNote({ ...replanned, summary: { ...replanned.summary!, replans: 0 } }, "en")).not.toMatch(/re-planned/);
  });
});
