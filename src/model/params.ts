/**
 * Where every parameter lives. All parameters of a GPT sit in ONE flat buffer; each named
 * tensor is a view into it. Names and shapes are nanoGPT's / GPT-2's, so checkpoints load
 * in PyTorch. Linear weights are [out, in] like torch.nn.Linear.
 *
 * `lm_head.weight` is tied to `transformer.wte.weight`: it is the same view, stored once.
 */
import type { FloatArray } from "../tensor/types.ts";
import type { GPTConfig } from "./config.ts";

/** Which part of the model a tensor belongs to, for parameter counts and pictures. */
export type ParamGroup = "embedding" | "position" | "attention" | "mlp" | "layernorm";

export interface ParamSpec {
  /** nanoGPT name, e.g. `transformer.h.0.attn.c_attn.weight` */
  name: string;
  shape: number[];
  /** offset (in elements) into the flat parameter buffer */
  offset: number;
  /** number of elements: the product of shape */
  size: number;
  group: ParamGroup;
  /** layer index for `transformer.h.{i}` tensors, undefined elsewhere */
  layer?: number;
}

/** All parameter tensors in nanoGPT's order, with their place in the flat buffer. */
export function paramSpecs(config: GPTConfig): ParamSpec[] {
  const { vocabSize: V, blockSize, nLayer: L, nEmbd: C, bias } = config;
  const specs: ParamSpec[] = [];
  let offset = 0;
  const add = (name: string, shape: number[], group: ParamGroup, layer?: number) => {
    const size = shape.reduce((a, b) => a * b, 1);
    specs.push({ name, shape, offset, size, group, layer });
    offset += size;
  };
  add("transformer.wte.weight", [V, C], "embedding");
  add("transformer.wpe.weight", [blockSize, C], "position");
  for (let i = 0; i < L; i++) {
    const h = `transformer.h.${i}`;
    add(`${h}.ln_1.weight`, [C], "layernorm", i);
    if (bias) add(`${h}.ln_1.bias`, [C], "layernorm", i);
    add(`${h}.attn.c_attn.weight`, [3 * C, C], "attention", i);
    if (bias) add(`${h}.attn.c_attn.bias`, [3 * C], "attention", i);
    add(`${h}.attn.c_proj.weight`, [C, C], "attention", i);
    if (bias) add(`${h}.attn.c_proj.bias`, [C], "attention", i);
    add(`${h}.ln_2.weight`, [C], "layernorm", i);
    if (bias) add(`${h}.ln_2.bias`, [C], "layernorm", i);
    add(`${h}.mlp.c_fc.weight`, [4 * C, C], "mlp", i);
    if (bias) add(`${h}.mlp.c_fc.bias`, [4 * C], "mlp", i);
    add(`${h}.mlp.c_proj.weight`, [C, 4 * C], "mlp", i);
    if (bias) add(`${h}.mlp.c_proj.bias`, [C], "mlp", i);
  }
  add("transformer.ln_f.weight", [C], "layernorm");
  if (bias) add("transformer.ln_f.bias", [C], "layernorm");
  return specs;
}

/** Total number of parameters (lm_head is tied, so it adds none). */
export function countParams(config: GPTConfig): number {
  const specs = paramSpecs(config);
  const last = specs[specs.length - 1];
  return last.offset + last.size;
}

/** Parameter counts per group, each summed over all layers (layernorm includes ln_f), and the total. */
export type ParameterCounts = Record<ParamGroup | "total", number>;

/** Exact parameter count per group, plus the total. */
export function countParamsByGroup(config: GPTConfig): ParameterCounts {
  const counts = { embedding: 0, position: 0, attention: 0, mlp: 0, layernorm: 0, total: 0 };
  for (const s of paramSpecs(config)) {
    counts[s.group] += s.size;
    counts.total += s.size;
  }
  return counts;
}

/** One transformer block's tensors as views. `null` where the config has no bias. */
export interface BlockViews {
  ln1w: FloatArray;
  ln1b: FloatArray | null;
  attnW: FloatArray;
  attnB: FloatArray | null; // c_attn  [3C, C], [3C]
  projW: FloatArray;
  projB: FloatArray | null; // attn.c_proj [C, C], [C]
  ln2w: FloatArray;
  ln2b: FloatArray | null;
  fcW: FloatArray;
  fcB: FloatArray | null; // mlp.c_fc [4C, C], [4C]
  fcProjW: FloatArray;
  fcProjB: FloatArray | null; // mlp.c_proj [C, 4C], [C]
}

/** Named views into a flat buffer laid out by `paramSpecs` (used for params AND their grads). */
export interface ParamViews {
  wte: FloatArray; // [V, C], also lm_head
  wpe: FloatArray; // [blockSize, C]
  blocks: BlockViews[];
  lnfw: FloatArray;
  lnfb: FloatArray | null;
  /** every tensor by its nanoGPT name */
  byName: Map<string, FloatArray>;
}

export function paramViews(config: GPTConfig, flat: FloatArray): ParamViews {
  const byName = new Map<string, FloatArray>();
  for (const s of paramSpecs(config)) byName.set(s.name, flat.subarray(s.offset, s.offset + s.size));
  const get = (name: string) => byName.get(name)!;
  const opt = (name: string) => byName.get(name) ?? null;
  const blocks: BlockViews[] = [];
  for (let i = 0; i < config.nLayer; i++) {
    const h = `transformer.h.${i}`;
    blocks.push({
      ln1w: get(`${h}.ln_1.weight`),
      ln1b: opt(`${h}.ln_1.bias`),
      attnW: get(`${h}.attn.c_attn.weight`),
      attnB: opt(`${h}.attn.c_attn.bias`),
      projW: get(`${h}.attn.c_proj.weight`),
      projB: opt(`${h}.attn.c_proj.bias`),
      ln2w: get(`${h}.ln_2.weight`),
      ln2b: opt(`${h}.ln_2.bias`),
      fcW: get(`${h}.mlp.c_fc.weight`),
      fcB: opt(`${h}.mlp.c_fc.bias`),
      fcProjW: get(`${h}.mlp.c_proj.weight`),
      fcProjB: opt(`${h}.mlp.c_proj.bias`),
    });
  }
  return {
    wte: get("transformer.wte.weight"),
    wpe: get("transformer.wpe.weight"),
    blocks,
    lnfw: get("transformer.ln_f.weight"),
    lnfb: opt("transformer.ln_f.bias"),
    byName,
  };
}
