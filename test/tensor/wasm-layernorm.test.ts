/**
 * The WebAssembly LayerNorm against the readable reference (run in float64 on the same float32
 * inputs): outputs, the saved mean and rstd, and every gradient, on rows of awkward widths
 * (C not a multiple of 4 runs the single-float tail), with and without a bias.
 */
import { afterAll, describe, expect, it } from "vitest";
import { layernormBackward, layernormForward } from "../../src/tensor/layernorm.ts";
import { createWasmKernels } from "../../src/tensor/wasm/index.ts";
import { fillRandn, seededRandom, type Random } from "../helpers/random.ts";
import { maxRelativeDifference } from "./harness.ts";
import { f64, place } from "./wasm-placement.ts";

/**
 * Relative to max(|expected|, 1): float32 row sums of ≤ 131 terms (mean, variance, the two
 * backward means) and a handful of float32 operations per element. Measured worst over these
 * shapes and the baby model's [768, 128]: out ~3e-6 (x − mean with a float32 mean of rows
 * shifted by up to ~6, times rstd·weight), mean, rstd, dinp < 1e-6.
 */
const TOLERANCE = 1e-5;
/**
 * dweight and dbias add one float32 term per row to a float32 buffer, so their error grows with
 * N: compared relative to max(|expected|, √N), the size of a sum of N unit terms. Measured: ~2e-6.
 */
const GRADIENT_SUM_TOLERANCE = 1e-5;

// [N, C]: one element, widths below, at and around 4 and 16, the baby model's 128, and 131
const SHAPES: Array<[number, number]> = [
  [1, 1],
  [3, 3],
  [2, 4],
  [5, 7],
  [4, 13],
  [3, 16],
  [7, 29],
  [6, 128],
  [67, 131],
  // enough rows for the backward to sum two halves separately (N·C ≥ 16384)
  [160, 128],
  [301, 60],
];

/** rows with their own offset and spread, so that centering and scaling both matter */
function rows(random: Random, N: number, C: number): Float32Array {
  const x = new Float32Array(N * C);
  for (let n = 0; n < N; n++) {
    const shift = 2 * random.normal(),
      scale = 0.5 + Math.abs(random.normal());
    for (let c = 0; c < C; c++) x[n * C + c] = shift + scale * random.normal();
  }
  return x;
}

describe("createWasmKernels: layernorm", () => {
  const kernels = createWasmKernels();

  for (const placement of ["alloc", "plain"] as const) {
    for (const withBias of [true, false]) {
      const label = `${placement} buffers, ${withBias ? "with" : "without"} bias`;

      it(`forward matches the reference: out, mean, rstd (${label})`, () => {
        const random = seededRandom(placement === "alloc" ? 51 : 52);
        for (const [N, C] of SHAPES) {
          const inp0 = rows(random, N, C);
          const weight0 = fillRandn(new Float32Array(C), random);
          const bias0 = withBias ? fillRandn(new Float32Array(C), random) : null;
          const expected = { out: new Float64Array(N * C), mean: new Float64Array(N), rstd: new Float64Array(N) };
          layernormForward(expected.out, expected.mean, expected.rstd, f64(inp0), f64(weight0), bias0 && f64(bias0), N, C);

          // outputs start as garbage: every entry must be written
          const garbage = (n: number) => place(kernels, placement, fillRandn(new Float32Array(n), random, 100));
          const out = garbage(N * C),
            mean = garbage(N),
            rstd = garbage(N);
          const inp = place(kernels, placement, inp0);
          kernels.layernormForward(
            out,
            mean,
            rstd,
            inp,
            place(kernels, placement, weight0),
            bias0 && place(kernels, placement, bias0),
            N,
            C,
          );

          const shape = `N=${N} C=${C}`;
          expect(maxRelativeDifference(out, expected.out), `out ${shape}`).toBeLessThan(TOLERANCE);
          expect(maxRelativeDifference(mean, expected.mean), `mean ${shape}`).toBeLessThan(TOLERANCE);
          expect(maxRelativeDifference(rstd, expected.rstd, 0), `rstd ${shape}`).toBeLessThan(TOLERANCE);
          expect(inp).toEqual(inp0);
        }
      });

      it(`backward adds the reference's gradients: dinp, dweight, dbias (${label})`, () => {
        const random = seededRandom(placement === "alloc" ? 61 : 62);
        for (const [N, C] of SHAPES) {
          const inp0 = rows(random, N, C);
          const weight0 = fillRandn(new Float32Array(C), random);
          const mean0 = new Float32Array(N),
            rstd0 = new Float32Array(N);
          layernormForward(new Float32Array(N * C), mean0, rstd0, inp0, weight0, null, N, C);
          const dout0 = fillRandn(new Float32Array(N * C), random);
          // every gradient already holds something: all are added to
          const dinp0 = fillRandn(new Float32Array(N * C), random);
          const dweight0 = fillRandn(new Float32Array(C), random);
          const dbias0 = withBias ? fillRandn(new Float32Array(C), random) : null;
          const expected = { dinp: f64(dinp0), dweight: f64(dweight0), dbias: dbias0 && f64(dbias0) };
          layernormBackward(
            expected.dinp,
            expected.dweight,
            expected.dbias,
            f64(dout0),
            f64(inp0),
            f64(weight0),
            f64(mean0),
            f64(rstd0),
            N,
            C,
          );

          const dinp = place(kernels, placement, dinp0);
          const dweight = place(kernels, placement, dweight0);
          const dbias = dbias0 && place(kernels, placement, dbias0);
          const [dout, inp, weight, mean, rstd] = [dout0, inp0, weight0, mean0, rstd0].map((a) => place(kernels, placement, a));
          kernels.layernormBackward(dinp, dweight, dbias, dout, inp, weight, mean, rstd, N, C);

          const shape = `N=${N} C=${C}`;
          expect(maxRelativeDifference(dinp, expected.dinp), `dinp ${shape}`).toBeLessThan(TOLERANCE);
          expect(maxRelativeDifference(dweight, expected.dweight, Math.sqrt(N)), `dweight ${shape}`).toBeLessThan(GRADIENT_SUM_TOLERANCE);
          if (dbias && expected.dbias) {
            expect(maxRelativeDifference(dbias, expected.dbias, Math.sqrt(N)), `dbias ${shape}`).toBeLessThan(GRADIENT_SUM_TOLERANCE);
          }
          expect(dout).toEqual(dout0);
        }
      });
    }
  }

  it("sends Float64Arrays to the reference, exactly", () => {
    const random = seededRandom(63);
    const N = 3,
      C = 5;
    const inp = fillRandn(new Float64Array(N * C), random),
      weight = fillRandn(new Float64Array(C), random);
    const bias = fillRandn(new Float64Array(C), random),
      dout = fillRandn(new Float64Array(N * C), random);
    const run = (forward: typeof layernormForward, backward: typeof layernormBackward) => {
      const out = new Float64Array(N * C),
        mean = new Float64Array(N),
        rstd = new Float64Array(N);
      forward(out, mean, rstd, inp, weight, bias, N, C);
      const dinp = new Float64Array(N * C),
        dweight = new Float64Array(C),
        dbias = new Float64Array(C);
      backward(dinp, dweight, dbias, dout, inp, weight, mean, rstd, N, C);
      return { out, mean, rstd, dinp, dweight, dbias };
    };
    expect(run(kernels.layernormForward, kernels.layernormBackward)).toEqual(run(layernormForward, layernormBackward));
  });

  it("refuses buffers shorter than their shape, naming the sizes", () => {
    const out = kernels.alloc(6),
      mean = kernels.alloc(2),
      rstd = kernels.alloc(2),
      weight = kernels.alloc(3);
    expect(() => kernels.layernormForward(out, mean, rstd, kernels.alloc(5), weight, null, 2, 3)).toThrow(
      "layernormForward: inp has 5 floats, N*C = 6",
    );
  });
});

describe("createWasmKernels: residualLayernormForward", () => {
  const kernels = createWasmKernels();
  const two = createWasmKernels({ threads: 2 });
  afterAll(() => two.close?.());

  it("gives exactly the floats of residualForward then layernormForward, on one thread or two", () => {
    const random = seededRandom(71);
    for (const [N, C] of [
      [5, 7],
      [67, 131],
      [160, 128],
    ] as const) {
      const a0 = rows(random, N, C),
        b0 = fillRandn(new Float32Array(N * C), random);
      const weight0 = fillRandn(new Float32Array(C), random),
        bias0 = fillRandn(new Float32Array(C), random);
      for (const bias of [bias0, null]) {
        const apart = { residual: kernels.alloc(N * C), out: kernels.alloc(N * C), mean: kernels.alloc(N), rstd: kernels.alloc(N) };
        kernels.residualForward(apart.residual, a0, b0, N * C);
        kernels.layernormForward(apart.out, apart.mean, apart.rstd, apart.residual, weight0, bias, N, C);
        for (const k of [kernels, two]) {
          const fused = { residual: k.alloc(N * C), out: k.alloc(N * C), mean: k.alloc(N), rstd: k.alloc(N) };
          k.residualLayernormForward(
            fused.residual,
            fused.out,
            fused.mean,
            fused.rstd,
            place(k, "alloc", a0),
            place(k, "plain", b0),
            weight0,
            bias,
            N,
            C,
          );
          expect(fused, `N=${N} C=${C} ${k.name}`).toEqual(apart);
        }
      }
    }
  });

  it("sends Float64Arrays to the reference and refuses short buffers, naming them", () => {
    const N = 3,
      C = 5,
      random = seededRandom(72);
    const a = fillRandn(new Float64Array(N * C), random),
      b = fillRandn(new Float64Array(N * C), random);
    const weight = fillRandn(new Float64Array(C), random);
    const residual = new Float64Array(N * C),
      out = new Float64Array(N * C),
      mean = new Float64Array(N),
      rstd = new Float64Array(N);
    kernels.residualLayernormForward(residual, out, mean, rstd, a, b, weight, null, N, C);
    const expected = {
      residual: a.map((x, i) => x + b[i]),
      out: new Float64Array(N * C),
      mean: new Float64Array(N),
      rstd: new Float64Array(N),
    };
    layernormForward(expected.out, expected.mean, expected.rstd, expected.residual, weight, null, N, C);
    expect({ residual, out, mean, rstd }).toEqual(expected);
    expect(() =>
      kernels.residualLayernormForward(
        kernels.alloc(6),
        kernels.alloc(6),
        kernels.alloc(2),
        kernels.alloc(2),
        kernels.alloc(6),
        kernels.alloc(5),
        kernels.alloc(3),
        null,
        2,
        3,
      ),
    ).toThrow("residualLayernormForward: b has 5 floats, N*C = 6");
  });
});
