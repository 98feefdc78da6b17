/**
 * Model checkpoints as `.safetensors` files that nanoGPT/PyTorch can load and that this
 * project can load back bit for bit.
 *
 * Tensors: every parameter of `paramSpecs(config)` under its nanoGPT name, F32, shape [out, in]
 * for Linear weights, PLUS `lm_head.weight`: a copy of `transformer.wte.weight` (the engine ties
 * them and stores one; nanoGPT's `load_state_dict` expects both names).
 *
 * `__metadata__` (all strings):
 *   format      "minigpt-v1"
 *   config      JSON of GPTConfig ({"vocabSize":..,"blockSize":..,"nLayer":..,"nHead":..,"nEmbd":..,"bias":..})
 *   tokenizer   JSON of the tokenizer's toJSON()
 *   step        training steps done, e.g. "1200"
 *   val_loss, train_loss   e.g. "1.4821"; absent when unknown
 *   created_at  ISO 8601 time of the save
 *   preset      preset name, when given
 *   extra       JSON object of anything else, when given
 *   checksum    sha256 (hex) of the data section: every tensor's bytes in file order (kept so
 *               that older versions of the project still load new files)
 *   checksum_all sha256 (hex) of everything else: the other metadata, the tensor index and the
 *               data (see checkpointChecksum). Always written; checked when present
 *
 * Loading accepts, besides the parameters:
 *   - `lm_head.weight` missing, or present and bit-equal to wte (different: refused, the engine ties them);
 *   - nanoGPT's causal-mask buffers `transformer.h.{i}.attn.bias` (and Hugging Face GPT-2's
 *     `attn.masked_bias`), ignored. They are never parameters, whatever the config's `bias` says:
 *     the attention's real bias is `attn.c_attn.bias`, a different name, so ignoring them can never
 *     drop a parameter. Only layers 0..nLayer-1 are accepted.
 * Anything else is refused by name. A file without `config` is refused, since nHead cannot be
 * read off the shapes.
 *
 * Checksums on loading: `checksum_all` wrong → refused, naming it. A file without it but with
 * `checksum` (saved by this project before checksum_all existed, like the shipped
 * data/default-model.safetensors) is accepted when its data matches `checksum`: its metadata
 * (tokenizer, config) is then unchecked. A file with neither (e.g. written by PyTorch) is accepted
 * as it is: the format's own structure checks still apply.
 */
import { createHash } from "node:crypto";
import { validateConfig, type GPTConfig } from "./config.ts";
import { countParams, paramSpecs } from "./params.ts";
import { decodeSafetensors, encodeSafetensors, float32LittleEndianBytes, type TensorToWrite } from "./safetensors.ts";

export const CHECKPOINT_FORMAT = "minigpt-v1";

export interface CheckpointMeta {
  /** JSON from the tokenizer's toJSON() */
  tokenizer: unknown;
  /** optimizer steps done */
  step: number;
  valLoss?: number | null;
  trainLoss?: number | null;
  /** ISO 8601; saving fills in the current time when absent */
  createdAt?: string;
  preset?: string;
  extra?: Record<string, unknown>;
}

export interface LoadedCheckpoint {
  config: GPTConfig;
  /** flat, laid out by paramSpecs(config) */
  params: Float32Array;
  meta: CheckpointMeta;
}

const LM_HEAD = "lm_head.weight";
const WTE = "transformer.wte.weight";
/** nanoGPT's causal mask and HF GPT-2's masked_bias: buffers, not parameters (see above). */
const MASK_BUFFER = /^transformer\.h\.(\d+)\.attn\.(bias|masked_bias)$/;
/** how many problems an error lists before "and N more" */
const MAX_PROBLEMS_LISTED = 6;

// ---------------------------------------------------------------------------------------------
// Bytes

/** The checkpoint file's bytes for a model with `config` and flat `params`. */
export function saveCheckpointBytes(config: GPTConfig, params: Float32Array, meta: CheckpointMeta): Uint8Array {
  // 1. the params must be exactly the config's flat buffer
  validateConfig(config);
  const expected = countParams(config);
  if (params.length !== expected) {
    throw new Error(`checkpoint: params has ${params.length} values, config ${configJson(config)} needs ${expected}`);
  }
  if (!Number.isSafeInteger(meta.step) || meta.step < 0) {
    throw new Error(`checkpoint: step must be a non-negative integer, got ${meta.step}`);
  }

  // 2. one tensor per parameter (views, encode copies them), then lm_head as a copy of wte
  const tensors: TensorToWrite[] = paramSpecs(config).map((s) => ({
    name: s.name,
    shape: s.shape,
    data: params.subarray(s.offset, s.offset + s.size),
  }));
  const wte = tensors[0];
  tensors.push({ name: LM_HEAD, shape: wte.shape, data: wte.data });

  // 3. metadata, then the checksums over it and the tensors (sealCheckpoint)
  const metadata: Record<string, string> = {
    format: CHECKPOINT_FORMAT,
    config: configJson(config),
    tokenizer: JSON.stringify(meta.tokenizer ?? null),
    step: String(meta.step),
    created_at: meta.createdAt ?? new Date().toISOString(),
  };
  if (meta.valLoss != null) metadata.val_loss = String(meta.valLoss);
  if (meta.trainLoss != null) metadata.train_loss = String(meta.trainLoss);
  if (meta.preset !== undefined) metadata.preset = meta.preset;
  if (meta.extra !== undefined) metadata.extra = JSON.stringify(meta.extra);

  return sealCheckpoint(tensors, metadata);
}

/** The metadata keys of the checksums themselves. */
export const CHECKSUM_KEY = "checksum";
export const CHECKSUM_ALL_KEY = "checksum_all";

/**
 * Encodes float32 tensors (in this order in the data section) with `metadata` plus both
 * checksums: `checksum` over the data, `checksum_all` over metadata, index and data.
 */
export function sealCheckpoint(tensors: readonly TensorToWrite[], metadata: Record<string, string>): Uint8Array {
  const { [CHECKSUM_KEY]: _old, [CHECKSUM_ALL_KEY]: _oldAll, ...rest } = metadata;
  const data = tensors.map((t) => float32LittleEndianBytes(t.data));
  const dataHash = createHash("sha256");
  for (const bytes of data) dataHash.update(bytes);
  const withData = { ...rest, [CHECKSUM_KEY]: dataHash.digest("hex") };
  const all = checkpointChecksum(
    withData,
    tensors.map((t) => ({ name: t.name, dtype: "F32", shape: t.shape })),
    data,
  );
  return encodeSafetensors([...tensors], { ...withData, [CHECKSUM_ALL_KEY]: all });
}

/**
 * sha256 (hex) of a checkpoint's contents, `checksum_all` itself left out:
 *   1. the tag "minigpt-checksum-v2\n"
 *   2. the metadata as JSON of its [key, value] pairs sorted by key, then "\n"
 *   3. the tensor index as JSON of [name, dtype, shape] in data order, then "\n" (with the data
 *      order and sizes this fixes every offset: the tensors tile the data section)
 *   4. the data section: every tensor's bytes in that order
 */
export function checkpointChecksum(
  metadata: Record<string, string>,
  index: readonly { name: string; dtype: string; shape: readonly number[] }[],
  data: readonly Uint8Array[],
): string {
  const pairs = Object.entries(metadata)
    .filter(([key]) => key !== CHECKSUM_ALL_KEY)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const hash = createHash("sha256");
  hash.update("minigpt-checksum-v2\n");
  hash.update(`${JSON.stringify(pairs)}\n`);
  hash.update(`${JSON.stringify(index.map((t) => [t.name, t.dtype, t.shape]))}\n`);
  for (const bytes of data) hash.update(bytes);
  return hash.digest("hex");
}

/** Parses and checks a checkpoint; returns nothing unless every check passes. */
export function loadCheckpointBytes(bytes: Uint8Array, sourceName: string): LoadedCheckpoint {
  const fail: (problem: string) => never = (problem) => {
    throw new Error(`${sourceName}: ${problem}`);
  };

  // 1. the file structure (safetensors checks), then its format tag
  const file = decodeSafetensors(bytes, sourceName);
  const md = file.metadata;
  if (md.format !== undefined && md.format !== CHECKPOINT_FORMAT) {
    fail(`format is "${md.format}", expected "${CHECKPOINT_FORMAT}"`);
  }

  // 2. the checksums, before anything reads the data
  const sealed = md[CHECKSUM_ALL_KEY];
  if (sealed !== undefined) {
    const index = [...file.tensors].map(([name, t]) => ({ name, dtype: t.dtype, shape: t.shape }));
    const actual = checkpointChecksum(md, index, [file.dataSection]);
    if (actual !== sealed.toLowerCase()) {
      fail(
        `checksum mismatch: the file is corrupt or was edited (${CHECKSUM_ALL_KEY} in the header is ${sealed}, its metadata, tensor index and data hash to ${actual})`,
      );
    }
  }
  if (md.checksum !== undefined) {
    const actual = createHash("sha256").update(file.dataSection).digest("hex");
    if (actual !== md.checksum.toLowerCase()) {
      fail(`checksum mismatch: the file is corrupt (header says ${md.checksum}, data hashes to ${actual})`);
    }
  }

  // 3. config and the rest of the metadata
  const config = parseConfig(md.config, fail);
  const meta = parseMeta(md, fail);

  // 4. every expected tensor with its exact shape; lm_head equal to wte; no unknown tensor
  const specs = paramSpecs(config);
  const problems: string[] = [];
  for (const s of specs) {
    const t = file.tensors.get(s.name);
    if (!t) problems.push(`tensor ${s.name} is missing (config ${configJson(config)} needs shape [${s.shape}])`);
    else if (!sameShape(t.shape, s.shape)) {
      problems.push(`tensor ${s.name} has shape [${t.shape}], config says [${s.shape}]`);
    }
  }
  const lmHead = file.tensors.get(LM_HEAD);
  const wte = file.tensors.get(WTE);
  if (lmHead && wte && problems.length === 0) {
    if (!sameShape(lmHead.shape, wte.shape)) problems.push(`tensor ${LM_HEAD} has shape [${lmHead.shape}], ${WTE} has [${wte.shape}]`);
    else {
      const at = firstBitDifference(lmHead.data, wte.data);
      if (at >= 0) {
        problems.push(
          `tensor ${LM_HEAD} differs from ${WTE} (element ${at}: ${lmHead.data[at]} vs ${wte.data[at]}); this engine ties them`,
        );
      }
    }
  }
  const known = new Set(specs.map((s) => s.name)).add(LM_HEAD);
  const unexpected = [...file.tensors.keys()].filter((name) => !known.has(name) && !isMaskBuffer(name, config));
  if (unexpected.length > 0) problems.push(`unexpected tensors for config ${configJson(config)}: ${unexpected.join(", ")}`);
  if (problems.length > 0) fail(listProblems(problems));

  // 5. only now assemble the flat parameter buffer
  const params = new Float32Array(countParams(config));
  for (const s of specs) params.set(file.tensors.get(s.name)!.data, s.offset);
  return { config, params, meta };
}

function configJson(c: GPTConfig): string {
  // fixed keys and order, whatever else the object carries; gelu only when not the tanh form
  const fixed = { vocabSize: c.vocabSize, blockSize: c.blockSize, nLayer: c.nLayer, nHead: c.nHead, nEmbd: c.nEmbd, bias: c.bias };
  return JSON.stringify(c.gelu === undefined ? fixed : { ...fixed, gelu: c.gelu });
}

function parseConfig(text: string | undefined, fail: (p: string) => never): GPTConfig {
  if (text === undefined) fail(`__metadata__ has no "config" (the model config is needed: was this file saved by this project?)`);
  let raw: unknown;
  try {
    raw = JSON.parse(text as string);
  } catch (err) {
    fail(`__metadata__.config is not JSON (${(err as Error).message})`);
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) fail(`__metadata__.config is not a JSON object: ${text}`);
  const r = raw as Record<string, unknown>;
  const config = {
    vocabSize: r.vocabSize,
    blockSize: r.blockSize,
    nLayer: r.nLayer,
    nHead: r.nHead,
    nEmbd: r.nEmbd,
    bias: r.bias,
    ...(r.gelu !== undefined && { gelu: r.gelu }),
  } as GPTConfig;
  try {
    return validateConfig(config);
  } catch (err) {
    return fail(`__metadata__.config: ${(err as Error).message}`);
  }
}

function parseMeta(md: Record<string, string>, fail: (p: string) => never): CheckpointMeta {
  const json = (key: string): unknown => {
    try {
      return JSON.parse(md[key]);
    } catch (err) {
      return fail(`__metadata__.${key} is not JSON (${(err as Error).message})`);
    }
  };
  const loss = (key: string): number | null => {
    if (md[key] === undefined) return null;
    const n = Number(md[key]);
    if (md[key].trim() === "" || (Number.isNaN(n) && md[key].trim() !== "NaN")) fail(`__metadata__.${key} is "${md[key]}", not a number`);
    return n;
  };

  // 1. step: a non-negative integer (0 when absent, e.g. a file from PyTorch)
  const step = md.step === undefined ? 0 : Number(md.step);
  if (!Number.isSafeInteger(step) || step < 0 || md.step?.trim() === "") {
    fail(`__metadata__.step is "${md.step}", expected a non-negative integer`);
  }
  // 2. tokenizer JSON (null when absent); extra must be an object
  const meta: CheckpointMeta = {
    tokenizer: md.tokenizer === undefined ? null : json("tokenizer"),
    step,
    valLoss: loss("val_loss"),
    trainLoss: loss("train_loss"),
  };
  if (md.created_at !== undefined) meta.createdAt = md.created_at;
  if (md.preset !== undefined) meta.preset = md.preset;
  if (md.extra !== undefined) {
    const extra = json("extra");
    if (typeof extra !== "object" || extra === null || Array.isArray(extra)) fail(`__metadata__.extra is not a JSON object: ${md.extra}`);
    meta.extra = extra as Record<string, unknown>;
  }
  return meta;
}

function isMaskBuffer(name: string, config: GPTConfig): boolean {
  const m = MASK_BUFFER.exec(name);
  return m !== null && Number(m[1]) < config.nLayer;
}

function sameShape(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Index of the first element whose float32 bits differ (so -0 ≠ 0 and NaN = same NaN), or -1. */
function firstBitDifference(a: Float32Array, b: Float32Array): number {
  const ab = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const bb = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < ab.length; i++) if (ab[i] !== bb[i]) return i;
  return -1;
}

function listProblems(problems: string[]): string {
  const shown = problems.slice(0, MAX_PROBLEMS_LISTED).join("; ");
  const more = problems.length - MAX_PROBLEMS_LISTED;
  return more > 0 ? `${shown}; and ${more} more problem(s)` : shown;
}
