/** `--model FILE` or the shipped default model, with a clear line when neither can be loaded. */
import { existsSync } from "node:fs";
import { DEFAULT_MODEL_PATH, loadModelFile } from "../../app/load-model.ts";
import type { ModelHandle } from "../../app/model-handle.ts";
import { fastestKernels } from "../../app/kernels.ts";
import { UsageError } from "./args.ts";

export async function modelFromOption(file: string | undefined): Promise<ModelHandle> {
  if (file === undefined) {
    if (!existsSync(DEFAULT_MODEL_PATH)) {
      throw new UsageError(`the default model is missing (${DEFAULT_MODEL_PATH}): run npm run train:default, or pass --model FILE`);
    }
    return loadModelFile(DEFAULT_MODEL_PATH, "default model", fastestKernels());
  }
  if (!existsSync(file)) throw new UsageError(`model file not found: ${file}`);
  return loadModelFile(file, undefined, fastestKernels());
}
