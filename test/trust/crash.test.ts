/**
 * A crash mid-training, end to end: a child process trains a guild's model on the production
 * path (TrainingService, worker thread, real SQLite file), saving each evaluation's checkpoint
 * with its run, and is SIGKILLed mid-run. Then the real bot starts on the same file against the
 * fake Discord: the run is marked interrupted, the guild's previous model still serves, and
 * `/train start resume:true` continues from the newest evaluation's checkpoint: the finished
 * model's step count is that checkpoint's step plus the resumed steps.
 */
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadCheckpointBytes } from "../../src/model/checkpoint.ts";
import { openStore } from "../../src/store/index.ts";
import { FakeDiscord, MEMBER_PERMISSIONS, Permission } from "../fake-discord/index.ts";
import { startHarness } from "../discord/harness.ts";

const root = path.resolve(import.meta.dirname, "../..");
const RESUMED_STEPS = 20;

/** Runs the fixture until it has printed `checkpoints` checkpoints, then SIGKILLs it; returns the steps printed. */
async function trainUntilKilled(databasePath: string, guildId: string, checkpoints: number): Promise<number[]> {
  // node itself with tsx as a loader (not the tsx CLI, which runs node as its own child: SIGKILL
  // would kill only the wrapper and the training would go on)
  const child = spawn(process.execPath, ["--import", "tsx", "test/trust/fixtures/train-until-killed.ts", databasePath, guildId], {
    cwd: root,
    env: { ...process.env, MINIGPT_THREADS: "1" },
  });
  const steps: number[] = [];
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  try {
    await new Promise<void>((resolve, reject) => {
      child.stdout.on("data", (chunk: Buffer) => {
        for (const m of chunk.toString().matchAll(/checkpoint (\d+)/g)) steps.push(Number(m[1]));
        if (steps.length >= checkpoints) resolve();
      });
      child.on("exit", (code) => reject(new Error(`the child exited early (${code}): ${stderr}`)));
      setTimeout(() => reject(new Error(`fewer than ${checkpoints} checkpoints within 90 s: ${stderr}`)), 90_000);
    });
  } finally {
    child.kill("SIGKILL");
    await new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r(null) : child.once("exit", r)));
  }
  return steps;
}

describe("a crash mid-training", () => {
  it("SIGKILL: the restarted bot serves the previous model, and resume continues from the newest checkpoint", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "crash-"));
    const fake = await FakeDiscord.start();
    const guild = fake.guild.id;
    const databasePath = path.join(dir, "bot.db");

    // 1. the crash
    const printed = await trainUntilKilled(databasePath, guild, 2);
    expect(printed.slice(0, 2)).toEqual([20, 40]);

    // 2. what it left: a run still "running", its newest evaluation's checkpoint, the old model
    const left = openStore(databasePath);
    let checkpointStep: number;
    try {
      const run = left.runs.latest(guild)!;
      expect(run.status).toBe("running");
      const saved = left.runs.checkpoint(guild, run.id);
      expect(saved).toBeDefined();
      checkpointStep = loadCheckpointBytes(saved!, "the run's checkpoint").meta.step;
      // the newest evaluation recorded with the run is the checkpoint's
      const evaluations = left.runs.points(guild, run.id).filter((p) => p.valLoss !== null);
      expect(checkpointStep).toBeGreaterThanOrEqual(printed.at(-1)!);
      expect(checkpointStep % 20).toBe(0);
      expect(evaluations.at(-1)?.step).toBe(checkpointStep);
      expect(left.models.list(guild).map((m) => m.step)).toEqual([7]);
    } finally {
      left.close();
    }

    // 3. the restart: the real bot on the same file
    const h = await startHarness({ fake, dir, training: { steps: RESUMED_STEPS, evalInterval: 10, evalBatches: 2, vocabSize: 300 } });
    try {
      const interrupted = (await h.bot.store.runs.latest(guild))!;
      expect(interrupted.status).toBe("interrupted");
      const serving = await h.registry.forGuild(guild);
      expect(serving.name).toMatch(/^server model #\d+$/);
      expect(serving.meta.step).toBe(7);
      const model = await h.fake.interact({ command: "model", subcommand: "show", options: {} }).reply();
      expect(model.content).toMatch(/server model #1/);

      // 4. resume: from the newest checkpoint, RESUMED_STEPS more, then installed
      const resumed = h.fake.interact({
        command: "train",
        subcommand: "start",
        options: { resume: true },
        memberPermissions: MEMBER_PERMISSIONS | Permission.ManageGuild,
      });
      await resumed.acknowledged();
      const deadline = Date.now() + 90_000;
      while ((await h.bot.store.models.list(guild)).length < 2) {
        if (Date.now() > deadline) throw new Error(`no model after the resume: ${JSON.stringify(h.training.current(guild)?.snapshot())}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      const finished = await h.registry.forGuild(guild);
      expect(finished.meta.step).toBe(checkpointStep + RESUMED_STEPS);
    } finally {
      await h.stop();
    }
  }, 240_000);
});
