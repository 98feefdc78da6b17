/** `--model FILE` or the shipped default model, with a clear line when neither can be loaded. */
import { existsSync } from "node:fs";
import type { ImportModelOptions } from "../../app/import-model.ts";
import { DEFAULT_MODEL_PATH, loadModelFile } from "../../app/load-model.ts";
import type { ModelHandle } from "../../app/model-handle.ts";
import { fastestKernels } from "../../app/kernels.ts";
import { UsageError } from "./args.ts";

/** What imported models may need (`--heads N`, `--gpt2-tokenizer DIR`); set once by main.ts. */
const importOptions: ImportModelOptions = {};

/**
 * Takes the import options out of argv (they apply to whichever command loads a model) and
 * returns the rest: `--heads N` (n_head of a nanoGPT safetensors that does not say it) and
 * `--gpt2-tokenizer DIR` (GPT-2's vocab.json + merges.txt for a nanoGPT ckpt.pt without meta.pkl).
 */
export function takeImportOptions(argv: string[]): string[] {
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    if (flag !== "--heads" && flag !== "--gpt2-tokenizer") {
      rest.push(argv[i]);
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined || value.startsWith("--")) throw new UsageError(`${flag} needs a value`);
    if (flag === "--heads") {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 1) throw new UsageError(`--heads must be a positive integer, got ${value}`);
      importOptions.heads = n;
    } else {
      if (!existsSync(value)) throw new UsageError(`--gpt2-tokenizer folder not found: ${value}`);
      importOptions.gpt2Tokenizer = value;
    }
  }
  return rest;
}

export async function modelFromOption(file: string | undefined): Promise<ModelHandle> {
  if (file === undefined) {
    if (!existsSync(DEFAULT_MODEL_PATH)) {
      throw new UsageError(`the default model is missing (${DEFAULT_MODEL_PATH}): run npm run train:default, or pass --model FILE`);
    }
    return loadModelFile(DEFAULT_MODEL_PATH, "default model", fastestKernels());
  }
  if (!existsSync(file)) throw new UsageError(`model file not found: ${file}`);
  return loadModelFile(file, undefined, fastestKernels(), importOptions);
}
