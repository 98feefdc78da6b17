/**
 * nanoGPT's files:
 *
 *   ckpt.pt (train.py):  torch.save({ 'model': state_dict, 'optimizer': ..., 'model_args':
 *                        {n_layer, n_head, n_embd, block_size, bias, vocab_size, dropout},
 *                        'iter_num': int, 'best_val_loss': tensor or float, 'config': {...} })
 *   meta.pkl (prepare.py of the char datasets): pickle.dump({'vocab_size', 'itos', 'stoi'})
 *   *.safetensors:       the state dict under nanoGPT's names, with whatever metadata
 *
 * The state dict may carry `_orig_mod.` (torch.compile) and the `attn.bias` mask buffers of
 * PyTorch < 2.0; the optimizer's tensors are never read.
 *
 * nanoGPT's MLP uses nn.GELU(), the exact (erf) form, where GPT-2 and this project's own models
 * use the tanh form: every model read here says `gelu: "erf"` in its config.
 */
import { type GPTConfig, validateConfig } from "../config.ts";
import { canonicalTensors, inferShape, type ParamPlan, planParams } from "./assemble.ts";
import type { ByteSource } from "./byte-source.ts";
import { readSafetensorsHeader } from "./safetensors-source.ts";
import { openTorchArchive } from "./torch-archive.ts";
import { describe, isTensorRef, type PickleValue, unpickle } from "./unpickle.ts";

export interface ImportOptions {
  /** n_head when the file does not say it (`--heads`) */
  heads?: number;
}

export interface ImportedPlan extends ParamPlan {
  /** training steps done, when the file says */
  step: number;
  valLoss: number | null;
  /** what the file said about itself (model_args, train config), for `info` */
  extra: Record<string, unknown>;
  /** tensors recognised as buffers and skipped, e.g. transformer.h.0.attn.bias */
  skipped: string[];
}

/** A Python dict's entry by string key. */
function entry(dict: PickleValue, key: string): PickleValue | undefined {
  return dict instanceof Map ? dict.get(key) : undefined;
}

/** A pickled dict of plain values as a JSON-safe object (tensors and others described). */
function plain(v: PickleValue): unknown {
  if (v instanceof Map) return Object.fromEntries([...v].map(([k, x]) => [String(k), plain(x)]));
  if (Array.isArray(v)) return v.map(plain);
  if (typeof v === "bigint") return v.toString();
  if (v === null || typeof v !== "object") return v;
  return describe(v);
}

export function planNanoGptCheckpoint(source: ByteSource, options: ImportOptions = {}): ImportedPlan {
  const fail = (problem: string): never => {
    throw new Error(`${source.name}: ${problem}`);
  };
  // 1. the pickle (storages stay unread), and its 'model' state dict
  const archive = openTorchArchive(source);
  const root = archive.root;
  if (!(root instanceof Map)) fail(`the checkpoint is ${describe(root)}, not nanoGPT's dict`);
  const state = entry(root, "model");
  if (!(state instanceof Map)) {
    fail(
      `no 'model' state dict (keys: ${[...(root as Map<PickleValue, PickleValue>).keys()].map(String).join(", ")}); nanoGPT's train.py saves one`,
    );
  }
  const refs = [...(state as Map<PickleValue, PickleValue>)].map(([name, ref]) => {
    if (typeof name !== "string" || !isTensorRef(ref)) fail(`model.${String(name)} is ${describe(ref)}, not a tensor`);
    return archive.tensor(ref as never, name as string);
  });
  const { tensors, skipped } = canonicalTensors(refs);

  // 2. the config from model_args, checked against the shapes
  const shape = inferShape(tensors, source.name);
  const args = entry(root, "model_args");
  const argNumber = (key: string): number | undefined => {
    const v = entry(args ?? null, key);
    return typeof v === "number" ? v : undefined;
  };
  const nHead = argNumber("n_head") ?? options.heads;
  if (nHead === undefined) fail("model_args has no n_head, and none was given (--heads N)");
  const config = configFrom(shape, nHead!, source.name);
  const said: [string, number | boolean | undefined, number | boolean][] = [
    ["n_layer", argNumber("n_layer"), config.nLayer],
    ["n_embd", argNumber("n_embd"), config.nEmbd],
    ["block_size", argNumber("block_size"), config.blockSize],
    ["vocab_size", argNumber("vocab_size"), config.vocabSize],
    ["bias", entry(args ?? null, "bias") as boolean | undefined, config.bias],
  ];
  for (const [key, value, actual] of said) {
    if (value !== undefined && value !== actual) fail(`model_args.${key} is ${value} but the tensors' shapes say ${actual}`);
  }

  // 3. iteration and best validation loss (a 0-d tensor in train.py)
  const iter = entry(root, "iter_num");
  let valLoss: number | null = null;
  const best = entry(root, "best_val_loss");
  if (typeof best === "number") valLoss = best;
  else if (isTensorRef(best) && best.shape.length === 0) {
    const one = new Float32Array(1);
    archive.tensor(best, "best_val_loss").readInto(one);
    valLoss = one[0];
  }
  const extra: Record<string, unknown> = { source: "nanoGPT ckpt.pt" };
  if (args !== undefined) extra.model_args = plain(args);
  const trainConfig = entry(root, "config");
  if (trainConfig !== undefined) extra.config = plain(trainConfig);
  return {
    ...planParams(config, tensors, source.name),
    step: typeof iter === "number" && iter >= 0 ? iter : 0,
    valLoss,
    extra,
    skipped,
  };
}

/** nanoGPT names in a .safetensors file with any metadata: shapes give all but n_head (and its GELU is nanoGPT's). */
export function planNanoGptSafetensors(source: ByteSource, options: ImportOptions = {}): ImportedPlan {
  const header = readSafetensorsHeader(source);
  const { tensors, skipped } = canonicalTensors(header.tensors.values());
  const shape = inferShape(tensors, source.name);
  const nHead = headsFromMetadata(header.metadata) ?? options.heads;
  if (nHead === undefined) {
    const keys = Object.keys(header.metadata);
    throw new Error(
      `${source.name}: the number of heads cannot be read off the tensors and the metadata does not say it (keys: ${keys.length > 0 ? keys.join(", ") : "none"}): give it with --heads N (C = ${shape.nEmbd} must divide by it)`,
    );
  }
  const config = configFrom(shape, nHead, source.name);
  const step = Number(header.metadata.iter_num ?? header.metadata.step ?? 0);
  const val = Number(header.metadata.best_val_loss ?? header.metadata.val_loss ?? Number.NaN);
  return {
    ...planParams(config, tensors, source.name),
    step: Number.isSafeInteger(step) && step >= 0 ? step : 0,
    valLoss: Number.isFinite(val) ? val : null,
    extra: { source: "nanoGPT safetensors", metadata: header.metadata },
    skipped,
  };
}

/** n_head from metadata as others write it: model_args / config JSON, or a plain n_head / nHead key. */
export function headsFromMetadata(md: Record<string, string>): number | undefined {
  for (const key of ["n_head", "nHead", "num_attention_heads"]) {
    const n = Number(md[key]);
    if (md[key] !== undefined && Number.isInteger(n) && n > 0) return n;
  }
  for (const key of ["model_args", "config"]) {
    if (md[key] === undefined) continue;
    try {
      const obj = JSON.parse(md[key]) as Record<string, unknown>;
      for (const k of ["n_head", "nHead", "num_attention_heads"]) {
        const n = obj?.[k];
        if (typeof n === "number" && Number.isInteger(n) && n > 0) return n;
      }
    } catch {
      // not JSON: some other tool's text; the user can still say --heads
    }
  }
  return undefined;
}

/** The engine config of a nanoGPT model: its shapes, its heads, and nn.GELU()'s exact form. */
function configFrom(shape: Omit<GPTConfig, "nHead">, nHead: number, sourceName: string): GPTConfig {
  try {
    return validateConfig({ ...shape, nHead, gelu: "erf" });
  } catch (err) {
    throw new Error(`${sourceName}: ${(err as Error).message}`);
  }
}

/** meta.pkl's character vocabulary: itos[id] for ids 0 … vocab_size-1, each one character. */
export function parseMetaPkl(bytes: Uint8Array, sourceName: string): string[] {
  const meta = unpickle(bytes, { sourceName });
  const fail = (problem: string): never => {
    throw new Error(`${sourceName}: ${problem}`);
  };
  const itos = entry(meta, "itos");
  if (!(itos instanceof Map)) fail(`no 'itos' dict (a char vocabulary written by nanoGPT's prepare.py has one)`);
  const chars: string[] = [];
  for (let id = 0; id < (itos as Map<PickleValue, PickleValue>).size; id++) {
    const ch = (itos as Map<PickleValue, PickleValue>).get(id);
    if (typeof ch !== "string" || ch.length === 0)
      fail(`itos[${id}] is ${describe(ch)}: the ids must be 0 … ${(itos as Map<PickleValue, PickleValue>).size - 1}, each a string`);
    chars.push(ch as string);
  }
  const size = entry(meta, "vocab_size");
  if (typeof size === "number" && size !== chars.length) fail(`vocab_size is ${size} but itos has ${chars.length} entries`);
  return chars;
}
