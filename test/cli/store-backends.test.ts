/**
 * The console's store on each back end with identical expectations: the SQLite file of
 * DATABASE_PATH, or PostgreSQL with DATABASE_URL (a server this file starts from Debian's
 * postgresql package; skipped, saying why, when it is not installed). A model the playground
 * trained answers in the console, `--model '#1'` loads it, and the banner names the store
 * without its password.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openConsoleSpace } from "../../src/adapters/cli/console-space.ts";
import { storeModelHandle } from "../../src/adapters/cli/store-models.ts";
import { LOCAL_SPACE } from "../../src/app/model-identity.ts";
import { ModelRegistry } from "../../src/app/model-registry.ts";
import { openAsyncStore } from "../../src/store/async-store.ts";
import { trainedBytes } from "../app/model-files.ts";
import { writeTinyModel } from "../discord/tiny-model.ts";
import { findPostgres, startPostgres, type TestPostgres } from "../helpers/postgres-server.ts";

const postgres = findPostgres();
if ("missing" in postgres) console.warn(`the console's PostgreSQL run is skipped: ${postgres.missing}`);
let server: TestPostgres | undefined;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "cli-backends-"));
  if ("bin" in postgres) server = await startPostgres(postgres);
}, 120_000);
afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const BACKENDS = [
  { name: "SQLite", skip: false, env: async () => ({ DATABASE_PATH: path.join(dir, "console.db") }) },
  {
    name: "PostgreSQL",
    skip: "missing" in postgres,
    env: async () => ({ DATABASE_URL: (await server!.newDatabase()).replace("//test@", "//test:secret@") }),
  },
];

describe.each(BACKENDS)("the console on $name", ({ skip, env: storeEnv }) => {
  it.skipIf(skip)("answers with the playground's model from that store, and --model '#1' loads it", async () => {
    const env: Record<string, string | undefined> = {
      ...(await storeEnv()),
      DEFAULT_MODEL_PATH: writeTinyModel(path.join(dir, "default.safetensors")),
    };
    // what a playground training leaves in the store
    const store = await openAsyncStore({ databaseUrl: env.DATABASE_URL, databasePath: env.DATABASE_PATH ?? "unused" });
    try {
      await new ModelRegistry({ models: store.models, defaultModelPath: env.DEFAULT_MODEL_PATH }).install(
        LOCAL_SPACE,
        trainedBytes(1, 3.25),
      );
    } finally {
      await store.close();
    }
    const space = await openConsoleSpace(env);
    try {
      expect(space.location).toBe(env.DATABASE_URL?.replace(":secret@", ":***@") ?? env.DATABASE_PATH);
      expect((await space.handle()).identity).toMatchObject({ kind: "trained-here", id: "1" });
    } finally {
      await space.close();
    }
    expect((await storeModelHandle("#1", env)).identity).toMatchObject({ kind: "trained-here", id: "1" });
  });
});
