/**
 * /sources in the playground end to end: the texts trained there (kept by keepTrainingTexts in
 * the local space) are searched, the shared stretch comes back in bold, named as a text trained
 * here, and no copy of a kept text longer than the verbatim rule allows; a text of another space
 * never shows.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWebServer, type WebServer } from "../../src/adapters/web/server.ts";
import { LOCAL_SPACE } from "../../src/app/model-identity.ts";
import { TrainingService } from "../../src/app/training-service.ts";
import { keepTrainingTexts } from "../../src/app/training-texts.ts";
import { VerbatimIndex } from "../../src/app/verbatim.ts";
import { type AsyncStore, openAsyncStore } from "../../src/store/async-store.ts";
import { TestRegistry } from "../discord/harness.ts";
import { postJson } from "./harness.ts";

const KEPT = [
  "吾輩は猫である。名前はまだ無い。どこで生れたかとんと見当がつかぬ。何でも薄暗いじめじめした所で泣いていた事だけは記憶している。",
  "The quick brown fox jumps over the lazy dog.",
];
let dir: string;
let store: AsyncStore;
let training: TrainingService;
let web: WebServer;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "minigpt-web-sources-"));
  store = await openAsyncStore({ databasePath: path.join(dir, "bot.db") });
  await keepTrainingTexts(store, LOCAL_SPACE, KEPT);
  await keepTrainingTexts(store, "123456", ["名前はまだ無い、と別のサーバーの誰かが書いた"]);
  const registry = new TestRegistry({ models: store.models });
  training = new TrainingService({ store, registry });
  web = await startWebServer({ registry, store, training, port: 0 });
});

afterAll(async () => {
  await training?.shutdown();
  await web?.close();
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("/sources in the playground", () => {
  it("finds the text trained here with its shared stretch in bold, and nothing of another space", async () => {
    const pasted = KEPT[0];
    const { status, body } = await postJson(new URL("/api/command", web.url).href, {
      line: `/sources 猫の名前はまだ無い。${pasted}`,
      lang: "ja",
    });
    expect(status).toBe(200);
    const text = body.text as string;
    expect(text).toContain("ここで学習した文章");
    expect(text).toContain(`**${[...pasted].slice(0, 39).join("")}**`);
    expect(text).not.toContain("別のサーバー");
    expect(new VerbatimIndex(KEPT).copiedRuns(text)).toEqual([]);
  });
});
