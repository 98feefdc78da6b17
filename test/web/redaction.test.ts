/**
 * The playground end to end: a stored text of its space the model writes back word for word is
 * cut from /generate and from a chat reply — the runner hands the space's stored texts to the
 * use case. The model always writes the stored text (a scripted handle), so the copy is real.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startWebServer, type WebServer } from "../../src/adapters/web/server.ts";
import { LOCAL_SPACE } from "../../src/app/model-identity.ts";
import { CUT_MARK } from "../../src/app/redaction.ts";
import { SENTENCES } from "../../src/app/sentences.ts";
import { TrainingService } from "../../src/app/training-service.ts";
import { MIN_RUN } from "../../src/app/verbatim.ts";
import { type AsyncStore, openAsyncStore } from "../../src/store/async-store.ts";
import { TestRegistry } from "../discord/harness.ts";
import { scriptedHandle } from "../discord/tiny-model.ts";
import { postJson } from "./harness.ts";

const STORED = "the secret words of someone here, told in confidence to a few";
let dir: string;
let store: AsyncStore;
let registry: TestRegistry;
let training: TrainingService;
let web: WebServer;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "minigpt-web-redaction-"));
  store = await openAsyncStore({ databasePath: path.join(dir, "bot.db") });
  await store.messages.addMany([
    { id: "1", guildId: LOCAL_SPACE, channelId: "pasted", authorId: "you", text: STORED, createdAt: Date.now() },
  ]);
  registry = new TestRegistry({ models: store.models });
  training = new TrainingService({ store, registry });
  web = await startWebServer({ registry, store, training, port: 0 });
});

afterAll(async () => {
  await training?.shutdown();
  await web?.close();
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

// a fresh script for each test: the scripted model writes the text once, from its start
beforeEach(() => {
  registry.override = scriptedHandle(STORED);
});

describe("a stored text the model writes back is cut in the playground", () => {
  const expectCut = (text: string) => {
    expect(text).not.toContain(STORED.slice(0, MIN_RUN));
    expect(text).toContain(CUT_MARK);
    expect(text).toContain(SENTENCES.en.verbatimCut);
  };

  it("/generate", async () => {
    const { status, body } = await postJson(new URL("/api/command", web.url).href, { line: "/generate hi tokens:80 seed:1", lang: "en" });
    expect(status).toBe(200);
    expectCut(body.text as string);
  });

  it("chat", async () => {
    const { status, body } = await postJson(new URL("/api/chat", web.url).href, { messages: ["tell me"], lang: "en" });
    expect(status).toBe(200);
    expectCut(body.text as string);
  });
});
