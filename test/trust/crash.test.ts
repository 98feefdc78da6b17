/**
 * SIGKILL in the middle of training: on restart the run is marked interrupted and the guild
 * still has its previous working model (checkpoint writes are atomic; a half-trained model is
 * never installed).
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { openStore } from "../../src/store/index.ts";
import { ModelRegistry } from "../../src/app/model-registry.ts";
import { writeTinyModel } from "../discord/tiny-model.ts";

const root = path.resolve(import.meta.dirname, "../..");

describe("a crash mid-training", () => {
  it("SIGKILL: the run is marked interrupted on restart, the previous model still serves", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "crash-"));
    try {
      const db = path.join(dir, "bot.db");
      const defaultModel = path.join(dir, "default.safetensors");
      writeTinyModel(defaultModel);
      const child = spawn(path.join(root, "node_modules/.bin/tsx"), ["test/trust/fixtures/train-until-killed.ts", db, defaultModel], {
        cwd: root,
      });
      // wait until it has saved two checkpoints' worth of training, then kill it hard
      await new Promise<void>((resolve, reject) => {
        let seen = 0;
        child.stdout.on("data", (chunk: Buffer) => {
          seen += (chunk.toString().match(/checkpoint/g) ?? []).length;
          if (seen >= 2) resolve();
        });
        child.on("exit", (code) => reject(new Error(`the child exited early (${code})`)));
        setTimeout(() => reject(new Error("no checkpoint within 60 s")), 60_000);
      });
      child.kill("SIGKILL");
      await new Promise((r) => child.once("exit", r));

      // "restart": what startBot does at start, on the same file
      const store = openStore(db);
      try {
        expect(store.runs.running("g1")).toBeDefined();
        expect(store.runs.markInterrupted()).toBe(1);
        expect(store.runs.running("g1")).toBeUndefined();
        const run = store.runs.latest("g1")!;
        expect(run.status).toBe("interrupted");
        expect(store.runs.points("g1", run.id).length).toBeGreaterThan(0);
        const registry = new ModelRegistry({ models: store.models, defaultModelPath: defaultModel });
        const handle = await registry.forGuild("g1");
        expect(handle.name).toMatch(/^server model #\d+$/);
        expect(handle.model.forward(Int32Array.from([1, 2, 3]), 1, 3).logits.length).toBeGreaterThan(0);
      } finally {
        store.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
