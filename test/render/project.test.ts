import { describe, expect, it } from "vitest";
import { nearestByCosine, pca2 } from "../../src/render/project.ts";
import { seeded } from "./fixtures.ts";

/** Points spread mostly along a, less along b, a little noise, shifted by an offset. */
function cloud(n: number, dim: number, a: number[], b: number[], seed: number): { vectors: Float32Array; s: number[]; t: number[] } {
  const random = seeded(seed);
  const vectors = new Float32Array(n * dim);
  const s: number[] = [];
  const t: number[] = [];
  for (let i = 0; i < n; i++) {
    const si = (random() - 0.5) * 10;
    const ti = (random() - 0.5) * 4;
    s.push(si);
    t.push(ti);
    for (let j = 0; j < dim; j++) vectors[i * dim + j] = 3 + si * a[j] + ti * b[j] + (random() - 0.5) * 0.01;
  }
  return { vectors, s, t };
}

function correlation(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i] / n;
    my += y[i] / n;
  }
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

describe("pca2", () => {
  it("finds the direction of most variation first, the next one second", () => {
    const r = Math.SQRT1_2;
    const a = [r, r, 0, 0];
    const b = [0, 0, r, -r];
    const { vectors, s, t } = cloud(200, 4, a, b, 1);
    const { x, y } = pca2(vectors, 200, 4);
    // (the sample's own axes are slightly rotated from a and b, hence 0.99, not 1)
    expect(Math.abs(correlation(x, s))).toBeGreaterThan(0.99);
    expect(Math.abs(correlation(y, t))).toBeGreaterThan(0.99);
    // the two coordinates are uncorrelated (eigenvectors of the covariance)
    expect(Math.abs(correlation(x, y))).toBeLessThan(1e-4);
    // coordinates along unit directions: the spread matches the data's
    const spread = (v: ArrayLike<number>) => Math.max(...Array.from(v)) - Math.min(...Array.from(v));
    expect(spread(x) / spread(s)).toBeCloseTo(1, 2);
    // centred
    expect(Math.abs(Array.from(x).reduce((p, q) => p + q, 0) / 200)).toBeLessThan(1e-4);
  });

  it("no direction spreads the data more than the first; none orthogonal to it more than the second", () => {
    const dim = 6;
    const n = 120;
    const random = seeded(11);
    // correlated data: a random linear mix of independent coordinates
    const mix = Array.from({ length: dim * dim }, () => random() - 0.5);
    const vectors = new Float32Array(n * dim);
    for (let i = 0; i < n; i++) {
      const z = Array.from({ length: dim }, (_, j) => (random() - 0.5) * (dim - j));
      for (let r = 0; r < dim; r++) for (let c = 0; c < dim; c++) vectors[i * dim + r] += mix[r * dim + c] * z[c];
    }
    const { x, y } = pca2(vectors, n, dim);
    const mean = Array.from(
      { length: dim },
      (_, j) => Array.from({ length: n }, (_, i) => vectors[i * dim + j]).reduce((a, b) => a + b) / n,
    );
    const variance = (u: number[]) => {
      let sum = 0;
      for (let i = 0; i < n; i++) {
        let p = 0;
        for (let j = 0; j < dim; j++) p += (vectors[i * dim + j] - mean[j]) * u[j];
        sum += p * p;
      }
      return sum / n;
    };
    const varX = Array.from(x).reduce((a, v) => a + v * v, 0) / n;
    const varY = Array.from(y).reduce((a, v) => a + v * v, 0) / n;
    // first direction recovered from the scores: u1 ∝ Xcᵀ·x
    const u1 = Array.from({ length: dim }, (_, j) =>
      Array.from({ length: n }, (_, i) => (vectors[i * dim + j] - mean[j]) * x[i]).reduce((a, b) => a + b),
    );
    const norm = Math.hypot(...u1);
    for (let j = 0; j < dim; j++) u1[j] /= norm;
    expect(variance(u1)).toBeCloseTo(varX, 3);
    for (let trial = 0; trial < 300; trial++) {
      let u = Array.from({ length: dim }, () => random() - 0.5);
      let len = Math.hypot(...u);
      u = u.map((v) => v / len);
      expect(variance(u)).toBeLessThanOrEqual(varX * (1 + 1e-6));
      // orthogonal to the first direction: bounded by the second
      const along = u.reduce((a, v, j) => a + v * u1[j], 0);
      u = u.map((v, j) => v - along * u1[j]);
      len = Math.hypot(...u);
      u = u.map((v) => v / len);
      expect(variance(u)).toBeLessThanOrEqual(varY * (1 + 1e-4));
    }
  });

  it("is deterministic, including the sign", () => {
    const { vectors } = cloud(50, 8, [1, 0, 0, 0, 0, 0, 0, 0], [0, 1, 0, 0, 0, 0, 0, 0], 3);
    const first = pca2(vectors, 50, 8);
    const second = pca2(vectors, 50, 8);
    expect(Array.from(first.x)).toEqual(Array.from(second.x));
    expect(Array.from(first.y)).toEqual(Array.from(second.y));
  });

  it("handles degenerate inputs", () => {
    expect(pca2(new Float32Array(0), 0, 3).x).toHaveLength(0);
    const single = pca2(new Float32Array([1, 2, 3]), 1, 3);
    expect(Array.from(single.x)).toEqual([0]);
    const line = pca2(new Float32Array([0, 1, 2, 3]), 4, 1);
    expect(Array.from(line.y)).toEqual([0, 0, 0, 0]);
    expect(Math.abs(line.x[3] - line.x[0])).toBeCloseTo(3, 5);
    expect(() => pca2(new Float32Array(5), 2, 3)).toThrow(/5 numbers, expected n×dim = 2×3 = 6/);
  });
});

describe("nearestByCosine", () => {
  it("ranks by direction, not length, and leaves out the query", () => {
    const vectors = new Float32Array([
      1,
      0, // 0: query
      10,
      1, // 1: almost the same direction, long
      0,
      1, // 2: orthogonal
      -1,
      0, // 3: opposite
      1,
      1, // 4: 45 degrees
      0,
      0, // 5: zero vector
    ]);
    const result = nearestByCosine(vectors, 6, 2, 0, 10);
    expect(result.map((r) => r.index)).toEqual([1, 4, 2, 5, 3]);
    expect(result[1].cosine).toBeCloseTo(Math.SQRT1_2, 6);
    expect(result[4].cosine).toBeCloseTo(-1, 6);
    expect(result.find((r) => r.index === 5)!.cosine).toBe(0);
    expect(nearestByCosine(vectors, 6, 2, 0, 2)).toHaveLength(2);
    expect(() => nearestByCosine(vectors, 6, 2, 6, 2)).toThrow(/queryIndex is 6/);
  });
});
