import { describe, expect, it } from "vitest";
import { embeddingsLayout, renderEmbeddings, type EmbeddingPoint } from "../../src/render/embeddings.ts";
import { nearestByCosine, pca2 } from "../../src/render/project.ts";
import { COLORS } from "../../src/render/theme.ts";
import { colourDistance, expectSanePicture, hexRgb, LANGS, seeded } from "./fixtures.ts";

describe("renderEmbeddings", () => {
  for (const lang of LANGS) {
    it(`draws the points where their coordinates say, highlighted ones in the accent colour (${lang})`, async () => {
      const labels = [..."あいうえおかきくけこ猫犬人abc"];
      const random = seeded(4);
      const dim = 16;
      const vectors = Float32Array.from({ length: labels.length * dim }, () => random());
      const { x, y } = pca2(vectors, labels.length, dim);
      const points: EmbeddingPoint[] = labels.map((label, i) => ({ label, x: x[i], y: y[i], highlight: label === "猫" }));
      const query = labels.indexOf("猫");
      const near = nearestByCosine(vectors, labels.length, dim, query, 8);
      const input = {
        points,
        neighbours: { query: "猫", items: near.map((n) => ({ label: labels[n.index], cosine: n.cosine })) },
        modelName: "m",
        lang,
      };
      const layout = embeddingsLayout(input);
      expect(layout.panel).not.toBeNull();
      const picture = await expectSanePicture(await renderEmbeddings(input));
      const cat = layout.toPixel(points[query].x, points[query].y);
      expect(colourDistance(picture.pixel(cat.x, cat.y), hexRgb(COLORS.accent))).toBeLessThan(10);
      const other = layout.toPixel(points[0].x, points[0].y);
      // an ordinary dot: the primary colour at 75% over the panel
      expect(colourDistance(picture.pixel(other.x, other.y), hexRgb(COLORS.accent))).toBeGreaterThan(100);
      expect(colourDistance(picture.pixel(other.x, other.y), hexRgb(COLORS.panel))).toBeGreaterThan(100);
    });
  }

  it("keeps every point inside the plot", () => {
    const points = [
      { label: "a", x: -5, y: 100 },
      { label: "b", x: 5, y: -100 },
      { label: "c", x: 0, y: 0 },
    ];
    const layout = embeddingsLayout({ points, modelName: "m", lang: "en" });
    for (const p of points) {
      const px = layout.toPixel(p.x, p.y);
      expect(px.x).toBeGreaterThan(layout.plot.left);
      expect(px.x).toBeLessThan(layout.plot.left + layout.plot.width);
      expect(px.y).toBeGreaterThan(layout.plot.top);
      expect(px.y).toBeLessThan(layout.plot.top + layout.plot.height);
    }
    // up is positive
    expect(layout.toPixel(0, 100).y).toBeLessThan(layout.toPixel(0, -100).y);
  });

  it("draws 3000 points (labels thinned) and identical points without failing", async () => {
    const random = seeded(8);
    const many = Array.from({ length: 3000 }, (_, i) => ({ label: `token${i}`, x: random(), y: random() }));
    await expectSanePicture(await renderEmbeddings({ points: many, modelName: "m", lang: "ja" }));
    const same = [
      { label: "a", x: 1, y: 1 },
      { label: "b", x: 1, y: 1 },
    ];
    await expectSanePicture(await renderEmbeddings({ points: same, modelName: "m", lang: "en" }));
  });

  it("gives a 'nothing to show' picture without points", async () => {
    for (const lang of LANGS) {
      const picture = await expectSanePicture(await renderEmbeddings({ points: [], modelName: "m", lang }));
      expect(picture.height).toBeLessThan(400);
    }
  });
});
