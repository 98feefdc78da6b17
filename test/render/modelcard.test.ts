import { describe, expect, it } from "vitest";
import { renderModelCard, type ModelCardConfig, type ParameterCounts } from "../../src/render/modelcard.ts";
import { expectSanePicture, LANGS } from "./fixtures.ts";

/** Counts the way nanoGPT lays parameters out (lm_head tied to wte). */
function countsFor(c: ModelCardConfig): ParameterCounts {
  const C = c.nEmbd;
  const ln = c.bias ? 2 * C : C;
  const attention = c.nLayer * (4 * C * C + (c.bias ? 4 * C : 0));
  const mlp = c.nLayer * (8 * C * C + (c.bias ? 5 * C : 0));
  const counts = { embedding: c.vocabSize * C, position: c.blockSize * C, attention, mlp, layernorm: (2 * c.nLayer + 1) * ln, total: 0 };
  counts.total = counts.embedding + counts.position + attention + mlp + counts.layernorm;
  return counts;
}

describe("renderModelCard", () => {
  const configs: ModelCardConfig[] = [
    { vocabSize: 65, blockSize: 256, nLayer: 6, nHead: 6, nEmbd: 384, bias: false },
    { vocabSize: 50257, blockSize: 1024, nLayer: 12, nHead: 12, nEmbd: 768, bias: true },
    { vocabSize: 10, blockSize: 16, nLayer: 1, nHead: 2, nEmbd: 16, bias: false },
  ];
  for (const lang of LANGS) {
    for (const config of configs) {
      it(`draws the architecture of a ${config.nLayer}-layer model (${lang})`, async () => {
        const png = await renderModelCard({
          config,
          counts: countsFor(config),
          modelName: lang === "ja" ? "このサーバーのモデル" : "default model",
          lang,
          stats: { step: 5000, valLoss: 1.48, tokenizer: lang === "ja" ? "文字単位" : "characters" },
        });
        const picture = await expectSanePicture(png, 100);
        // cut to its content: no tall empty band at the bottom
        expect(picture.height).toBeLessThan(1100);
        const bottomRow = Array.from({ length: 40 }, (_, i) => picture.pixel(i * 30 + 10, picture.height - 2));
        expect(new Set(bottomRow.map((p) => p.join())).size).toBe(1);
      });
    }
  }

  it("rejects a config that cannot be a GPT", async () => {
    const config = { vocabSize: 0, blockSize: 16, nLayer: 1, nHead: 2, nEmbd: 16, bias: false };
    await expect(renderModelCard({ config, counts: countsFor(config), modelName: "m", lang: "en" })).rejects.toThrow(
      /vocabSize must be a positive integer, got 0/,
    );
    const good = configs[2];
    await expect(
      renderModelCard({ config: good, counts: { ...countsFor(good), mlp: Number.NaN }, modelName: "m", lang: "en" }),
    ).rejects.toThrow(/counts.mlp/);
  });
});
