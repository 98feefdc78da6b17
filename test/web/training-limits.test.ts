/**
 * The training panel's limits come from the server, before anything is pasted: GET /api/commands
 * carries, per preset, the characters and lines needed, the maximum text and input sizes, and
 * the sentences that say them (src/app/training-panel.ts) in the language asked.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { corpusRequirement, MAX_UPLOAD_BYTES } from "../../src/app/training-limits.ts";
import { MAX_TRAINING_TEXT_CHARS } from "../../src/app/corpus.ts";
import { MAX_INPUT_CHARS } from "../../src/app/prompt.ts";
import type { TrainingPanel } from "../../src/app/training-panel.ts";
import { startTestPlayground, type TestPlayground } from "./harness.ts";

let pg: TestPlayground;
beforeAll(async () => {
  pg = await startTestPlayground();
}, 30_000);
afterAll(async () => {
  await pg?.close();
});

const panel = async (lang: string) =>
  ((await (await fetch(new URL(`/api/commands?lang=${lang}`, pg.url))).json()) as { training: TrainingPanel }).training;

describe("GET /api/commands: the training panel's limits", () => {
  it("gives the characters each preset needs and the maximum sizes, from src/app's one calculation", async () => {
    const { limits } = await panel("en");
    expect(limits.presets).toEqual([
      { preset: "tiny", ...corpusRequirement("tiny") },
      { preset: "baby", ...corpusRequirement("baby") },
    ]);
    expect(limits.presets[1]).toEqual({ preset: "baby", messages: 10, characters: 1302, tokens: 651 });
    expect(limits.maxCharacters).toBe(MAX_TRAINING_TEXT_CHARS);
    expect(limits.maxUploadBytes).toBe(MAX_UPLOAD_BYTES);
    expect(limits.maxInputCharacters).toBe(MAX_INPUT_CHARS);
  });

  it("says them in English and Japanese, with a cut sentence for the page to fill in", async () => {
    const en = await panel("en");
    expect(en.text).toContain("baby 1,302+ characters");
    expect(en.text).toContain("At most 1,000,000 characters");
    expect(en.needs.baby).toBe("baby needs at least 1,302 characters in 10 or more lines or paragraphs");
    expect(en.cut.replace("{kept}", "6,000").replace("{total}", "10,000")).toBe(
      "The text was cut to 6,000 of its 10,000 characters (the maximum).",
    );
    const ja = await panel("ja");
    expect(ja.text).toContain("baby は 1,302 文字以上");
    expect(ja.needs.tiny).toContain(`${corpusRequirement("tiny").characters.toLocaleString("en-US")} 文字以上が必要です`);
    expect(ja.cut).toBe("文章を {total} 文字のうち {kept} 文字に切り詰めました（上限）。");
  });
});
