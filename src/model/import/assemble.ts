/**
 * From a file's tensors (under any of the names nanoGPT and Hugging Face use) to this engine's
 * flat parameter buffer:
 *
 *   1. canonicalName: `_orig_mod.` (torch.compile) dropped, `transformer.` added where GPT-2's
 *      Hugging Face files omit it; causal-mask buffers (`attn.bias` of shape [1,1,T,T],
 *      `attn.masked_bias`) recognised as buffers and skipped;
 *   2. inferShape: V, C from wte, blockSize from wpe, L from the blocks present, bias from ln_f;
 *   3. planParams: every parameter of paramSpecs(config) present with its exact shape, lm_head
 *      tied to wte, nothing unknown (all problems listed at once, nothing read yet);
 *   4. the plan's fill(params) reads each tensor straight into its view of the buffer.
 */
import type { GPTConfig } from "../config.ts";
import { paramSpecs } from "../params.ts";
import type { TensorSource } from "./tensor-source.ts";

export const WTE = "transformer.wte.weight";
export const LM_HEAD = "lm_head.weight";
const MAX_LISTED = 6;

/** Our name for a file's tensor name, or null for a buffer that is not a parameter. */
export function canonicalName(name: string, shape: number[]): string | null {
  let n = name.startsWith("_orig_mod.") ? name.slice("_orig_mod.".length) : name;
  if (/^(wte|wpe|ln_f|h)\./.test(n)) n = `transformer.${n}`;
  // the causal mask: [1, 1, T, T] under attn.bias (a real attention bias is c_attn.bias); masked_bias is a scalar
  if (/^transformer\.h\.\d+\.attn\.masked_bias$/.test(n)) return null;
  if (/^transformer\.h\.\d+\.attn\.bias$/.test(n) && shape.length === 4) return null;
  return n;
}

/** The file's tensors under our names, with how many buffers were skipped. */
export function canonicalTensors(tensors: Iterable<TensorSource>): { tensors: Map<string, TensorSource>; skipped: string[] } {
  const out = new Map<string, TensorSource>();
  const skipped: string[] = [];
  for (const t of tensors) {
    const name = canonicalName(t.name, t.shape);
    if (name === null) {
      skipped.push(t.name);
      continue;
    }
    if (out.has(name)) throw new Error(`tensors ${out.get(name)!.name} and ${t.name} both name ${name}`);
    out.set(name, t);
  }
  return { tensors: out, skipped };
}

/** Everything of the config the tensors' shapes say (all but nHead). */
export function inferShape(tensors: Map<string, TensorSource>, sourceName: string): Omit<GPTConfig, "nHead"> {
  const wte = tensors.get(WTE);
  const wpe = tensors.get("transformer.wpe.weight");
  if (wte?.shape.length !== 2)
    throw new Error(`${sourceName}: no ${WTE} matrix: is this a GPT (nanoGPT or GPT-2) file? tensors: ${listNames(tensors)}`);
  if (wpe?.shape.length !== 2)
    throw new Error(`${sourceName}: no transformer.wpe.weight matrix (learned positions); tensors: ${listNames(tensors)}`);
  let nLayer = 0;
  while (tensors.has(`transformer.h.${nLayer}.ln_1.weight`)) nLayer++;
  return { vocabSize: wte.shape[0], nEmbd: wte.shape[1], blockSize: wpe.shape[0], nLayer, bias: tensors.has("transformer.ln_f.bias") };
}

export interface ParamPlan {
  config: GPTConfig;
  /** Reads every parameter into `params` (laid out by paramSpecs(config)). */
  fill(params: Float32Array): void;
}

/** Checks names and shapes against the config; reads nothing. */
export function planParams(config: GPTConfig, tensors: Map<string, TensorSource>, sourceName: string): ParamPlan {
  const specs = paramSpecs(config);
  const problems: string[] = [];
  for (const s of specs) {
    const t = tensors.get(s.name);
    if (!t) problems.push(`tensor ${s.name} is missing (shape [${s.shape}] expected)`);
    else if (!sameShape(t.shape, s.shape)) problems.push(`tensor ${t.name} has shape [${t.shape}], expected [${s.shape}]`);
  }
  const lmHead = tensors.get(LM_HEAD);
  const wte = tensors.get(WTE);
  if (lmHead && wte && !sameShape(lmHead.shape, wte.shape))
    problems.push(`tensor ${lmHead.name} has shape [${lmHead.shape}], ${wte.name} has [${wte.shape}]`);
  const known = new Set(specs.map((s) => s.name)).add(LM_HEAD);
  const unknown = [...tensors.keys()].filter((n) => !known.has(n));
  if (unknown.length > 0)
    problems.push(
      `unexpected tensors for a GPT with ${config.nLayer} layers and bias=${config.bias}: ${unknown.slice(0, MAX_LISTED).join(", ")}`,
    );
  if (problems.length > 0) {
    const more = problems.length > MAX_LISTED ? `; and ${problems.length - MAX_LISTED} more` : "";
    throw new Error(`${sourceName}: ${problems.slice(0, MAX_LISTED).join("; ")}${more}`);
  }
  return {
    config,
    fill(params) {
      for (const s of specs) tensors.get(s.name)!.readInto(params.subarray(s.offset, s.offset + s.size));
      // lm_head: tied in this engine, so a separate copy must equal wte (compared one row at a time)
      if (lmHead && wte && !(lmHead.identity !== undefined && lmHead.identity === wte.identity))
        checkTied(lmHead, params.subarray(0, specs[0].size), config.nEmbd, sourceName);
    },
  };
}

function checkTied(lmHead: TensorSource, wte: Float32Array, C: number, sourceName: string): void {
  const copy = new Float32Array(wte.length);
  lmHead.readInto(copy);
  for (let i = 0; i < copy.length; i++) {
    if (copy[i] !== wte[i] && !(Number.isNaN(copy[i]) && Number.isNaN(wte[i]))) {
      throw new Error(
        `${sourceName}: ${lmHead.name} differs from ${WTE} (row ${Math.floor(i / C)}, column ${i % C}: ${copy[i]} vs ${wte[i]}); this engine ties them`,
      );
    }
  }
}

function sameShape(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

function listNames(tensors: Map<string, TensorSource>): string {
  const names = [...tensors.values()].map((t) => t.name);
  return names.length === 0 ? "(none)" : `${names.slice(0, MAX_LISTED).join(", ")}${names.length > MAX_LISTED ? ", …" : ""}`;
}
