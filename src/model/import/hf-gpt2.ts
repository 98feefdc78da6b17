/**
 * GPT-2 in the Hugging Face layout: `config.json` + `model.safetensors`.
 *
 *   config.json: n_embd, n_head, n_layer, n_positions, vocab_size, layer_norm_epsilon (1e-5),
 *                activation_function ("gelu_new": GELU's tanh form, which this engine uses)
 *   tensors:     [transformer.]wte, wpe, h.{i}.ln_1, attn.c_attn, attn.c_proj, ln_2, mlp.c_fc,
 *                mlp.c_proj, ln_f; all with biases; attn.bias / attn.masked_bias are buffers.
 *                GPT-2's Conv1D keeps its weight as [in, out], the transpose of nn.Linear's, so
 *                every c_attn / c_proj / c_fc weight is transposed on load.
 */
import { type GPTConfig, validateConfig } from "../config.ts";
import { canonicalTensors, planParams } from "./assemble.ts";
import type { ByteSource } from "./byte-source.ts";
import type { ImportedPlan } from "./nanogpt.ts";
import { readSafetensorsHeader } from "./safetensors-source.ts";
import { type TensorSource, transposed } from "./tensor-source.ts";

/** This engine's LayerNorm epsilon (src/tensor/layernorm.ts) */
const ENGINE_EPSILON = 1e-5;
/** activation_function → the engine's GELU form (absent in GPTConfig = tanh) */
const GELU_FORMS: Record<string, "tanh" | "erf"> = { gelu_new: "tanh", gelu_pytorch_tanh: "tanh", gelu: "erf" };
const CONV1D = /\.(attn\.c_attn|attn\.c_proj|mlp\.c_fc|mlp\.c_proj)\.weight$/;

/** The engine config for a config.json, refused by name where the engine computes something else. */
export function configFromHfJson(text: string, sourceName: string): GPTConfig {
  const fail = (problem: string): never => {
    throw new Error(`${sourceName}: ${problem}`);
  };
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(text) as Record<string, unknown>;
  } catch (err) {
    return fail(`not JSON (${(err as Error).message})`);
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) fail("not a JSON object");
  if (raw.model_type !== undefined && raw.model_type !== "gpt2")
    fail(`model_type is ${JSON.stringify(raw.model_type)}; only "gpt2" is read`);
  const eps = raw.layer_norm_epsilon ?? ENGINE_EPSILON;
  if (eps !== ENGINE_EPSILON) fail(`layer_norm_epsilon is ${eps}; this engine's LayerNorm uses ${ENGINE_EPSILON}`);
  const act = raw.activation_function ?? "gelu_new";
  if (typeof act !== "string" || !Object.hasOwn(GELU_FORMS, act))
    fail(`activation_function is ${JSON.stringify(act)}; this engine computes ${Object.keys(GELU_FORMS).join(", ")}`);
  for (const flag of ["scale_attn_by_inverse_layer_idx", "reorder_and_upcast_attn"]) {
    if (raw[flag] === true) fail(`${flag} is true; this engine's attention does not do that`);
  }
  if (raw.scale_attn_weights === false) fail("scale_attn_weights is false; this engine scales attention by 1/√HS");
  const config = {
    vocabSize: raw.vocab_size,
    blockSize: raw.n_positions ?? raw.n_ctx,
    nLayer: raw.n_layer,
    nHead: raw.n_head,
    nEmbd: raw.n_embd,
    bias: true,
    ...(GELU_FORMS[act as string] === "erf" && { gelu: "erf" }),
  } as GPTConfig;
  try {
    return validateConfig(config);
  } catch (err) {
    return fail((err as Error).message);
  }
}

/** config.json's config and model.safetensors' tensors, checked; nothing read yet. */
export function planHfGpt2(configJson: string, configName: string, weights: ByteSource): ImportedPlan {
  const config = configFromHfJson(configJson, configName);
  const header = readSafetensorsHeader(weights);
  // 1. Conv1D weights [in, out] read as [out, in]; every other tensor as it is
  const sources: TensorSource[] = [...header.tensors.values()].map((t) =>
    CONV1D.test(t.name) && t.shape.length === 2 ? transposed(t) : t,
  );
  const { tensors, skipped } = canonicalTensors(sources);
  return {
    ...planParams(config, tensors, weights.name),
    step: 0,
    valLoss: null,
    extra: { source: "Hugging Face GPT-2" },
    skipped,
  };
}
