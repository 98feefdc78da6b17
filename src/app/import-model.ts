/**
 * Models from elsewhere, loaded with no conversion step:
 *
 *   a folder (or its model.safetensors) with config.json   Hugging Face GPT-2: config.json,
 *                                                          model.safetensors, vocab.json +
 *                                                          merges.txt or tokenizer.json
 *   a zip file (ckpt.pt)                                   nanoGPT's train.py checkpoint;
 *                                                          meta.pkl beside it, else GPT-2's
 *                                                          tokenizer from `gpt2Tokenizer`
 *   a .safetensors without this project's config           nanoGPT tensor names, any metadata
 *
 * Each file is read through positioned reads: the header first, every name and shape checked,
 * then each tensor straight into the model's parameter buffer (no second copy of the weights).
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import type { CheckpointMeta } from "../model/checkpoint.ts";
import { GPT } from "../model/gpt.ts";
import type { ByteSource } from "../model/import/byte-source.ts";
import { planHfGpt2 } from "../model/import/hf-gpt2.ts";
import {
  type ImportedPlan,
  type ImportOptions,
  parseMetaPkl,
  planNanoGptCheckpoint,
  planNanoGptSafetensors,
} from "../model/import/nanogpt.ts";
import { readSafetensorsHeader } from "../model/import/safetensors-source.ts";
import { looksLikeZip } from "../model/import/zip.ts";
import { KVCachedModel } from "../model/kv-cache.ts";
import type { LogitSource } from "../sample/generate.ts";
import { openFileSource } from "../store/file-source.ts";
import type { Kernels } from "../tensor/kernels.ts";
import { gpt2TokenizerFromFiles, gpt2TokenizerFromTokenizerJson } from "../tokenizer/gpt2.ts";
import { NanoGptCharTokenizer } from "../tokenizer/nanogpt-char.ts";
import type { Tokenizer } from "../tokenizer/tokenizer.ts";
import type { ModelHandle } from "./model-handle.ts";

export interface ImportModelOptions extends ImportOptions {
  /** a folder with GPT-2's vocab.json + merges.txt (or tokenizer.json), for a nanoGPT model without meta.pkl */
  gpt2Tokenizer?: string;
  kernels?: Kernels;
  /**
   * where the weights go (float32 [countParams(config)]): the file's tensors are read into
   * `params`, or, when `filled`, not read at all because another thread already put them there
   * (./hosted-model.ts); absent: a buffer of the model's own
   */
  weights?: { params: Float32Array; filled: boolean };
}

export type ImportedKind = "hf-gpt2" | "nanogpt-ckpt" | "nanogpt-safetensors";

/** Which importer reads `file`, or null for this project's own checkpoints. Reads only a header. */
export function importedKind(file: string): ImportedKind | null {
  if (!existsSync(file)) return null; // the project's loader says "not found"
  if (statSync(file).isDirectory()) return "hf-gpt2";
  if (path.basename(file) === "model.safetensors" && existsSync(path.join(path.dirname(file), "config.json"))) return "hf-gpt2";
  const source = openFileSource(file);
  try {
    const head = new Uint8Array(Math.min(8, source.size));
    source.read(0, head);
    if (looksLikeZip(head)) return "nanogpt-ckpt";
    if (source.size < 8) return null; // too short for anything: the project's loader says why
    let metadata: Record<string, string>;
    try {
      metadata = readSafetensorsHeader(source).metadata;
    } catch {
      return null; // not readable as safetensors: the project's loader gives its error
    }
    return metadata.format === "minigpt-v1" || metadata.config?.includes('"vocabSize"') ? null : "nanogpt-safetensors";
  } finally {
    source.close();
  }
}

/** Loads an imported model into a ready handle; errors name the file and what is wrong or missing. */
export function loadImportedModel(file: string, kind: ImportedKind, name: string, options: ImportModelOptions = {}): ModelHandle {
  if (kind === "hf-gpt2") {
    const folder = statSync(file).isDirectory() ? file : path.dirname(file);
    const config = path.join(folder, "config.json");
    const weights = path.join(folder, "model.safetensors");
    for (const f of [config, weights])
      if (!existsSync(f))
        throw new Error(`${folder}: ${path.basename(f)} is missing (a Hugging Face GPT-2 folder has config.json and model.safetensors)`);
    return withFile(weights, (source) => {
      const plan = planHfGpt2(readFileSync(config, "utf8"), config, source);
      const tokenizer = gpt2TokenizerIn(folder, plan.config.vocabSize);
      return build(plan, tokenizer, name, options);
    });
  }
  return withFile(file, (source) => {
    const plan = kind === "nanogpt-ckpt" ? planNanoGptCheckpoint(source, options) : planNanoGptSafetensors(source, options);
    return build(plan, nanoGptTokenizer(file, plan, options), name, options);
  });
}

function withFile<T>(file: string, use: (source: ByteSource) => T): T {
  const source = openFileSource(file);
  try {
    return use(source);
  } finally {
    source.close();
  }
}

/**
 * The vocabulary of a nanoGPT model, looked for as nanoGPT's sample.py does and beside the file:
 *   1. meta.pkl beside the checkpoint;
 *   2. <checkpoint folder>/../data/<config.dataset>/meta.pkl (nanoGPT's tree: out-x/ckpt.pt, data/x/meta.pkl);
 *   3. GPT-2's files when given; else an error saying what is missing.
 */
function nanoGptTokenizer(file: string, plan: ImportedPlan, options: ImportModelOptions): Tokenizer {
  const candidates = metaPklCandidates(file, plan);
  const metaPkl = candidates.find((f) => existsSync(f));
  const V = plan.config.vocabSize;
  if (metaPkl !== undefined) {
    const itos = parseMetaPkl(readFileSync(metaPkl), metaPkl);
    if (itos.length > V)
      throw new Error(
        `${metaPkl} has ${itos.length} characters but the model's vocabulary is ${V}: is it the meta.pkl of another dataset?`,
      );
    return new NanoGptCharTokenizer(itos, V);
  }
  if (options.gpt2Tokenizer !== undefined) {
    if (V < 50257)
      throw new Error(
        `${file}: the model's vocabulary is ${V}, smaller than GPT-2's 50257: it needs its own meta.pkl, not GPT-2's tokenizer`,
      );
    return gpt2TokenizerIn(options.gpt2Tokenizer, V);
  }
  throw new Error(
    `${file}: no tokenizer: put nanoGPT's meta.pkl (the character vocabulary of its dataset) beside it (looked for: ${candidates.join(", ")}), or, for a model trained on GPT-2 tokens (vocabulary ${V}), give GPT-2's tokenizer files with --gpt2-tokenizer DIR (vocab.json + merges.txt, e.g. from fetch-model gpt2)`,
  );
}

/** Where nanoGPT's meta.pkl may be, in the order nanoGptTokenizer looks (steps 1 and 2 above). */
function metaPklCandidates(file: string, plan: ImportedPlan): string[] {
  const dataset = (plan.extra.config as Record<string, unknown> | undefined)?.dataset;
  const candidates = [path.join(path.dirname(file), "meta.pkl")];
  if (typeof dataset === "string" && /^[\w.-]+$/.test(dataset) && dataset !== "..") {
    candidates.push(path.join(path.dirname(file), "..", "data", dataset, "meta.pkl"));
  }
  return candidates;
}

/** What an imported model's headers say, read without its weights or its tokenizer's tables. */
export interface ImportedModelProbe {
  config: ImportedPlan["config"];
  step: number;
  valLoss: number | null;
  /** "Hugging Face GPT-2", "nanoGPT ckpt.pt", "nanoGPT safetensors" */
  source: string;
}

/**
 * Checks an imported model as far as its headers go: every tensor's name and shape against the
 * config (the same plan loadImportedModel follows, without filling the weights), and that its
 * tokenizer's files are where loading will look. Throws, like loading would, with the reason.
 */
export function probeImportedModel(file: string, kind: ImportedKind, options: ImportModelOptions = {}): ImportedModelProbe {
  const summary = (plan: ImportedPlan): ImportedModelProbe => ({
    config: plan.config,
    step: plan.step,
    valLoss: plan.valLoss,
    source: String(plan.extra.source ?? kind),
  });
  if (kind === "hf-gpt2") {
    const folder = statSync(file).isDirectory() ? file : path.dirname(file);
    const config = path.join(folder, "config.json");
    const weights = path.join(folder, "model.safetensors");
    for (const f of [config, weights])
      if (!existsSync(f))
        throw new Error(`${folder}: ${path.basename(f)} is missing (a Hugging Face GPT-2 folder has config.json and model.safetensors)`);
    const has = (name: string) => existsSync(path.join(folder, name));
    if (!(has("vocab.json") && has("merges.txt")) && !has("tokenizer.json"))
      throw new Error(`${folder}: no GPT-2 tokenizer files (vocab.json + merges.txt, or tokenizer.json)`);
    return withFile(weights, (source) => summary(planHfGpt2(readFileSync(config, "utf8"), config, source)));
  }
  return withFile(file, (source) => {
    const plan = kind === "nanogpt-ckpt" ? planNanoGptCheckpoint(source, options) : planNanoGptSafetensors(source, options);
    const candidates = metaPklCandidates(file, plan);
    if (!candidates.some((f) => existsSync(f)) && options.gpt2Tokenizer === undefined)
      throw new Error(
        `${file}: no tokenizer: nanoGPT's meta.pkl is not beside it (looked for: ${candidates.join(", ")}), and no GPT-2 tokenizer was given (--gpt2-tokenizer DIR)`,
      );
    return summary(plan);
  });
}

function gpt2TokenizerIn(folder: string, vocabSize: number): Tokenizer {
  const vocab = path.join(folder, "vocab.json");
  const merges = path.join(folder, "merges.txt");
  const tokenizerJson = path.join(folder, "tokenizer.json");
  try {
    if (existsSync(vocab) && existsSync(merges))
      return gpt2TokenizerFromFiles(readFileSync(vocab, "utf8"), readFileSync(merges, "utf8"), vocabSize);
    if (existsSync(tokenizerJson)) return gpt2TokenizerFromTokenizerJson(readFileSync(tokenizerJson, "utf8"), vocabSize);
  } catch (err) {
    throw new Error(`${folder}: ${(err as Error).message}`, { cause: err });
  }
  throw new Error(`${folder}: no GPT-2 tokenizer files (vocab.json + merges.txt, or tokenizer.json)`);
}

/** The model made at its final size, its parameters read straight into place. */
function build(plan: ImportedPlan, tokenizer: Tokenizer, name: string, options: ImportModelOptions): ModelHandle {
  const { kernels, weights } = options;
  const model = new GPT(plan.config, { kernels, params: weights?.params });
  if (!weights?.filled) plan.fill(model.params as Float32Array);
  const meta: CheckpointMeta = { tokenizer: tokenizer.toJSON(), step: plan.step, valLoss: plan.valLoss, extra: plan.extra };
  // the KV cache keeps transposed copies of the weights: made on the first next-token request,
  // not at load nor when the handle is copied ({ ...handle }); a hosted model's main thread never makes one
  let cache: KVCachedModel | null = null;
  const source: LogitSource = {
    blockSize: plan.config.blockSize,
    vocabSize: plan.config.vocabSize,
    nextLogits: (context) => {
      cache ??= new KVCachedModel(model);
      return cache.nextLogits(context);
    },
  };
  return { name, model, tokenizer, meta, source };
}
