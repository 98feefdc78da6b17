/**
 * The playground's models over real HTTP: GET /api/models (the header's picker), POST
 * /api/models/use (refused from another page, a bad ref refused naming the refs, nothing
 * changed), /model list|use|rename|delete as typed, and a training the playground cannot compare
 * with the model in use: kept, not chosen, its end event offering "Use it".
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeGpt2Folder } from "../app/model-files.ts";
import { postJson, startTestPlayground, type TestPlayground, TRAINING_TEXT_FILE, readEvents } from "./harness.ts";

let pg: TestPlayground;
let modelsDir: string;
const api = (p: string) => new URL(p, pg.url).href;

beforeAll(async () => {
  modelsDir = mkdtempSync(path.join(tmpdir(), "web-models-"));
  mkdirSync(modelsDir, { recursive: true });
  writeGpt2Folder(path.join(modelsDir, "tiny-gpt2"));
  pg = await startTestPlayground({ steps: 30, evalInterval: 10, evalBatches: 2 }, { installPolicy: "ask", modelsDir });
});
afterAll(async () => {
  await pg.close();
  rmSync(modelsDir, { recursive: true, force: true });
});

interface Picker {
  inUse: string;
  models: { ref: string; label: string; kind: string; parameters: number; valLoss: number | null; inUse: boolean; usable: boolean }[];
}
const picker = async (lang = "en") => (await (await fetch(api(`/api/models?lang=${lang}`))).json()) as Picker;

describe("GET /api/models", () => {
  it("lists the shipped and the host's models, the one in use marked, in the page's language", async () => {
    const en = await picker();
    expect(en.inUse).toBe("default");
    expect(en.models.map((m) => [m.ref, m.kind, m.inUse, m.usable])).toEqual([
      ["default", "shipped", true, true],
      ["tiny-gpt2", "imported (host)", false, true],
    ]);
    expect(en.models[1].parameters).toBeGreaterThan(50257 * 8);
    expect((await picker("ja")).models.map((m) => m.kind)).toEqual(["付属", "取り込み（ホスト）"]);
  });
});

describe("POST /api/models/use", () => {
  it("chooses a model for the playground and says so", async () => {
    const { status, body } = await postJson(api("/api/models/use"), { ref: "tiny-gpt2", lang: "en" });
    expect(status).toBe(200);
    expect(body.text).toBe("tiny-gpt2 answers here from now on (instead of default).");
    expect(body.inUse).toBe("tiny-gpt2");
    expect(await pg.store.models.chosen("local")).toEqual({ kind: "imported", name: "tiny-gpt2" });
    expect((await picker()).inUse).toBe("tiny-gpt2");
  });

  it("refuses a ref that names nothing, another page's request and a missing ref; nothing changes", async () => {
    const unknown = await postJson(api("/api/models/use"), { ref: "gpt-9", lang: "ja" });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toBe("「gpt-9」というモデルはここにありません。使えるモデル: default, tiny-gpt2");
    const foreign = await postJson(api("/api/models/use"), { ref: "default", lang: "en" }, { origin: "http://evil.example" });
    expect(foreign.status).toBe(403);
    const missing = await postJson(api("/api/models/use"), { lang: "en" });
    expect(missing.status).toBe(400);
    expect(missing.body.error).toMatch(/ref must name a model/);
    expect(await pg.store.models.chosen("local")).toEqual({ kind: "imported", name: "tiny-gpt2" });
  });
});

describe("/model as typed", () => {
  it("list, use (telling the page to read its picker again), and the shipped model's refusals", async () => {
    const list = await postJson(api("/api/command"), { line: "/model list", lang: "en" });
    expect(list.body.text).toMatch(/^Models of this playground \(▶ answers now\):\n　 default — shipped/);
    expect(list.body.text).toMatch(/\n▶ tiny-gpt2 — imported \(host\)/);
    const use = await postJson(api("/api/command"), { line: "/model use default", lang: "en" });
    expect(use.body.text).toBe("default answers here from now on (instead of tiny-gpt2).");
    expect(use.body.models).toBe(true);
    const rename = await postJson(api("/api/command"), { line: "/model rename ref:default name:mine", lang: "en" });
    expect(rename.status).toBe(400);
    expect(rename.body.error).toBe("the shipped model cannot be renamed");
    const show = await postJson(api("/api/command"), { line: "/model", lang: "en" });
    expect(show.body.text).toMatch(/default model/);
  });
});

describe("a training the playground cannot compare with the model in use", () => {
  it("is kept, not chosen, and its end offers Use it; choosing it switches", async () => {
    const text = readFileSync(TRAINING_TEXT_FILE, "utf8");
    const started = await postJson(api("/api/train"), { source: "text", text, preset: "tiny", minutes: 1, lang: "en" });
    expect(started.status).toBe(200);
    const events = await readEvents(api("/api/train/events?lang=en"));
    const [last, end] = events[events.length - 1];
    expect(last).toBe("end");
    expect(end.text).toMatch(
      /The new model #1 is kept, but the shipped model still answers: the model in use was trained on other text, so their val losses cannot be compared\./,
    );
    expect(end.use).toEqual({ ref: "#1", label: "Use it" });
    expect((await picker()).inUse).toBe("default");
    const { body } = await postJson(api("/api/models/use"), { ref: "#1", lang: "en" });
    expect(body.text).toBe("#1 answers here from now on (instead of default).");
    expect((await picker()).models.find((m) => m.ref === "#1")?.inUse).toBe(true);
    // renamed, then deleted: the shipped model answers again
    const renamed = await postJson(api("/api/command"), { line: "/model rename ref:#1 name:attention notes", lang: "en" });
    expect(renamed.body.text).toBe("Renamed: #1 “attention notes”.");
    const deleted = await postJson(api("/api/command"), { line: "/model delete attention notes", lang: "en" });
    expect(deleted.body.text).toBe("Deleted #1 “attention notes”. It was answering here: default answers now.");
    expect((await picker()).inUse).toBe("default");
    expect(pg.errors).toEqual([]);
  });
});
