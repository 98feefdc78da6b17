import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { trainModel } from "../../src/app/train-model.ts";
import { smallCorpus } from "../helpers/corpus.ts";
import { writeTinyGpt2 } from "../helpers/tiny-gpt2.ts";
import { loadCheckpointBytes } from "../../src/model/checkpoint.ts";

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, "../..");
const tsx = path.join(root, "node_modules/.bin/tsx");

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(tsx, ["src/adapters/cli/main.ts", ...args], { cwd: root, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const dir = mkdtempSync(path.join(tmpdir(), "minigpt-cli-"));
const modelFile = path.join(dir, "tiny.safetensors");
const corpusFile = path.join(dir, "corpus.txt");

beforeAll(() => {
  const trained = trainModel(smallCorpus(), { preset: "tiny", tokenizer: "char", vocabSize: 0, steps: 30, seed: 1, evalInterval: 30 });
  writeFileSync(modelFile, trained.checkpoint);
  writeFileSync(corpusFile, smallCorpus().join("\n\n"));
});

describe("the console CLI", () => {
  it("generate repeats itself with the same seed", async () => {
    const a = await cli("generate", "--prompt", "It rained", "--seed", "7", "--tokens", "20", "--model", modelFile);
    const b = await cli("generate", "--prompt", "It rained", "--seed", "7", "--tokens", "20", "--model", modelFile);
    expect(a.code).toBe(0);
    expect(a.stdout.startsWith("It rained")).toBe(true);
    expect(b.stdout).toBe(a.stdout);
  });

  it("predict --json gives input ids and candidates with ids, probabilities and logits", async () => {
    const r = await cli("predict", "--text", "昨日は", "--k", "4", "--json", "--model", modelFile);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.inputIds.length).toBe(4); // end-of-text + 3 characters
    expect(json.next).toHaveLength(4);
    const sum = json.next.reduce((s: number, c: { prob: number }) => s + c.prob, 0);
    expect(sum).toBeLessThanOrEqual(1.000001);
    for (const c of json.next) expect(typeof c.logit).toBe("number");
    expect(json.next[0].prob).toBeGreaterThanOrEqual(json.next[1].prob);
  });

  it("info shows config, parameter counts and val loss", async () => {
    const r = await cli("info", "--model", modelFile);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/2 layers, 2 heads, 16 channels, block 16/);
    expect(r.stdout).toMatch(/val \d\.\d{4}/);
  });

  it("train writes a checkpoint that loads", async () => {
    const out = path.join(dir, "trained.safetensors");
    const r = await cli(
      "train",
      "--corpus",
      corpusFile,
      "--preset",
      "tiny",
      "--tokenizer",
      "char",
      "--iters",
      "20",
      "--eval-interval",
      "10",
      "--out",
      out,
    );
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/done: 20 steps/);
    expect((await cli("info", "--model", out)).stdout).toMatch(/training:\s+20 steps/);
  });

  it("train --max-lr sets the peak learning rate, which falls to a tenth of it by the last step", async () => {
    const out = path.join(dir, "max-lr.safetensors");
    const r = await cli(
      "train",
      "--corpus",
      corpusFile,
      "--preset",
      "tiny",
      "--tokenizer",
      "char",
      "--iters",
      "20",
      "--max-lr",
      "0.003",
      "--out",
      out,
    );
    expect(r.code).toBe(0);
    const { meta } = loadCheckpointBytes(readFileSync(out), out);
    const lrs = (meta.extra as { curve: { step: number; lr: number }[] }).curve.map((p) => p.lr);
    expect(Math.max(...lrs)).toBeCloseTo(0.003, 9);
    expect(lrs.at(-1)).toBeCloseTo(0.0003, 6);
    expect((await cli("train", "--corpus", corpusFile, "--max-lr", "1", "--out", out)).stderr).toMatch(/max-lr|max_lr/);
  });

  it("train --init-from fine-tunes a GPT-2-layout model: its size and tokenizer kept, its base named", async () => {
    const base = writeTinyGpt2(path.join(dir, "gpt2-tiny"));
    const out = path.join(dir, "fine-tuned.safetensors");
    const r = await cli("train", "--corpus", corpusFile, "--init-from", base, "--iters", "6", "--eval-interval", "3", "--out", out);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/fine-tuning .*gpt2-tiny \(its size and tokenizer\)/);
    expect(r.stderr).toMatch(/done: 6 steps/);
    const { config, meta } = loadCheckpointBytes(readFileSync(out), out);
    expect(config.vocabSize).toBe(50257);
    expect((meta.tokenizer as { kind: string }).kind).toBe("gpt2");
    expect((meta.extra as { base: { name: string } }).base.name).toBe("gpt2-tiny");
  });

  it("eval prints tokens, bytes, loss per token and bits per byte; --json the same numbers as an object", async () => {
    const json = await cli("eval", "--model", modelFile, "--text-file", corpusFile, "--json");
    expect(json.code).toBe(0);
    const e = JSON.parse(json.stdout) as Record<string, number>;
    expect(Object.keys(e).sort()).toEqual(["bitsPerByte", "bytes", "lossPerToken", "tokens"]);
    expect(e.bytes).toBe(Buffer.byteLength(smallCorpus().join("\n\n")));
    expect(e.bitsPerByte).toBeCloseTo((e.lossPerToken! * e.tokens!) / Math.LN2 / e.bytes!, 9);
    const text = await cli("eval", "--model", modelFile, "--text-file", corpusFile);
    expect(text.stdout).toContain(`bits per byte:  ${e.bitsPerByte!.toFixed(4)}`);
    const missing = await cli("eval", "--model", modelFile);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe("error: eval: --text-file FILE is required\n");
    const absent = await cli("eval", "--model", modelFile, "--text-file", path.join(dir, "nope.txt"));
    expect(absent.stderr).toContain("text file not found");
  });

  it("embeddings --text says which token's neighbours the picture shows", async () => {
    const out = path.join(dir, "embeddings.png");
    const tiny = await cli("embeddings", "--text", "cat", "--out", out, "--model", modelFile);
    expect(tiny.code).toBe(0);
    expect(tiny.stdout).toMatch(/^“cat” is 3 tokens \(“c” · “a” · “t”\); only the first, “c” \(id \d+\), is shown\.\n$/);
    // the shipped model: "the" and " the" are both tokens; 猫 has no token of its own (byte pieces)
    const the = await cli("embeddings", "--text", "the", "--out", out);
    expect(the.stdout).toMatch(/^“the” is one token, “the” \(id \d+\).*ask for “␣the”/);
    const cat = await cli("embeddings", "--text", "猫", "--lang", "ja", "--out", out);
    expect(cat.stdout).toMatch(
      /^「猫」は3トークン（「猫\u00a01\/3」 · 「猫\u00a02\/3」 · 「猫\u00a03\/3」）です。表示しているのは最初の「猫\u00a01\/3」/,
    );
  });

  it("each mistake gets one line of error and a non-zero exit, never a stack trace", async () => {
    const cases: [string[], number, RegExp][] = [
      [["bogus"], 2, /unknown command "bogus"/],
      [["predict", "--wat", "1"], 2, /Unknown option '--wat'/],
      [["predict", "--text", "a", "--k", "zero", "--model", modelFile], 2, /--k must be a whole number/],
      [["predict", "--text", "a", "--k", "0", "--model", modelFile], 1, /k must be a whole number from 1 to 50 \(you gave 0\)/],
      [
        ["generate", "--prompt", "a", "--temperature=-1", "--model", modelFile],
        1,
        /temperature must be a number from 0 to 10 \(you gave -1\)/,
      ],
      [["generate", "--prompt", "a", "--temperature", "-1", "--model", modelFile], 2, /--temperature/],
      [["info", "--model", path.join(dir, "missing.safetensors")], 2, /model file not found/],
      [["train", "--corpus", path.join(dir, "nope.txt")], 2, /corpus not found/],
      [["train"], 2, /--corpus FILE\|DIR is required/],
    ];
    for (const [args, code, message] of cases) {
      const r = await cli(...args);
      expect(r.code, args.join(" ")).toBe(code);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it("a corrupt model file is refused with one clear line", async () => {
    const corrupt = path.join(dir, "corrupt.safetensors");
    writeFileSync(corrupt, Buffer.from("this is not a checkpoint at all"));
    const r = await cli("info", "--model", corrupt);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/corrupt\.safetensors/);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });
});
