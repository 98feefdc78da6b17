/**
 * Every generated text passes through redactGeneration: a continuation that copies a stored
 * message is cut in the text, in each step the trace picture draws, and in what /explain
 * topic:generation quotes. The "stored message" here is the model's own output, so the copy is
 * real, not planted in the text afterwards.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { explainTopic, explanationText } from "../../src/app/explain/index.ts";
import { GENERATION_SEED, GENERATION_TOKENS } from "../../src/app/explain/generation.ts";
import { generateText } from "../../src/app/generate-text.ts";
import { handleFromCheckpoint, type ModelHandle } from "../../src/app/model-handle.ts";
import { tracePicture } from "../../src/app/pictures.ts";
import { CUT_MARK, redactGeneration, redactText } from "../../src/app/redaction.ts";
import { trainModel } from "../../src/app/train-model.ts";
import { MIN_RUN, VerbatimIndex } from "../../src/app/verbatim.ts";
import { loadCheckpointBytes } from "../../src/model/checkpoint.ts";
import { smallCorpus } from "../helpers/corpus.ts";

let handle: ModelHandle;
beforeAll(() => {
  const trained = trainModel(smallCorpus(), { preset: "tiny", tokenizer: "char", vocabSize: 0, steps: 30, seed: 1, evalInterval: 30 });
  handle = handleFromCheckpoint(loadCheckpointBytes(trained.checkpoint, "test"), "test model");
});

/** A generation long enough to hold a copied run, with the stop token off. */
const write = (prompt: string, seed: number, temperature = 0) =>
  generateText(handle, prompt, { maxTokens: 80, seed, stopAtEnd: false, temperature });

describe("redactGeneration", () => {
  it("without stored messages it changes nothing: the text and every step as the tokenizer shows them", () => {
    const g = write("It rained", 3);
    const shown = redactGeneration(handle, g, null);
    expect(shown.cut).toBe(false);
    expect(shown.text).toBe(g.text);
    shown.shownSteps.forEach((s, i) => {
      expect(s.chosen).toBe(handle.tokenizer.tokenText(g.steps[i].chosen));
      expect(s.context).toBe(g.prompt + handle.tokenizer.decode(g.steps.slice(0, i).map((x) => x.chosen)));
    });
  });

  it("cuts a copied run from the text, from every step's text so far and from the chosen tokens inside it", async () => {
    const g = write("It rained", 3);
    expect([...g.text].length).toBeGreaterThan(MIN_RUN + 10);
    // someone's stored message is exactly what the model wrote
    const stored = new VerbatimIndex([g.text]);
    const shown = redactGeneration(handle, g, stored);
    expect(shown.cut).toBe(true);
    expect(shown.text).toBe(CUT_MARK);
    expect(shown.text).toBe(redactText(g.text, stored).text);
    // no step shows more than MIN_RUN - 1 characters of the stored message, and no chosen token of it
    for (const s of shown.shownSteps) {
      const written = s.context.slice(g.prompt.length);
      expect(written === "" || written === CUT_MARK).toBe(true);
      expect(s.chosen).toBe(CUT_MARK);
      expect(s.candidates.every((c) => c.token === CUT_MARK)).toBe(true);
    }
    // and the picture differs from the one of the same generation unredacted
    const open = await tracePicture(handle, redactGeneration(handle, g, null), "en");
    const cut = await tracePicture(handle, shown, "en");
    expect(Buffer.from(cut).equals(Buffer.from(open))).toBe(false);
  });

  it("keeps what is not copied: a stored message holding only the middle of the text cuts only the middle", () => {
    const g = write("Today", 5, 1.5);
    const chars = [...g.text];
    // the sampled text does not repeat its middle at its start (else the start is a copy too)
    expect(g.text.indexOf(chars.slice(10, 30).join(""))).toBe(10);
    const middle = chars.slice(10, 10 + MIN_RUN + 5).join("");
    const shown = redactGeneration(handle, g, new VerbatimIndex([`someone wrote: ${middle} and more`]));
    expect(shown.cut).toBe(true);
    expect(shown.text.startsWith(chars.slice(0, 10).join(""))).toBe(true);
    expect(shown.text).toContain(CUT_MARK);
    expect(shown.text).not.toContain(middle.slice(0, MIN_RUN));
    // the first steps, before the run, are shown as they were
    expect(shown.shownSteps[0].chosen).toBe(handle.tokenizer.tokenText(g.steps[0].chosen));
  });

  it("/explain topic:generation quotes the model's output through it", async () => {
    const prompt = "It rained";
    const g = generateText(handle, prompt, { maxTokens: GENERATION_TOKENS, seed: GENERATION_SEED });
    expect(g.text.trim().length).toBeGreaterThan(3);
    // a redactor that finds every character copied: whatever the explanation quotes of the output is cut
    const everything = { copiedRuns: (text: string): [number, number][] => (text.length > 0 ? [[0, [...text].length]] : []) };
    const open = await explainTopic(handle, "generation", { lang: "en", text: prompt });
    const cut = await explainTopic(handle, "generation", { lang: "en", text: prompt, redactor: everything });
    expect(explanationText(open)).toContain(g.text.trim().slice(0, 4));
    expect(explanationText(cut)).not.toContain(g.text.trim());
    expect(explanationText(cut)).toContain("this model wrote: “\\[…\\]”"); // the mark, escaped for Markdown
    expect(Buffer.from(cut.pictures[0].png).equals(Buffer.from(open.pictures[0].png))).toBe(false);
  });
});
