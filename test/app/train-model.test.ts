import { describe, expect, it } from "vitest";
import { CorpusTooSmallError, recomputeHeldOutLoss, trainModel } from "../../src/app/train-model.ts";
import { loadCheckpointBytes } from "../../src/model/checkpoint.ts";
import { handleFromCheckpoint } from "../../src/app/model-handle.ts";
import { generateText } from "../../src/app/generate-text.ts";
import { predictNext } from "../../src/app/predict.ts";
import { startTrainingJob } from "../../src/app/training-job.ts";
import { smallCorpus } from "../helpers/corpus.ts";

describe("trainModel", () => {
  const options = { preset: "tiny" as const, tokenizer: "bpe" as const, vocabSize: 300, steps: 40, seed: 3, evalInterval: 20 };

  it("writes a checkpoint at every evaluation and a final one whose val loss anyone can recompute", () => {
    const checkpoints: number[] = [];
    const trained = trainModel(smallCorpus(), options, { onCheckpoint: (_bytes, p) => checkpoints.push(p.step) });
    expect(checkpoints).toEqual([20, 40, 40]);
    const loaded = loadCheckpointBytes(trained.checkpoint, "trained");
    const handle = handleFromCheckpoint(loaded, "trained");
    expect(loaded.meta.step).toBe(40);
    const recomputed = recomputeHeldOutLoss(handle.model, handle.tokenizer, smallCorpus(), 3, 8);
    expect(recomputed).toBe(loaded.meta.valLoss);
    expect(loaded.meta.valLoss!).toBeLessThan(Math.log(300)); // it learned something
    // the loaded model works through the use cases
    expect(generateText(handle, "It rained", { maxTokens: 10, seed: 1 }).ids.length).toBeGreaterThan(0);
    expect(predictNext(handle, "昨日は", { k: 3 }).candidates).toHaveLength(3);
  });

  it("in the worker, a training on two threads learns exactly what one thread learns", async () => {
    // baby: 12 × 64 rows per step, so every large kernel hands half of its work to the helper thread
    const baby = { preset: "baby" as const, tokenizer: "char" as const, vocabSize: 0, steps: 3, seed: 5, evalInterval: 3, evalBatches: 1 };
    const curve = async (threads: string) => {
      const before = process.env.MINIGPT_THREADS;
      process.env.MINIGPT_THREADS = threads; // the worker takes a copy of the environment when it starts
      try {
        return await startTrainingJob(smallCorpus(), baby).done;
      } finally {
        process.env.MINIGPT_THREADS = before;
      }
    };
    const one = await curve("1"),
      two = await curve("2");
    expect(one.kernels).not.toMatch(/threads/);
    expect(two.kernels).toMatch(/×2 threads$/);
    expect(one.curve.length).toBeGreaterThan(0);
    expect(two.curve).toEqual(one.curve);
  });

  it("keeps the checkpoint of the best validation loss, not the last, when training gets worse", () => {
    // the learning rate climbs from 0.01 to 1 over the run, so the loss improves, then blows up
    const diverging = { ...options, tokenizer: "char" as const, steps: 60, evalInterval: 10, maxLr: 1e-2, minLr: 1, warmupSteps: 1 };
    const emitted: { kept: number; at: number; valLoss: number | null }[] = [];
    const trained = trainModel(smallCorpus(), diverging, {
      onCheckpoint: (bytes, p) => emitted.push({ kept: loadCheckpointBytes(bytes, "ckpt").meta.step, at: p.step, valLoss: p.valLoss }),
    });
    // 1. the evaluations: the best comes before the end
    const evals = emitted.slice(0, -1);
    const bestEval = evals.reduce((a, b) => (b.valLoss! < a.valLoss! ? b : a));
    expect(bestEval.at).toBeLessThan(60);
    // 2. every checkpoint after the best still holds the best's weights
    evals.forEach((e, i) => {
      const bestSoFar = evals.slice(0, i + 1).reduce((a, b) => (b.valLoss! < a.valLoss! ? b : a));
      expect(e.kept).toBe(bestSoFar.at);
    });
    // 3. the final checkpoint: the best step, with a held-out loss below the last weights' and recomputable
    const loaded = loadCheckpointBytes(trained.checkpoint, "trained");
    expect(trained.kept.step).toBe(bestEval.at);
    expect(trained.kept.lastStep).toBe(60);
    expect(loaded.meta.step).toBe(bestEval.at);
    expect(trained.kept.heldOutLoss).toBeLessThan(trained.kept.lastHeldOutLoss);
    const handle = handleFromCheckpoint(loaded, "trained");
    expect(recomputeHeldOutLoss(handle.model, handle.tokenizer, smallCorpus(), 3, 8)).toBe(loaded.meta.valLoss);
    expect(loaded.meta.extra?.lastStep).toBe(60);
  });

  it("refuses a corpus too small for the preset, with the numbers", () => {
    expect(() => trainModel(["hi"], options)).toThrow(/the corpus has \d+ tokens; the tiny preset \(block 16\) needs at least \d+/);
    expect(() => trainModel([], options)).toThrow("no text");
  });

  it("runs in a worker thread with progress, checkpoints, and a graceful stop", async () => {
    const progress: number[] = [];
    const checkpoints: Uint8Array[] = [];
    const job = startTrainingJob(
      smallCorpus(),
      { ...options, steps: 100000, evalInterval: 25 },
      {
        onProgress: (p) => progress.push(p.step),
        onCheckpoint: (bytes, p) => {
          checkpoints.push(bytes);
          if (p.step >= 25) job.stop();
        },
      },
    );
    const summary = await job.done;
    expect(summary.stopped).toBe("requested");
    expect(summary.steps).toBeLessThan(100000);
    expect(checkpoints.length).toBeGreaterThanOrEqual(2);
    const last = loadCheckpointBytes(checkpoints[checkpoints.length - 1], "last");
    expect(last.meta.step).toBe(summary.steps);
    expect(progress.length).toBeGreaterThan(0);
  });

  it("reports a failure in the worker as a rejected promise, not a crash; too little text keeps its numbers across the thread", async () => {
    const job = startTrainingJob(["hi"], options);
    const err = await job.done.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(CorpusTooSmallError);
    const { counts } = err as CorpusTooSmallError;
    expect(counts).toMatchObject({ preset: "tiny", blockSize: 16 });
    expect(counts.tokens).toBeLessThan(counts.needed);
    expect((err as Error).message).toMatch(`the corpus has ${counts.tokens} tokens`);
  });
});

describe("resuming a run", () => {
  it("continues from a checkpoint: its tokenizer, weights and step, and the curve goes on", () => {
    const o = { preset: "tiny" as const, tokenizer: "bpe" as const, vocabSize: 300, steps: 20, seed: 4, evalInterval: 10 };
    const first = trainModel(smallCorpus(), o);
    const firstMeta = loadCheckpointBytes(first.checkpoint, "first").meta;
    const resumed = trainModel(smallCorpus(), { ...o, resumeFrom: first.checkpoint });
    const meta = loadCheckpointBytes(resumed.checkpoint, "resumed").meta;
    expect(meta.step).toBe(40);
    expect(meta.tokenizer).toEqual(firstMeta.tokenizer);
    const curve = (meta.extra as { curve: { step: number }[] }).curve;
    expect(curve[0].step).toBe(1);
    expect(curve[curve.length - 1].step).toBe(40);
    expect(meta.valLoss!).toBeLessThan(firstMeta.valLoss!);
    expect(JSON.stringify(meta.extra).length).toBeLessThan(200_000); // the resumed bytes are not copied into the metadata
  });

  it("keeps the best validation across a stop and a resume: a resumed run that only gets worse keeps the earlier best", () => {
    // the learning rate climbs to 1, so the loss improves, then blows up; stopped at step 40
    const diverging = {
      preset: "tiny" as const,
      tokenizer: "char" as const,
      vocabSize: 0,
      steps: 60,
      seed: 3,
      evalInterval: 10,
      maxLr: 1e-2,
      minLr: 1,
      warmupSteps: 1,
    };
    let last: Uint8Array | null = null;
    let step = 0;
    trainModel(smallCorpus(), diverging, {
      onProgress: (p) => {
        step = p.step;
      },
      onCheckpoint: (bytes) => {
        last = bytes;
      },
      shouldStop: () => step >= 40,
    });
    const stopped = loadCheckpointBytes(last!, "stopped");
    expect(stopped.meta.extra?.lastStep).toBeGreaterThanOrEqual(40);
    expect(stopped.meta.step).toBeLessThan(Number(stopped.meta.extra?.lastStep)); // the kept weights are an earlier, better step's
    // resumed with the rate still climbing: every evaluation after the resume is worse
    const resumed = trainModel(smallCorpus(), { ...diverging, steps: 30, resumeFrom: last! });
    const meta = loadCheckpointBytes(resumed.checkpoint, "resumed").meta;
    expect(resumed.kept.lastStep).toBe(stopped.meta.step + 30);
    expect(resumed.kept.step).toBe(stopped.meta.step);
    expect(meta.step).toBe(stopped.meta.step);
    expect(resumed.kept.heldOutLoss).toBeLessThan(resumed.kept.lastHeldOutLoss);
    expect(Array.from(loadCheckpointBytes(resumed.checkpoint, "resumed").params.slice(0, 50))).toEqual(
      Array.from(stopped.params.slice(0, 50)),
    );
    // the curve goes on from the kept step: no step twice
    const steps = (meta.extra as { curve: { step: number }[] }).curve.map((p) => p.step);
    expect(new Set(steps).size).toBe(steps.length);
  });
});
