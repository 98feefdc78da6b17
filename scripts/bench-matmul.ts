/**
 * GFLOP/s of the linear layer's forward and backward, reference TypeScript vs WebAssembly SIMD,
 * on the baby model's shapes (N = 12·64 = 768 rows). Printed, never asserted.
 *   npx tsx scripts/bench-matmul.ts            all shapes
 *   npx tsx scripts/bench-matmul.ts --quick    fewer runs
 * Forward counts 2·N·IC·OC flops, backward 4·N·IC·OC (dinp and dweight; dbias is not counted).
 * Also times the baby model's attention (ms per call).
 */
import { referenceKernels, type Kernels } from "../src/tensor/kernels.ts";
import { createWasmKernels } from "../src/tensor/wasm/index.ts";
import { seededRandom } from "../src/tensor/random.ts";
import { spread } from "./bench/stats.ts";

const quick = process.argv.includes("--quick");
const N = 12 * 64;
const SHAPES: Array<[string, number, number]> = [
  ["attn.c_attn 128→384", 128, 384],
  ["attn.c_proj 128→128", 128, 128],
  ["mlp.c_fc    128→512", 128, 512],
  ["mlp.c_proj  512→128", 512, 128],
  ["lm_head     128→65 ", 128, 65],
];

interface Buffers {
  out: Float32Array;
  inp: Float32Array;
  weight: Float32Array;
  dinp: Float32Array;
  dweight: Float32Array;
  dout: Float32Array;
}

function buffers(alloc: (n: number) => Float32Array, IC: number, OC: number): Buffers {
  const random = seededRandom(1);
  const filled = (n: number) => {
    const a = alloc(n);
    for (let i = 0; i < n; i++) a[i] = random.normal();
    return a;
  };
  return {
    out: alloc(N * OC),
    inp: filled(N * IC),
    weight: filled(OC * IC),
    dinp: alloc(N * IC),
    dweight: alloc(OC * IC),
    dout: filled(N * OC),
  };
}

/**
 * GFLOP/s over `runs` timings, each of enough repetitions to last ≥ 50 ms: median and best
 * (the best is the least disturbed by other load on the machine)
 */
function rates(flops: number, fn: () => void, runs: number): { median: number; best: number } {
  fn();
  fn(); // warm up (and let the WebAssembly tier up)
  let reps = 1;
  for (;;) {
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) fn();
    if (performance.now() - t0 >= 50) break;
    reps *= 2;
  }
  const found: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) fn();
    const seconds = (performance.now() - t0) / 1000;
    found.push((flops * reps) / seconds / 1e9);
  }
  const s = spread(found);
  return { median: s.median, best: s.max };
}

function measure(kernels: Kernels, alloc: (n: number) => Float32Array, IC: number, OC: number, runs: number) {
  const b = buffers(alloc, IC, OC);
  const forward = rates(2 * N * IC * OC, () => kernels.linearForward(b.out, b.inp, b.weight, null, N, IC, OC), runs);
  const backward = rates(4 * N * IC * OC, () => kernels.linearBackward(b.dinp, b.dweight, null, b.dout, b.inp, b.weight, N, IC, OC), runs);
  return { forward, backward };
}

/** ms of one call, median of `runs` */
function ms(fn: () => void, runs: number): number {
  fn();
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  return spread(times).median;
}

/** attention of the baby model: B 12, T 64, C 128, NH 4 */
function measureAttention(kernels: Kernels, runs: number): { forward: number; backward: number } {
  const B = 12,
    T = 64,
    C = 128,
    NH = 4;
  const random = seededRandom(2);
  const filled = (n: number) => {
    const a = kernels.alloc(n);
    for (let i = 0; i < n; i++) a[i] = random.normal();
    return a;
  };
  const qkv = filled(B * T * 3 * C),
    dout = filled(B * T * C),
    out = kernels.alloc(B * T * C);
  const preatt = kernels.alloc(B * NH * T * T),
    att = kernels.alloc(B * NH * T * T);
  const dqkv = kernels.alloc(B * T * 3 * C),
    dpreatt = kernels.alloc(B * NH * T * T),
    datt = kernels.alloc(B * NH * T * T);
  return {
    forward: ms(() => kernels.attentionForward(out, preatt, att, qkv, B, T, C, NH), runs),
    backward: ms(() => {
      dpreatt.fill(0);
      datt.fill(0);
      kernels.attentionBackward(dqkv, dpreatt, datt, dout, qkv, att, B, T, C, NH);
    }, runs),
  };
}

const wasm = createWasmKernels();
const runs = quick ? 3 : 7;
const f = (x: number) => x.toFixed(1).padStart(5);
console.log(`# linear layer GFLOP/s, N = ${N} rows, node ${process.version}, one thread`);
console.log("(wasm: median / best of the timings; the best is the least disturbed by other load)");
console.log("shape               | ref fwd | wasm fwd      |   × | ref bwd | wasm bwd      |   × | wasm fwd on ordinary arrays");
for (const [label, IC, OC] of SHAPES) {
  const ref = measure(referenceKernels, (n) => new Float32Array(n), IC, OC, quick ? 1 : 3);
  const fast = measure(wasm, (n) => wasm.alloc(n), IC, OC, runs);
  const foreign = measure(wasm, (n) => new Float32Array(n), IC, OC, quick ? 1 : 3);
  console.log(
    `${label} |   ${f(ref.forward.median)} | ${f(fast.forward.median)} / ${f(fast.forward.best)} | ${(fast.forward.median / ref.forward.median).toFixed(0).padStart(3)} | ` +
      `  ${f(ref.backward.median)} | ${f(fast.backward.median)} / ${f(fast.backward.best)} | ${(fast.backward.median / ref.backward.median).toFixed(0).padStart(3)} | ` +
      `${f(foreign.forward.median)}`,
  );
}

console.log("\n# attention, baby model (B 12, T 64, C 128, NH 4): ms per call, median");
const refAttention = measureAttention(referenceKernels, quick ? 3 : 5);
const wasmAttention = measureAttention(wasm, quick ? 5 : 15);
console.log(
  `forward   typescript ${refAttention.forward.toFixed(2)} ms   wasm ${wasmAttention.forward.toFixed(2)} ms   ×${(refAttention.forward / wasmAttention.forward).toFixed(1)}`,
);
console.log(
  `backward  typescript ${refAttention.backward.toFixed(2)} ms   wasm ${wasmAttention.backward.toFixed(2)} ms   ×${(refAttention.backward / wasmAttention.backward).toFixed(1)}`,
);
