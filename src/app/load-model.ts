/** Loading a model file into a ready handle; the shipped default model's location. */
import { fileURLToPath } from "node:url";
import path from "node:path";
import { loadCheckpoint } from "../store/checkpoint-file.ts";
import type { Kernels } from "../tensor/kernels.ts";
import { handleFromCheckpoint, type ModelHandle } from "./model-handle.ts";

/** data/default-model.safetensors in the project folder: trained by `npm run train:default`. */
export const DEFAULT_MODEL_PATH = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../data/default-model.safetensors");

export async function loadModelFile(file: string, name = path.basename(file), kernels?: Kernels): Promise<ModelHandle> {
  return handleFromCheckpoint(await loadCheckpoint(file), name, kernels);
}

export async function loadDefaultModel(kernels?: Kernels): Promise<ModelHandle> {
  return loadModelFile(DEFAULT_MODEL_PATH, "default model", kernels);
}
