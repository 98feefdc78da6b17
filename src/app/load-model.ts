/** Loading a model file into a ready handle; the shipped default model's location. */
import { fileURLToPath } from "node:url";
import path from "node:path";
import { loadCheckpoint } from "../store/checkpoint-file.ts";
import type { Kernels } from "../tensor/kernels.ts";
import { handleFromCheckpoint, type ModelHandle } from "./model-handle.ts";
import { type ImportModelOptions, importedKind, loadImportedModel } from "./import-model.ts";

/** data/default-model.safetensors in the project folder: trained by `npm run train:default`. */
export const DEFAULT_MODEL_PATH = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../data/default-model.safetensors");

/** This project's checkpoint, or an imported model (nanoGPT ckpt.pt / safetensors, a GPT-2 folder: see import-model.ts). */
export async function loadModelFile(
  file: string,
  name = path.basename(file),
  kernels?: Kernels,
  imports: ImportModelOptions = {},
): Promise<ModelHandle> {
  const kind = importedKind(file);
  if (kind !== null) return loadImportedModel(file, kind, name, { ...imports, kernels });
  return handleFromCheckpoint(await loadCheckpoint(file), name, kernels);
}

export async function loadDefaultModel(kernels?: Kernels): Promise<ModelHandle> {
  return loadModelFile(DEFAULT_MODEL_PATH, "default model", kernels);
}
