/**
 * Tiny models for bot tests: a char tokenizer over a small bilingual alphabet and a randomly
 * initialised "tiny" GPT (a few thousand parameters), as checkpoint bytes or a file. Also a
 * scripted handle whose "model" always writes a given text (to test what the bot does with
 * dangerous output such as "@everyone").
 */
import { writeFileSync } from "node:fs";
import { saveCheckpointBytes } from "../../src/model/checkpoint.ts";
import { presetConfig } from "../../src/model/config.ts";
import { GPT } from "../../src/model/gpt.ts";
import { handleFromCheckpoint, type ModelHandle } from "../../src/app/model-handle.ts";
import { loadCheckpointBytes } from "../../src/model/checkpoint.ts";
import { seededRandom } from "../../src/tensor/random.ts";
import { trainCharTokenizer } from "../../src/tokenizer/index.ts";

export const TINY_ALPHABET =
  "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,!?@<>#&`'\"\nこんにちはありがとうさようなら今日天気";

export function tinyCheckpointBytes(seed = 1, step = 0): Uint8Array {
  const tokenizer = trainCharTokenizer(TINY_ALPHABET);
  const model = new GPT(presetConfig("tiny", tokenizer.vocabSize)).init(seededRandom(seed));
  return saveCheckpointBytes(model.config, model.params as Float32Array, { tokenizer: tokenizer.toJSON(), step, valLoss: 3.5 });
}

export function writeTinyModel(file: string, seed = 1): string {
  writeFileSync(file, tinyCheckpointBytes(seed));
  return file;
}

/** A handle that writes `text` (then end-of-text) whatever the prompt: the model's logits are replaced. */
export function scriptedHandle(text: string, name = "scripted model"): ModelHandle {
  const handle = handleFromCheckpoint(loadCheckpointBytes(tinyCheckpointBytes(), "tiny"), name);
  const script = [...handle.tokenizer.encode(text).ids, handle.tokenizer.eotId];
  const V = handle.tokenizer.vocabSize;
  let position = 0;
  handle.source = {
    blockSize: handle.model.config.blockSize,
    vocabSize: V,
    nextLogits() {
      const logits = new Float32Array(V).fill(-50);
      logits[script[Math.min(position, script.length - 1)]] = 50;
      position++;
      return logits;
    },
  };
  return handle;
}
