/**
 * The playground on each store with identical expectations: SQLite (a file) and PostgreSQL
 * (DATABASE_URL, a server this file starts from Debian's postgresql package; skipped, saying
 * why, when it is not installed). A pasted text is trained on, its model kept in the store's
 * "local" space and answering, the text kept so nothing hands it back, and all of it still
 * there for the next playground on the same store. Also: DATABASE_URL in the settings.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { playgroundSettings } from "../../src/adapters/web/playground.ts";
import { TRAINING_TEXT_AUTHOR } from "../../src/app/training-texts.ts";
import { findPostgres, startPostgres, type TestPostgres } from "../helpers/postgres-server.ts";
import { postJson, readEvents, startTestPlayground, TRAINING_TEXT_FILE } from "./harness.ts";

const postgres = findPostgres();
if ("missing" in postgres) console.warn(`the playground's PostgreSQL run is skipped: ${postgres.missing}`);
let server: TestPostgres | undefined;
const dirs: string[] = [];

beforeAll(async () => {
  if ("bin" in postgres) server = await startPostgres(postgres);
}, 120_000);
afterAll(async () => {
  await server?.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const BACKENDS = [
  {
    name: "SQLite",
    skip: false,
    target: async () => {
      const dir = mkdtempSync(path.join(tmpdir(), "web-backends-"));
      dirs.push(dir);
      return { databasePath: path.join(dir, "bot.db") };
    },
  },
  { name: "PostgreSQL", skip: "missing" in postgres, target: async () => ({ databaseUrl: await server!.newDatabase() }) },
];

describe.each(BACKENDS)("the playground on $name", ({ skip, target }) => {
  it.skipIf(skip)(
    "trains on a pasted text, keeps the model and the text in the store, and a restarted playground still has both",
    async () => {
      const store = await target();
      const first = await startTestPlayground(undefined, {}, {}, store);
      const api = (at: string, url = first.url) => new URL(at, url).href;
      try {
        const text = readFileSync(TRAINING_TEXT_FILE, "utf8");
        const started = await postJson(api("/api/train"), { source: "text", text, preset: "tiny", minutes: 1, lang: "en" });
        expect(started.status).toBe(200);
        const events = await readEvents(api("/api/train/events?lang=en"));
        expect(events.at(-1)).toEqual(["end", expect.objectContaining({ status: "done" })]);
        expect((await first.store.models.latestInfo("local"))?.step).toBe(40);
        const kept = await first.store.messages.recent("local", { limit: 1000 });
        expect(kept.length).toBeGreaterThan(0);
        expect(kept.every((m) => m.authorId === TRAINING_TEXT_AUTHOR)).toBe(true);
        expect((await postJson(api("/api/command"), { line: "/model", lang: "en" })).body.text).toMatch(/your model #1\*\*: trained here/);
        expect(first.errors).toEqual([]);
      } finally {
        await first.close();
      }
      // the next playground on the same store: the same model answers, the texts are still kept
      const again = await startTestPlayground(undefined, {}, {}, store);
      try {
        expect((await postJson(api("/api/command", again.url), { line: "/model", lang: "en" })).body.text).toMatch(
          /your model #1\*\*: trained here/,
        );
        const forgotten = await postJson(api("/api/train/texts/forget", again.url), { lang: "en" });
        expect(forgotten.status).toBe(200);
        expect(await again.store.messages.count("local")).toBe(0);
        expect(again.errors).toEqual([]);
      } finally {
        await again.close();
      }
    },
    120_000,
  );
});

describe("the playground's settings", () => {
  it("take DATABASE_URL as the store, and refuse one that is not PostgreSQL's, hiding its password", () => {
    expect(playgroundSettings({}).databaseUrl).toBeUndefined();
    expect(playgroundSettings({ DATABASE_URL: "postgres://me:secret@db/bot" })).toMatchObject({
      databaseUrl: "postgres://me:secret@db/bot",
    });
    expect(() => playgroundSettings({ DATABASE_URL: "mysql://me:secret@db/bot" })).toThrow(
      'DATABASE_URL must start with postgres:// or postgresql://, got "mysql://me:***@db/bot"',
    );
  });
});
