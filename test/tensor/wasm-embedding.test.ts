/**
 * The token + position embedding in WebAssembly against the readable reference: the forward is
 * one float32 add per element (bit for bit the reference's float32 rounding of a double sum of
 * two floats), the backward adds rows in the same order; bad ids are refused before any memory
 * is touched, with the reference's messages.
 */
import { describe, expect, it } from "vitest";
import { embeddingBackward, embeddingForward } from "../../src/tensor/embedding.ts";
import { createWasmKernels } from "../../src/tensor/wasm/index.ts";
import { fillRandn, seededRandom } from "../helpers/random.ts";
import { f64, place } from "./wasm-placement.ts";

describe("createWasmKernels: embeddings", () => {
  const kernels = createWasmKernels();
  const [B, T, C, V, maxT] = [3, 5, 7, 4, 6]; // C = 7: four lanes and a tail of three

  for (const placement of ["alloc", "plain"] as const) {
    it(`forward and backward match the reference, repeated tokens add up (${placement} buffers)`, () => {
      const random = seededRandom(71);
      const wte = fillRandn(new Float32Array(V * C), random),
        wpe = fillRandn(new Float32Array(maxT * C), random);
      const ids = Int32Array.from({ length: B * T }, (_, i) => (i * 3) % V); // every token several times
      const expected = new Float64Array(B * T * C);
      embeddingForward(expected, ids, f64(wte), f64(wpe), B, T, C);
      const out = place(kernels, placement, new Float32Array(B * T * C).fill(5));
      kernels.embeddingForward(out, ids, place(kernels, placement, wte), place(kernels, placement, wpe), B, T, C);
      expect(Array.from(out)).toEqual(Array.from(Float32Array.from(expected)));

      const dout = fillRandn(new Float32Array(B * T * C), random);
      const dwte0 = fillRandn(new Float32Array(V * C), random),
        dwpe0 = fillRandn(new Float32Array(maxT * C), random);
      const expectedDwte = f64(dwte0),
        expectedDwpe = f64(dwpe0);
      embeddingBackward(expectedDwte, expectedDwpe, f64(dout), ids, B, T, C);
      const dwte = place(kernels, placement, dwte0),
        dwpe = place(kernels, placement, dwpe0);
      kernels.embeddingBackward(dwte, dwpe, place(kernels, placement, dout), ids, B, T, C);
      for (const [got, want] of [
        [dwte, expectedDwte],
        [dwpe, expectedDwpe],
      ] as const) {
        for (let i = 0; i < want.length; i++) expect(Math.abs(got[i] - want[i])).toBeLessThan(1e-5 * Math.max(1, Math.abs(want[i])));
      }
      // position rows past T are untouched
      expect(Array.from(dwpe.subarray(T * C))).toEqual(Array.from(dwpe0.subarray(T * C)));
    });
  }

  it("refuses an id outside the vocabulary and a context longer than wpe, changing nothing", () => {
    const wte = kernels.alloc(V * C),
      wpe = kernels.alloc(maxT * C);
    const out = kernels.alloc(B * T * C).fill(3);
    const bad = new Int32Array(B * T);
    bad[7] = V;
    expect(() => kernels.embeddingForward(out, bad, wte, wpe, B, T, C)).toThrow(
      `token id ${V} at batch 1, position 2 is outside the vocabulary of ${V} tokens`,
    );
    bad[7] = -1;
    expect(() => kernels.embeddingBackward(wte, wpe, out, bad, B, T, C)).toThrow("token id -1 at batch 1, position 2");
    expect(() => kernels.embeddingForward(kernels.alloc(B * 7 * C), new Int32Array(B * 7), wte, wpe, B, 7, C)).toThrow(
      `context has 7 tokens, block size is ${maxT}`,
    );
    expect(out.every((x) => x === 3)).toBe(true);
    expect(wte.every((x) => x === 0)).toBe(true);
  });
});
