/** A small trained model for the explanation tests, copies of it with changed weights, and PNG decoding. */
import { loadImage, createCanvas } from "@napi-rs/canvas";
import { trainModel } from "../../src/app/train-model.ts";
import { loadCheckpointBytes } from "../../src/model/checkpoint.ts";
import { handleFromCheckpoint, type ModelHandle } from "../../src/app/model-handle.ts";
import { GPT } from "../../src/model/gpt.ts";
import { KVCachedModel } from "../../src/model/kv-cache.ts";
import { seededRandom } from "../../src/tensor/random.ts";
import { smallCorpus } from "../helpers/corpus.ts";

export const MODEL_NAME = "test model";

/** The brief's test model: tiny preset, BPE 300, 30 steps. */
export function trainTestModel(): Uint8Array {
  return trainModel(smallCorpus(), { preset: "tiny", tokenizer: "bpe", vocabSize: 300, steps: 30, seed: 1, evalInterval: 15 }).checkpoint;
}

export function loadHandle(checkpoint: Uint8Array, name = MODEL_NAME): ModelHandle {
  return handleFromCheckpoint(loadCheckpointBytes(checkpoint, "x"), name);
}

/** The same model with every weight nudged (a fresh handle: its own KV cache). */
export function perturbedHandle(checkpoint: Uint8Array): ModelHandle {
  const handle = loadHandle(checkpoint);
  const rng = seededRandom(99);
  const p = handle.model.params;
  for (let i = 0; i < p.length; i++) p[i] += 0.03 * rng.normal();
  return handle;
}

/**
 * A model of another shape (3 layers instead of 2) with another training record: what the
 * parameter and compute topics read does not depend on weight values.
 */
export function reshapedHandle(checkpoint: Uint8Array): ModelHandle {
  const base = loadHandle(checkpoint);
  const model = new GPT({ ...base.model.config, nLayer: 3 }).init(seededRandom(5));
  const extra = { ...(base.meta.extra as Record<string, unknown>), tokensSeen: 12_345, trainSeconds: 2.5 };
  return { ...base, model, source: new KVCachedModel(model), meta: { ...base.meta, extra } };
}

export interface DecodedPng {
  width: number;
  height: number;
  /** distinct colours in a sample of the pixels */
  colours: number;
  pixel(x: number, y: number): [number, number, number];
}

export async function decodePng(bytes: Uint8Array): Promise<DecodedPng> {
  const image = await loadImage(Buffer.from(bytes));
  const canvas = createCanvas(image.width, image.height);
  const ctx = canvas.getContext("2d");
  ctx.drawImage(image, 0, 0);
  const data = ctx.getImageData(0, 0, image.width, image.height).data;
  const seen = new Set<number>();
  for (let i = 0; i < data.length; i += 4 * 7) seen.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
  return {
    width: image.width,
    height: image.height,
    colours: seen.size,
    pixel(x, y) {
      const i = (Math.round(y) * image.width + Math.round(x)) * 4;
      return [data[i], data[i + 1], data[i + 2]];
    },
  };
}

/** The PNG signature: 89 50 4E 47 0D 0A 1A 0A. */
export function isPng(bytes: Uint8Array): boolean {
  return [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((b, i) => bytes[i] === b);
}

/** Every number written in a text (digits with , and .), in order. */
export function numbersIn(text: string): string[] {
  return text.match(/-?\d[\d,]*(?:\.\d+)?(?:e-?\d+)?%?/g) ?? [];
}
