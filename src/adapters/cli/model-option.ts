/**
 * `--model FILE` (a file or folder), `--model REF` (a model of the store the playground uses:
 * default, #2, a name, an imported model's folder name), or the shipped default model, with a
 * clear line when none can be loaded.
 * What an imported file may need comes with every --model (the catalogue's modelOptions):
 * `--heads N` (n_head of a nanoGPT safetensors that does not say it) and `--gpt2-tokenizer DIR`
 * (GPT-2's vocab.json + merges.txt for a nanoGPT ckpt.pt without meta.pkl).
 */
import { existsSync } from "node:fs";
import type { OptionValue } from "../../app/catalogue/index.ts";
import type { ImportModelOptions } from "../../app/import-model.ts";
import { DEFAULT_MODEL_PATH, loadModelFile } from "../../app/load-model.ts";
import type { ModelHandle } from "../../app/model-handle.ts";
import { SHIPPED_MODEL } from "../../app/model-identity.ts";
import { fastestKernels } from "../../app/kernels.ts";
import { InputError } from "../../app/prompt.ts";
import { storeModelHandle } from "./store-models.ts";
import { UsageError } from "./usage-error.ts";

/** `v`: a command's parsed flags (parseCatalogueArgs), by option name: model, heads, gpt2_tokenizer. */
export async function modelFromOption(v: Readonly<Record<string, OptionValue | undefined>>): Promise<ModelHandle> {
  const file = v.model as string | undefined;
  const importOptions: ImportModelOptions = {};
  if (v.heads !== undefined) importOptions.heads = v.heads as number;
  if (v.gpt2_tokenizer !== undefined) {
    const dir = v.gpt2_tokenizer as string;
    if (!existsSync(dir)) throw new UsageError(`--gpt2-tokenizer folder not found: ${dir}`);
    importOptions.gpt2Tokenizer = dir;
  }
  if (file === undefined) {
    if (!existsSync(DEFAULT_MODEL_PATH)) {
      throw new UsageError(`the default model is missing (${DEFAULT_MODEL_PATH}): run npm run train:default, or pass --model FILE`);
    }
    // the shipped model, named as every surface names it (既定のモデル in Japanese)
    return { ...(await loadModelFile(DEFAULT_MODEL_PATH, "default model", fastestKernels())), identity: SHIPPED_MODEL };
  }
  if (existsSync(file)) return loadModelFile(file, undefined, fastestKernels(), importOptions);
  // a path (a separator, a checkpoint's extension) that is not there
  if (/[/\\]|\.(safetensors|pt|ckpt|bin)$/i.test(file)) throw new UsageError(`model file not found: ${file}`);
  // else a model of the store the playground uses ("default", "#2", a name, an imported model)
  try {
    return await storeModelHandle(file);
  } catch (err) {
    if (err instanceof InputError && err.code === "unknown-model")
      throw new UsageError(
        `model file not found: ${file}, and the playground's store has no model "${file}" either; its models are: ${err.values.choices} (DATABASE_PATH and MODELS_DIR say where)`,
      );
    throw err;
  }
}
