/**
 * The WebAssembly SIMD linear layer against the reference TypeScript kernel (run in float64 on
 * the same float32 inputs). The WebAssembly sums in float32 in a blocked order, so results
 * agree to float32 rounding: errors are measured relative to √K, the typical size of a sum of
 * K products of unit normals (the harness's `floor`).
 */
import { afterAll, describe, expect, it } from "vitest";
import { linearBackward, linearForward } from "../../src/tensor/linear.ts";
import { geluForward } from "../../src/tensor/gelu.ts";
import { createWasmKernels, fmaAvailable } from "../../src/tensor/wasm/index.ts";
import { BLOCKING } from "../../src/tensor/wasm/program-gemm.ts";
import { fillRandn, seededRandom, type Random } from "../helpers/random.ts";
import { maxRelativeDifference } from "./harness.ts";
import { f64, place } from "./wasm-placement.ts";

/** float32 reassociation over at most a few hundred terms stays far below this */
const TOLERANCE = 1e-5;

interface Layer {
  inp: Float32Array;
  weight: Float32Array;
  bias: Float32Array;
  dout: Float32Array;
}

function randomLayer(random: Random, N: number, IC: number, OC: number): Layer {
  return {
    inp: fillRandn(new Float32Array(N * IC), random),
    weight: fillRandn(new Float32Array(OC * IC), random),
    bias: fillRandn(new Float32Array(OC), random),
    dout: fillRandn(new Float32Array(N * OC), random),
  };
}

// Awkward sizes (not multiples of 2/4/16), and sizes past the block edges: K > KC (two K
// slices), rows > MC (two row blocks), columns > NC (two column slabs).
const { KC, MC, NC } = BLOCKING;
const SHAPES: Array<[number, number, number]> = [
  [1, 1, 1],
  [1, 3, 5],
  [3, 5, 17],
  [5, 17, 3],
  [17, 65, 127],
  [127, 17, 65],
  [65, 127, 5],
  [2, 16, 16],
  [64, 128, 65],
  [MC + 3, KC + 5, 33],
  [7, 33, NC + 17],
  [31, 2 * KC + 1, 18],
];

// both modules: separate multiplies and adds, and fused multiply-adds (where relaxed SIMD runs)
for (const fma of [false, ...(fmaAvailable() ? [true] : [])])
  describe(`createWasmKernels: linear layer${fma ? " (fused multiply-add)" : ""}`, () => {
    const kernels = createWasmKernels({ fma });

    it("is a Kernels backend with zeroed buffers in its own memory", () => {
      expect(kernels.name).toMatch(/^wasm-simd(\+fma)?$/);
      const buffer = kernels.alloc(37);
      expect(buffer).toBeInstanceOf(Float32Array);
      expect(buffer.length).toBe(37);
      expect(buffer.every((x) => x === 0)).toBe(true);
      expect(buffer.buffer).toBeInstanceOf(SharedArrayBuffer);
      expect(kernels.owns(buffer)).toBe(true);
      expect(kernels.owns(buffer.subarray(3, 9))).toBe(true);
      expect(kernels.owns(new Float32Array(37))).toBe(false);
      expect(kernels.owns(new Float64Array(37))).toBe(false);
      // allocations never overlap
      const other = kernels.alloc(5);
      other.fill(1);
      expect(buffer.every((x) => x === 0)).toBe(true);
    });

    for (const placement of ["alloc", "plain"] as const) {
      for (const withBias of [true, false]) {
        it(`forward matches the reference (${placement} buffers, ${withBias ? "with" : "no"} bias)`, () => {
          const random = seededRandom(withBias ? 11 : 12);
          for (const [N, IC, OC] of SHAPES) {
            const layer = randomLayer(random, N, IC, OC);
            const expected = new Float64Array(N * OC);
            linearForward(expected, f64(layer.inp), f64(layer.weight), withBias ? f64(layer.bias) : null, N, IC, OC);

            // the output starts as garbage: forward overwrites it
            const out = place(kernels, placement, fillRandn(new Float32Array(N * OC), random, 100));
            const inp = place(kernels, placement, layer.inp);
            const weight = place(kernels, placement, layer.weight);
            const bias = withBias ? place(kernels, placement, layer.bias) : null;
            kernels.linearForward(out, inp, weight, bias, N, IC, OC);

            const error = maxRelativeDifference(out, expected, Math.sqrt(IC));
            expect(error, `N=${N} IC=${IC} OC=${OC}`).toBeLessThan(TOLERANCE);
            // inputs are untouched
            expect(inp).toEqual(layer.inp);
            expect(weight).toEqual(layer.weight);
          }
        });

        it(`backward gives the reference's gradients over leftovers (${placement} buffers, ${withBias ? "with" : "no"} bias)`, () => {
          const random = seededRandom(withBias ? 21 : 22);
          for (const [N, IC, OC] of SHAPES) {
            const layer = randomLayer(random, N, IC, OC);
            // gradients already hold something: backward must add to it
            const dinp0 = fillRandn(new Float32Array(N * IC), random);
            const dweight0 = fillRandn(new Float32Array(OC * IC), random);
            const dbias0 = fillRandn(new Float32Array(OC), random);
            const expectedDinp = f64(dinp0),
              expectedDweight = f64(dweight0),
              expectedDbias = f64(dbias0);
            linearBackward(
              expectedDinp,
              expectedDweight,
              withBias ? expectedDbias : null,
              f64(layer.dout),
              f64(layer.inp),
              f64(layer.weight),
              N,
              IC,
              OC,
            );

            const dinp = place(kernels, placement, dinp0);
            const dweight = place(kernels, placement, dweight0);
            const dbias = withBias ? place(kernels, placement, dbias0) : null;
            kernels.linearBackward(
              dinp,
              dweight,
              dbias,
              place(kernels, placement, layer.dout),
              place(kernels, placement, layer.inp),
              place(kernels, placement, layer.weight),
              N,
              IC,
              OC,
            );

            const shape = `N=${N} IC=${IC} OC=${OC}`;
            expect(maxRelativeDifference(dinp, expectedDinp, Math.sqrt(OC)), `dinp ${shape}`).toBeLessThan(TOLERANCE);
            expect(maxRelativeDifference(dweight, expectedDweight, Math.sqrt(N)), `dweight ${shape}`).toBeLessThan(TOLERANCE);
            if (dbias !== null) {
              expect(maxRelativeDifference(dbias, expectedDbias, Math.sqrt(N)), `dbias ${shape}`).toBeLessThan(TOLERANCE);
            }
          }
        });
      }
    }

    it("backward writes dinp and accumulates dweight and dbias: called twice, only those double", () => {
      const random = seededRandom(3);
      for (const [N, IC, OC] of [
        [17, 65, 127],
        [MC + 3, KC + 5, 33],
        [5, 3, 1],
      ] as const) {
        const layer = randomLayer(random, N, IC, OC);
        const args = [
          place(kernels, "alloc", layer.dout),
          place(kernels, "alloc", layer.inp),
          place(kernels, "alloc", layer.weight),
        ] as const;
        const once = { dinp: kernels.alloc(N * IC), dweight: kernels.alloc(OC * IC), dbias: kernels.alloc(OC) };
        const twice = { dinp: kernels.alloc(N * IC), dweight: kernels.alloc(OC * IC), dbias: kernels.alloc(OC) };
        kernels.linearBackward(once.dinp, once.dweight, once.dbias, ...args, N, IC, OC);
        for (let i = 0; i < 2; i++) kernels.linearBackward(twice.dinp, twice.dweight, twice.dbias, ...args, N, IC, OC);
        const doubled = (a: Float32Array) => Float64Array.from(a, (x) => 2 * x);
        expect(twice.dinp).toEqual(once.dinp);
        expect(maxRelativeDifference(twice.dweight, doubled(once.dweight), Math.sqrt(N))).toBeLessThan(TOLERANCE);
        expect(maxRelativeDifference(twice.dbias, doubled(once.dbias), Math.sqrt(N))).toBeLessThan(TOLERANCE);
        expect(once.dweight.some((x) => x !== 0)).toBe(true);
      }
    });

    it("works on a mix of in-memory and ordinary arrays, and on subarrays of allocations", () => {
      const random = seededRandom(4);
      const N = 9,
        IC = 13,
        OC = 21;
      const layer = randomLayer(random, N, IC, OC);
      const expected = new Float64Array(N * OC);
      linearForward(expected, f64(layer.inp), f64(layer.weight), f64(layer.bias), N, IC, OC);

      // inp in memory at an odd offset inside a larger allocation; weight ordinary; bias in memory
      const big = kernels.alloc(N * IC + 7);
      const inp = big.subarray(3, 3 + N * IC);
      inp.set(layer.inp);
      const out = new Float32Array(N * OC);
      kernels.linearForward(out, inp, Float32Array.from(layer.weight), place(kernels, "alloc", layer.bias), N, IC, OC);
      expect(maxRelativeDifference(out, expected, Math.sqrt(IC))).toBeLessThan(TOLERANCE);
      // the neighbours of the subarray are untouched
      expect([big[0], big[1], big[2], big[N * IC + 3]]).toEqual([0, 0, 0, 0]);
    });

    it("passes Float64Arrays (gradient checks) to the reference kernel unchanged", () => {
      const random = seededRandom(5);
      const N = 4,
        IC = 6,
        OC = 5;
      const inp = fillRandn(new Float64Array(N * IC), random),
        weight = fillRandn(new Float64Array(OC * IC), random);
      const bias = fillRandn(new Float64Array(OC), random),
        dout = fillRandn(new Float64Array(N * OC), random);
      const out = new Float64Array(N * OC),
        expected = new Float64Array(N * OC);
      kernels.linearForward(out, inp, weight, bias, N, IC, OC);
      linearForward(expected, inp, weight, bias, N, IC, OC);
      expect(out).toEqual(expected);

      const grads = [new Float64Array(N * IC), new Float64Array(OC * IC), new Float64Array(OC)] as const;
      const expectedGrads = [new Float64Array(N * IC), new Float64Array(OC * IC), new Float64Array(OC)] as const;
      kernels.linearBackward(...grads, dout, inp, weight, N, IC, OC);
      linearBackward(...expectedGrads, dout, inp, weight, N, IC, OC);
      expect(grads).toEqual(expectedGrads);
    });

    it("handles empty sizes: IC = 0 gives the bias, N = 0 or OC = 0 writes nothing", () => {
      const bias = place(kernels, "alloc", Float32Array.from([1, 2, 3]));
      const out = kernels.alloc(6).fill(9);
      kernels.linearForward(out, kernels.alloc(0), kernels.alloc(0), bias, 2, 0, 3);
      expect(Array.from(out)).toEqual([1, 2, 3, 1, 2, 3]);
      kernels.linearForward(out, kernels.alloc(0), kernels.alloc(0), null, 2, 0, 3);
      expect(Array.from(out)).toEqual([0, 0, 0, 0, 0, 0]);

      const dbias = kernels.alloc(3);
      kernels.linearBackward(
        kernels.alloc(0),
        kernels.alloc(0),
        dbias,
        Float32Array.from([1, 2, 3, 4, 5, 6]),
        kernels.alloc(0),
        kernels.alloc(0),
        2,
        0,
        3,
      );
      expect(Array.from(dbias)).toEqual([5, 7, 9]);
      const untouched = kernels.alloc(4).fill(7);
      kernels.linearForward(untouched, kernels.alloc(0), kernels.alloc(8), null, 0, 2, 4);
      expect(Array.from(untouched)).toEqual([7, 7, 7, 7]);
    });

    it("refuses arrays shorter than the sizes say, naming them", () => {
      expect(() => kernels.linearForward(kernels.alloc(5), kernels.alloc(6), kernels.alloc(6), null, 2, 3, 3)).toThrow(
        "linearForward: out has 5 floats, N*OC = 6",
      );
      expect(() =>
        kernels.linearBackward(
          kernels.alloc(6),
          kernels.alloc(9),
          kernels.alloc(2),
          kernels.alloc(6),
          kernels.alloc(6),
          kernels.alloc(9),
          2,
          3,
          3,
        ),
      ).toThrow("linearBackward: dbias has 2 floats, OC = 3");
    });
  });

describe("createWasmKernels: another blocking", () => {
  // tiny blocks (and an unrolled micro-kernel) so that ordinary shapes cross many block edges
  const blocking = { MR: 3, NR: 8, KC: 7, MC: 6, NC: 16, UNROLL: 3 };
  const kernels = createWasmKernels({ blocking });

  it("computes the same forward and backward as the reference", () => {
    const random = seededRandom(9);
    for (const [N, IC, OC] of [
      [1, 1, 1],
      [5, 17, 3],
      [17, 65, 127],
      [20, 15, 40],
      [7, 8, 16],
    ] as const) {
      const layer = randomLayer(random, N, IC, OC);
      const expectedOut = new Float64Array(N * OC);
      linearForward(expectedOut, f64(layer.inp), f64(layer.weight), f64(layer.bias), N, IC, OC);
      const out = kernels.alloc(N * OC);
      kernels.linearForward(
        out,
        place(kernels, "alloc", layer.inp),
        place(kernels, "alloc", layer.weight),
        place(kernels, "alloc", layer.bias),
        N,
        IC,
        OC,
      );
      expect(maxRelativeDifference(out, expectedOut, Math.sqrt(IC)), `forward N=${N} IC=${IC} OC=${OC}`).toBeLessThan(TOLERANCE);

      const expected = { dinp: new Float64Array(N * IC), dweight: new Float64Array(OC * IC), dbias: new Float64Array(OC) };
      linearBackward(expected.dinp, expected.dweight, expected.dbias, f64(layer.dout), f64(layer.inp), f64(layer.weight), N, IC, OC);
      const dinp = kernels.alloc(N * IC),
        dweight = kernels.alloc(OC * IC),
        dbias = kernels.alloc(OC);
      kernels.linearBackward(
        dinp,
        dweight,
        dbias,
        place(kernels, "plain", layer.dout),
        place(kernels, "alloc", layer.inp),
        place(kernels, "alloc", layer.weight),
        N,
        IC,
        OC,
      );
      expect(maxRelativeDifference(dinp, expected.dinp, Math.sqrt(OC))).toBeLessThan(TOLERANCE);
      expect(maxRelativeDifference(dweight, expected.dweight, Math.sqrt(N))).toBeLessThan(TOLERANCE);
      expect(maxRelativeDifference(dbias, expected.dbias, Math.sqrt(N))).toBeLessThan(TOLERANCE);
    }
  });
});

describe("createWasmKernels: every blocking adds the same products in the same order", () => {
  // Each element of C sums its products in ascending k whatever the tile shape, so the packing
  // paths (odd MR row by row; even MR four k at a time with shuffles; contiguous columns as
  // overlapping vectors) must give the stored blocking's floats exactly, tails and edges included.
  const reference = createWasmKernels();
  const blockings = [
    { MR: 2, NR: 8, KC: 7, MC: 4, NC: 16, UNROLL: 1 },
    { MR: 4, NR: 4, KC: 9, MC: 8, NC: 8, UNROLL: 1 },
    { MR: 6, NR: 8, KC: 10, MC: 12, NC: 24, UNROLL: 1 },
    { MR: 5, NR: 12, KC: 6, MC: 10, NC: 24, UNROLL: 2 },
  ];
  for (const blocking of blockings) {
    it(`MR ${blocking.MR}, NR ${blocking.NR}, KC ${blocking.KC}`, () => {
      const kernels = createWasmKernels({ blocking });
      const random = seededRandom(11);
      for (const [N, IC, OC] of [
        [13, 22, 9],
        [24, 16, 8],
        [7, 35, 20],
      ] as const) {
        const layer = randomLayer(random, N, IC, OC);
        const results = [reference, kernels].map((k) => {
          const out = k.alloc(N * OC),
            dinp = k.alloc(N * IC),
            dweight = k.alloc(OC * IC),
            dbias = k.alloc(OC);
          const inp = place(k, "alloc", layer.inp),
            weight = place(k, "alloc", layer.weight);
          k.linearForward(out, inp, weight, place(k, "alloc", layer.bias), N, IC, OC);
          k.linearBackward(dinp, dweight, dbias, place(k, "alloc", layer.dout), inp, weight, N, IC, OC);
          return [out, dinp, dweight].map((x) => Array.from(x));
        });
        expect(results[1], `N=${N} IC=${IC} OC=${OC}`).toEqual(results[0]);
      }
    });
  }
});

describe("createWasmKernels: memory", () => {
  it("keeps earlier buffers valid and in place when the memory grows", () => {
    const kernels = createWasmKernels({ initialBytes: 1 << 20 });
    const before = kernels.memory.buffer.byteLength;
    const random = seededRandom(7);
    const N = 6,
      IC = 10,
      OC = 12;
    const layer = randomLayer(random, N, IC, OC);
    const inp = place(kernels, "alloc", layer.inp),
      weight = place(kernels, "alloc", layer.weight);
    const out = kernels.alloc(N * OC);

    // force several grows
    const large = kernels.alloc(3 << 20);
    large[large.length - 1] = 42;
    expect(kernels.memory.buffer.byteLength).toBeGreaterThan(before);

    // the old views still read the same numbers, are still recognised and written in place
    expect(inp).toEqual(layer.inp);
    expect(kernels.owns(inp) && kernels.owns(out) && kernels.owns(large)).toBe(true);
    kernels.linearForward(out, inp, weight, null, N, IC, OC);
    const expected = new Float64Array(N * OC);
    linearForward(expected, f64(layer.inp), f64(layer.weight), null, N, IC, OC);
    expect(maxRelativeDifference(out, expected, Math.sqrt(IC))).toBeLessThan(TOLERANCE);
    expect(out.some((x) => x !== 0)).toBe(true);
    expect(large[large.length - 1]).toBe(42);
  });

  it("copies ordinary arrays larger than its scratch space (the scratch grows)", () => {
    const kernels = createWasmKernels({ initialBytes: 1 << 16 });
    const random = seededRandom(8);
    const N = 300,
      IC = 200,
      OC = 150; // ~0.7 MB of operands, far past the initial 64 KiB
    const layer = randomLayer(random, N, IC, OC);
    const out = new Float32Array(N * OC);
    kernels.linearForward(out, layer.inp, layer.weight, layer.bias, N, IC, OC);
    const expected = new Float64Array(N * OC);
    linearForward(expected, f64(layer.inp), f64(layer.weight), f64(layer.bias), N, IC, OC);
    expect(maxRelativeDifference(out, expected, Math.sqrt(IC))).toBeLessThan(TOLERANCE);
  });

  it("keeps two backends' memories apart", () => {
    const a = createWasmKernels(),
      b = createWasmKernels();
    const x = a.alloc(4);
    expect(a.owns(x)).toBe(true);
    expect(b.owns(x)).toBe(false);
    // b treats a's buffer as a foreign array and still computes the right thing
    x.set([1, 2, 3, 4]);
    const out = b.alloc(4);
    b.linearForward(out, x, Float32Array.from([1, 1, 0, 1]), null, 2, 2, 2);
    expect(Array.from(out)).toEqual([3, 2, 7, 4]);
  });
});

describe("createWasmKernels: a linear layer into and out of a GELU (the gemm's per-block GELU)", () => {
  const one = createWasmKernels(),
    two = createWasmKernels({ threads: 2 });
  afterAll(() => two.close?.());
  // widths that are multiples of 4 (the gemm does the GELU) and not (done afterwards); deep K
  // (several passes over K on one thread); more rows than one block
  const shapes: Array<[number, number, number]> = [
    [5, 8, 12],
    [13, 16, 32],
    [MC + 3, KC + 5, 36],
    [7, 9, 10],
    [31, 2 * KC + 1, 20],
    [160, 128, 512],
  ];

  it("linearGeluForward gives exactly linearForward then geluForward, on one thread or two", () => {
    const random = seededRandom(31);
    for (const [N, IC, OC] of shapes) {
      const layer = randomLayer(random, N, IC, OC);
      const out = one.alloc(N * OC),
        gelu = one.alloc(N * OC);
      one.linearForward(out, layer.inp, layer.weight, layer.bias, N, IC, OC);
      one.geluForward(gelu, out, N * OC);
      for (const k of [one, two]) {
        const fusedOut = k.alloc(N * OC),
          fusedGelu = k.alloc(N * OC);
        k.linearGeluForward(fusedOut, fusedGelu, place(k, "alloc", layer.inp), place(k, "plain", layer.weight), layer.bias, N, IC, OC);
        expect({ out: fusedOut, gelu: fusedGelu }, `N=${N} IC=${IC} OC=${OC} ${k.name}`).toEqual({ out, gelu });
      }
    }
  });

  it("linearGeluBackward gives exactly linearBackward then geluBackward, on one thread or two", () => {
    const random = seededRandom(32);
    for (const [N, IC, OC] of shapes) {
      const layer = randomLayer(random, N, IC, OC);
      const pre = fillRandn(new Float32Array(N * IC), random);
      const dinp = one.alloc(N * IC),
        dpre = one.alloc(N * IC),
        dweight = one.alloc(OC * IC),
        dbias = one.alloc(OC);
      one.linearBackward(dinp, dweight, dbias, layer.dout, layer.inp, layer.weight, N, IC, OC);
      one.geluBackward(dpre, pre, dinp, N * IC);
      for (const k of [one, two]) {
        const fused = { dpre: k.alloc(N * IC), dweight: k.alloc(OC * IC), dbias: k.alloc(OC) };
        k.linearGeluBackward(
          fused.dpre,
          fused.dweight,
          fused.dbias,
          place(k, "alloc", layer.dout),
          layer.inp,
          layer.weight,
          place(k, "plain", pre),
          N,
          IC,
          OC,
        );
        expect(fused, `N=${N} IC=${IC} OC=${OC} ${k.name}`).toEqual({ dpre, dweight, dbias });
      }
    }
  });

  it("sends Float64Arrays to the reference, and refuses short buffers, naming them", () => {
    const random = seededRandom(33);
    const N = 3,
      IC = 4,
      OC = 5;
    const inp = fillRandn(new Float64Array(N * IC), random),
      weight = fillRandn(new Float64Array(OC * IC), random);
    const out = new Float64Array(N * OC),
      gelu = new Float64Array(N * OC);
    one.linearGeluForward(out, gelu, inp, weight, null, N, IC, OC);
    const expected = { out: new Float64Array(N * OC), gelu: new Float64Array(N * OC) };
    linearForward(expected.out, inp, weight, null, N, IC, OC);
    geluForward(expected.gelu, expected.out, N * OC);
    expect({ out, gelu }).toEqual(expected);
    expect(() => one.linearGeluForward(one.alloc(15), one.alloc(14), one.alloc(12), one.alloc(20), null, N, IC, OC)).toThrow(
      "linearGeluForward: geluOut has 14 floats, N*OC = 15",
    );
    expect(() =>
      one.linearGeluBackward(one.alloc(12), one.alloc(20), null, one.alloc(15), one.alloc(12), one.alloc(20), one.alloc(11), N, IC, OC),
    ).toThrow("linearGeluBackward: pre has 11 floats, N*IC = 12");
  });
});
