/**
 * Every picture that draws token labels adds the piece legend when a label holds part of a
 * character (猫 1/3, <e8>…) and only then: the layouts carry its lines and the pictures grow by them.
 */
import { describe, expect, it } from "vitest";
import { attentionGridLayout, attentionHeadLayout } from "../../src/render/attention.ts";
import { embeddingsLayout } from "../../src/render/embeddings.ts";
import { LEGEND_LINE_HEIGHT } from "../../src/render/piece-legend.ts";
import { predictionsLayout } from "../../src/render/predictions.ts";
import { generationTraceLayout } from "../../src/render/trace.ts";
import { PIECE_GAP } from "../../src/tokenizer/pieces.ts";

const PIECE = `鬱${PIECE_GAP}1/3`;
const WHOLE = "鬱";
const LANGS = ["en", "ja"] as const;

function uniform(T: number): number[] {
  const w: number[] = [];
  for (let q = 0; q < T; q++) for (let k = 0; k < T; k++) w.push(k <= q ? 1 / (q + 1) : 0);
  return w;
}

/** Each picture's layout for a label: its legend lines and its height. */
const layouts: Record<string, (label: string, lang: "en" | "ja") => { legendLines: string[]; height: number }> = {
  predictions: (label, lang) =>
    predictionsLayout({
      context: "今日は",
      candidates: [
        { token: "な", prob: 0.5 },
        { token: label, prob: 0.2 },
      ],
      temperature: 1,
      modelName: "m",
      lang,
    }),
  "attention head": (label, lang) =>
    attentionHeadLayout({ tokens: ["今日", label, "な"], weights: uniform(3), layer: 0, head: 0, modelName: "m", lang }),
  "attention grid": (label, lang) =>
    attentionGridLayout({ tokens: ["今日", label, "な"], weights: [[uniform(3), uniform(3)]], modelName: "m", lang }),
  trace: (label, lang) =>
    generationTraceLayout({
      steps: [
        {
          context: "今日は",
          candidates: [
            { token: label, prob: 0.3 },
            { token: "な", prob: 0.2 },
          ],
          chosen: label,
        },
      ],
      modelName: "m",
      lang,
    }),
  embeddings: (label, lang) =>
    embeddingsLayout({
      points: [
        { label: "な", x: 0, y: 0 },
        { label, x: 1, y: 1, highlight: true },
      ],
      neighbours: { query: label, items: [{ label: "な", cosine: 0.4 }] },
      modelName: "m",
      lang,
    }),
};

describe.each(LANGS)("the piece legend (%s)", (lang) => {
  it.each(Object.keys(layouts))("%s: drawn for a byte piece, not for whole characters", (name) => {
    const withPiece = layouts[name](PIECE, lang);
    const whole = layouts[name](WHOLE, lang);
    expect(withPiece.legendLines.length).toBeGreaterThan(whole.legendLines.length);
    expect(withPiece.legendLines.join("")).toContain("猫");
    expect(withPiece.height - whole.height).toBe((withPiece.legendLines.length - whole.legendLines.length) * LEGEND_LINE_HEIGHT);
  });
});
