/**
 * The generator of the WebAssembly kernels' methods (src/tensor/wasm/kernel-table.ts): it
 * refuses descriptions that disagree with the reference kernels, checks lengths by the
 * descriptions' formulas, and places, runs and gives back as each description says.
 */
import { describe, expect, it } from "vitest";
import { type Backend, type KernelSpec, generateKernel } from "../../src/tensor/wasm/kernel-table.ts";
import { residualForward } from "../../src/tensor/wasm/specs-rows.ts";

/** a backend that records what the generated method asks of it, over a plain array "memory" */
function recordingBackend() {
  const memory = new Float32Array(64);
  const log: string[] = [];
  let next = 4;
  const backend = {
    exports: {},
    halves: (fn: string, count: number) => log.push(`halves ${fn} ${count}`),
    take: () => 0,
    floats: () => memory,
    addressOf: () => -1,
    begin: () => log.push("begin"),
    place: (array: Float32Array, length: number, copyIn: boolean) => {
      const at = next * 4;
      next += length;
      if (copyIn) memory.set(array.subarray(0, length), at / 4);
      log.push(`place ${length} ${copyIn ? "in" : "out"}`);
      return at;
    },
    giveBack: (array: Float32Array, at: number, length: number) => {
      array.set(memory.subarray(at / 4, at / 4 + length));
      log.push(`giveBack ${length}`);
    },
  } as unknown as Backend;
  return { backend, log, memory };
}

describe("generateKernel", () => {
  it("runs a description's steps in order: checks, placement (copying only what is read), run, give-back", () => {
    const { backend, log, memory } = recordingBackend();
    const spec: KernelSpec<"residualForward"> = {
      ...residualForward,
      run: ({ at, n }) => {
        // the sum, done here on the recorded memory
        for (let i = 0; i < n.N; i++) memory[at.out / 4 + i] = memory[at.a / 4 + i] + memory[at.b / 4 + i];
        log.push("run");
      },
    };
    const add = generateKernel(spec, backend);
    const out = new Float32Array(3);
    add(out, Float32Array.of(1, 2, 3), Float32Array.of(10, 20, 30), 3);
    expect(Array.from(out)).toEqual([11, 22, 33]);
    expect(log).toEqual(["begin", "place 3 out", "place 3 in", "place 3 in", "run", "giveBack 3"]);
  });

  it("checks sizes and lengths by the formulas, naming the values, before touching anything", () => {
    const { backend, log } = recordingBackend();
    const add = generateKernel(residualForward, backend);
    expect(() => add(new Float32Array(3), new Float32Array(3), new Float32Array(2), 3)).toThrow("residualForward: b has 2 floats, N = 3");
    expect(() => add(new Float32Array(3), new Float32Array(3), new Float32Array(3), 2.5)).toThrow(
      "residualForward: N must be a whole number ≥ 0, got 2.5",
    );
    expect(log).toEqual([]);
    // float64 goes to the reference (nothing placed)
    const out = new Float64Array(2);
    add(out, Float64Array.of(1, 2), Float64Array.of(3, 4), 2);
    expect(Array.from(out)).toEqual([4, 6]);
    expect(log).toEqual([]);
  });

  it("refuses a description that disagrees with the reference or names unknown sizes", () => {
    const { backend } = recordingBackend();
    expect(() => generateKernel({ ...residualForward, args: ["out", "a", "N"] }, backend)).toThrow(
      "residualForward: the description names 3 arguments, the reference takes 4",
    );
    expect(() =>
      generateKernel({ ...residualForward, buffers: { ...residualForward.buffers, out: { floats: "N*M", io: "out" } } }, backend),
    ).toThrow('residualForward: the length "N*M" names an unknown size M');
    expect(() => generateKernel({ ...residualForward, sizes: ["N", "K"] }, backend)).toThrow(
      "residualForward: K is not one of its arguments",
    );
  });
});
