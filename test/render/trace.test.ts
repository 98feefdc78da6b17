import { describe, expect, it } from "vitest";
import { generationTraceLayout, MAX_TRACE_ROWS, renderGenerationTrace, type TraceStep } from "../../src/render/trace.ts";
import { COLORS } from "../../src/render/theme.ts";
import { colourDistance, expectSanePicture, hexRgb, LANGS } from "./fixtures.ts";

function steps(prompt: string, pieces: string[]): TraceStep[] {
  let context = prompt;
  return pieces.map((chosen, i) => {
    const step: TraceStep = {
      context,
      candidates: [
        { token: chosen, prob: 0.3 + 0.01 * i },
        { token: " the", prob: 0.2 },
        { token: "\n", prob: 0.1 },
        { token: "、", prob: 0.05 },
      ],
      chosen,
    };
    context += chosen;
    return step;
  });
}

describe("renderGenerationTrace", () => {
  for (const lang of LANGS) {
    it(`draws one row per step with the chosen key highlighted (${lang})`, async () => {
      const input = {
        steps: lang === "ja" ? steps("吾輩は", ["猫", "で", "あ", "る", "。"]) : steps("To be", [",", " or", " not", " to", " be"]),
        modelName: "default model",
        lang,
      };
      const layout = generationTraceLayout(input);
      expect(layout.shownSteps).toBe(5);
      const picture = await expectSanePicture(await renderGenerationTrace(input));
      // the chosen token is the most likely here: the first key of every row is accent-coloured
      for (let i = 0; i < 5; i++) {
        const pixel = picture.pixel(layout.keysX + 4, layout.rowsTop + i * 84 + 34);
        expect(colourDistance(pixel, hexRgb(COLORS.accent))).toBeLessThan(10);
        const other = picture.pixel(layout.keysX + layout.keyWidth + 10 + 4, layout.rowsTop + i * 84 + 34);
        expect(colourDistance(other, hexRgb(COLORS.accent))).toBeGreaterThan(100);
      }
    });
  }

  it("keeps a 6000-character context and 60 steps within the limits", async () => {
    const long = steps(
      "Lorem ipsum dolor sit amet, 吾輩は猫である。\n".repeat(200).slice(0, 6000),
      Array.from({ length: 60 }, (_, i) => (i % 2 ? "\t" : "word")),
    );
    const input = { steps: long, modelName: "m", lang: "en" as const };
    const layout = generationTraceLayout(input);
    expect(layout.shownSteps).toBe(MAX_TRACE_ROWS);
    expect(layout.resultLines.length).toBeLessThanOrEqual(4);
    await expectSanePicture(await renderGenerationTrace(input));
  });

  it("shows a chosen token that was not among the candidates", async () => {
    const input = {
      steps: [{ context: "abc", candidates: [{ token: "x", prob: 0.9 }], chosen: "y" }],
      modelName: "m",
      lang: "ja" as const,
    };
    await expectSanePicture(await renderGenerationTrace(input));
  });

  it("gives a 'nothing to show' picture without steps", async () => {
    for (const lang of LANGS) {
      const picture = await expectSanePicture(await renderGenerationTrace({ steps: [], modelName: "m", lang }));
      expect(picture.height).toBeLessThan(400);
    }
  });
});
