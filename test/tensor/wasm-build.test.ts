/**
 * The stored WebAssembly is what the generator makes today, and the assembler's encodings are
 * the binary format's.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ByteWriter, F32x4, I32, ModuleBuilder } from "../../src/tensor/wasm/assembler.ts";
import { kernelBytesSource } from "../../src/tensor/wasm/kernel-bytes-source.ts";
import { buildKernelModule } from "../../src/tensor/wasm/program.ts";
import { BLOCKING } from "../../src/tensor/wasm/program-gemm.ts";

describe("WebAssembly build", () => {
  it("src/tensor/wasm/kernel-bytes.ts is up to date (else run npm run build:wasm)", () => {
    const stored = readFileSync(new URL("../../src/tensor/wasm/kernel-bytes.ts", import.meta.url), "utf8");
    expect(stored).toBe(kernelBytesSource(buildKernelModule(), buildKernelModule(undefined, { fma: true })));
  });

  it("builds the same bytes every time, and they validate with SIMD and a shared memory", () => {
    const bytes = buildKernelModule();
    expect(buildKernelModule()).toEqual(bytes);
    expect(WebAssembly.validate(bytes)).toBe(true);
    const imports = WebAssembly.Module.imports(new WebAssembly.Module(bytes));
    expect(imports).toEqual([{ module: "env", name: "memory", kind: "memory" }]);
  });

  it("builds other blockings too (the bench/tuning path)", () => {
    for (const blocking of [
      { MR: 4, NR: 8 },
      { MR: 5, NR: 12, MC: 60, NC: 516, UNROLL: 3 },
    ]) {
      expect(WebAssembly.validate(buildKernelModule({ ...BLOCKING, ...blocking }))).toBe(true);
    }
    expect(() => buildKernelModule({ ...BLOCKING, NR: 6 })).toThrow("bad blocking");
  });
});

describe("assembler", () => {
  it("writes LEB128 like the specification's examples", () => {
    const leb = (write: (w: ByteWriter) => void) => {
      const w = new ByteWriter();
      write(w);
      return w.bytes;
    };
    expect(leb((w) => w.u32(0))).toEqual([0x00]);
    expect(leb((w) => w.u32(127))).toEqual([0x7f]);
    expect(leb((w) => w.u32(128))).toEqual([0x80, 0x01]);
    expect(leb((w) => w.u32(624485))).toEqual([0xe5, 0x8e, 0x26]);
    expect(leb((w) => w.u32(0xffffffff))).toEqual([0xff, 0xff, 0xff, 0xff, 0x0f]);
    expect(leb((w) => w.s32(-1))).toEqual([0x7f]);
    expect(leb((w) => w.s32(63))).toEqual([0x3f]);
    expect(leb((w) => w.s32(64))).toEqual([0xc0, 0x00]);
    expect(leb((w) => w.s32(-64))).toEqual([0x40]);
    expect(leb((w) => w.s32(-65))).toEqual([0xbf, 0x7f]);
    expect(leb((w) => w.s32(-123456))).toEqual([0xc0, 0xbb, 0x78]);
    expect(leb((w) => w.s32(-0x80000000))).toEqual([0x80, 0x80, 0x80, 0x80, 0x78]);
    expect(() => leb((w) => w.u32(-1))).toThrow("u32 out of range");
  });

  it("assembles a small SIMD function that runs", () => {
    // axpy4(x, y, n): y[i] += 2·x[i] four lanes at a time, then a lane sum into y[n]
    const module = new ModuleBuilder();
    module.importMemory({ module: "env", name: "memory", minimum: 1, maximum: 2, shared: true });
    const fn = module.func("axpy4", { x: "i32", y: "i32", n: "i32" }, { exported: true });
    fn.define((f, { x, y, n }) => {
      const i = f.local("i32"),
        sum = f.local("v128");
      f.set(sum, F32x4.zero());
      f.forRange(i, 0, n, 4, () => {
        const at = I32.add(y, I32.shl(i, 2));
        const v = F32x4.add(F32x4.load(at), F32x4.mul(F32x4.loadSplat(0), F32x4.load(I32.add(x, I32.shl(i, 2)))));
        f.store(at, v);
        f.set(sum, F32x4.add(sum, F32x4.load(at)));
      });
      // y[n] = lane 0 + lane 1 + lane 2 + lane 3 of the running sum
      const lanes = [0, 1, 2, 3].map((lane) => F32x4.extractLane(sum, lane));
      f.store(
        I32.add(y, I32.shl(n, 2)),
        lanes.reduce((a, b) => ({
          type: "f32",
          emit: (w) => {
            a.emit(w);
            b.emit(w);
            w.byte(0x92);
          },
        })),
      );
    });
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 2, shared: true });
    const instance = new WebAssembly.Instance(new WebAssembly.Module(module.encode()), { env: { memory } });
    const heap = new Float32Array(memory.buffer);
    heap[0] = 2; // the factor, at address 0
    heap.set([1, 2, 3, 4, 5, 6, 7, 8], 4); // x at byte 16
    heap.set([10, 10, 10, 10, 10, 10, 10, 10], 12); // y at byte 48
    (instance.exports.axpy4 as (x: number, y: number, n: number) => void)(16, 48, 8);
    expect(Array.from(heap.subarray(12, 21))).toEqual([12, 14, 16, 18, 20, 22, 24, 26, 152]);
  });
});
