/**
 * Rebuilds the WebAssembly kernels: `npm run build:wasm` (`npm run build:wasm -- --check` only compares).
 * Runs the generator in src/tensor/wasm/program.ts (pure TypeScript, no external tool) and
 * writes its bytes, base64-encoded, to src/tensor/wasm/kernel-bytes.ts, which the runtime
 * loads: the plain SIMD module and the one with fused multiply-adds (relaxed SIMD). The output
 * depends only on the generator's source, so every rebuild is identical;
 * test/tensor/wasm-build.test.ts (part of `npm test`, which .ci/run runs) fails when the stored
 * bytes are stale.
 *   --check   only compare, exit 1 if the stored bytes differ
 */
import { readFileSync, writeFileSync } from "node:fs";
import v8 from "node:v8";
import { fileURLToPath } from "node:url";
import { buildKernelModule } from "../src/tensor/wasm/program.ts";
import { kernelBytesSource } from "../src/tensor/wasm/kernel-bytes-source.ts";

const target = fileURLToPath(new URL("../src/tensor/wasm/kernel-bytes.ts", import.meta.url));
const bytes = buildKernelModule();
const fmaBytes = buildKernelModule(undefined, { fma: true });
v8.setFlagsFromString("--experimental-wasm-relaxed-simd");
if (!WebAssembly.validate(bytes) || !WebAssembly.validate(fmaBytes)) throw new Error("a generated module does not validate");
const source = kernelBytesSource(bytes, fmaBytes);

if (process.argv.includes("--check")) {
  let current = "";
  try {
    current = readFileSync(target, "utf8");
  } catch {
    /* missing counts as stale */
  }
  if (current !== source) {
    console.error(`${target} is stale: run npm run build:wasm`);
    process.exit(1);
  }
  console.log(`${target} is up to date (${bytes.length} and ${fmaBytes.length} bytes)`);
} else {
  writeFileSync(target, source);
  console.log(`wrote ${target}: ${bytes.length} and ${fmaBytes.length} bytes of WebAssembly`);
}
