/**
 * `fetch-model gpt2|distilgpt2`: GPT-2's files from the Hugging Face hub into MODELS_DIR/<name>/.
 *
 * Per file (config.json, vocab.json, merges.txt, model.safetensors):
 *   1. already complete on disk (no .part beside it): kept;
 *   2. otherwise GET <hub>/<repo>/resolve/<revision>/<file> into <file>.part, asking with
 *      `Range: bytes=<part size>-` when a .part exists: 206 appends, 200 starts over;
 *   3. a connection cut mid-body is resumed the same way, up to MAX_ATTEMPTS times;
 *   4. the bytes received must equal the size the server announced (Content-Range's total or
 *      Content-Length); only then is the .part renamed to its name.
 * Then the model is checked before it is offered: config.json read, the safetensors header's
 * tensors tiling the file exactly, every tensor's name and shape matching the config, and the
 * tokenizer files building GPT-2's tokenizer. A failed check leaves the files for a retry.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync } from "node:fs";
import { open } from "node:fs/promises";
import path from "node:path";
import { planHfGpt2 } from "../model/import/hf-gpt2.ts";
import { openFileSource } from "../store/file-source.ts";
import { gpt2TokenizerFromFiles } from "../tokenizer/gpt2.ts";

export const DEFAULT_HUB_URL = "https://huggingface.co";
export const DEFAULT_MODELS_DIR = "data/models";

/** The models fetch-model knows: their hub repository and the files of the HF GPT-2 layout. */
export const HUB_MODELS: Record<string, { repo: string; files: string[] }> = {
  gpt2: { repo: "openai-community/gpt2", files: ["config.json", "vocab.json", "merges.txt", "model.safetensors"] },
  distilgpt2: { repo: "distilbert/distilgpt2", files: ["config.json", "vocab.json", "merges.txt", "model.safetensors"] },
};

const MAX_ATTEMPTS = 5;

export interface FetchProgress {
  file: string;
  received: number;
  /** null until the server says */
  total: number | null;
}

export interface FetchModelOptions {
  modelsDir?: string;
  hubUrl?: string;
  revision?: string;
  onProgress?: (p: FetchProgress) => void;
  /** a line per event worth keeping (resumed, kept, checked) */
  onNote?: (line: string) => void;
  /** waits between attempts (ms; tests pass 0) */
  retryDelayMs?: number;
}

export interface FetchedModel {
  name: string;
  folder: string;
  /** parameter count checked from the header */
  config: ReturnType<typeof planHfGpt2>["config"];
}

export async function fetchModel(name: string, options: FetchModelOptions = {}): Promise<FetchedModel> {
  const model = Object.hasOwn(HUB_MODELS, name) ? HUB_MODELS[name] : undefined;
  if (!model) throw new Error(`unknown model "${name}"; fetch-model knows ${Object.keys(HUB_MODELS).join(", ")}`);
  const hub = (options.hubUrl ?? DEFAULT_HUB_URL).replace(/\/+$/, "");
  if (!/^https?:\/\//.test(hub)) throw new Error(`hub URL must start with http:// or https://, got ${hub}`);
  const folder = path.join(options.modelsDir ?? DEFAULT_MODELS_DIR, name);
  mkdirSync(folder, { recursive: true });

  for (const file of model.files) {
    const dest = path.join(folder, file);
    if (existsSync(dest) && !existsSync(`${dest}.part`)) {
      options.onNote?.(`${file}: already here (${statSync(dest).size} bytes)`);
      continue;
    }
    const url = `${hub}/${model.repo}/resolve/${encodeURIComponent(options.revision ?? "main")}/${file}`;
    await download(url, dest, file, options);
  }
  try {
    return { name, folder, config: checkFolder(folder) };
  } catch (err) {
    throw new Error(`${(err as Error).message} (not offered: delete ${folder} and run fetch-model ${name} again)`, { cause: err });
  }
}

/** Steps 2–4 of the header for one file. */
async function download(url: string, dest: string, file: string, options: FetchModelOptions): Promise<void> {
  const part = `${dest}.part`;
  let lastError: unknown = null;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const have = existsSync(part) ? statSync(part).size : 0;
    if (have > 0) options.onNote?.(`${file}: resuming at byte ${have}${attempt > 1 ? ` (attempt ${attempt})` : ""}`);
    let response: Response;
    try {
      response = await fetch(url, { headers: have > 0 ? { Range: `bytes=${have}-` } : {} });
    } catch (err) {
      lastError = err;
      await pause(options.retryDelayMs);
      continue;
    }
    // 1. what the server sends: the rest (206), everything (200), or nothing more (416)
    let start: number;
    let total: number | null;
    if (response.status === 206) {
      const m = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(response.headers.get("content-range") ?? "");
      if (!m || Number(m[1]) !== have) throw new Error(`${url}: a partial answer for bytes ${m ? m[1] : "?"}- when ${have}- was asked`);
      start = have;
      total = m[3] === "*" ? null : Number(m[3]);
    } else if (response.status === 200) {
      start = 0;
      const length = response.headers.get("content-length");
      total = length === null ? null : Number(length);
    } else if (response.status === 416 && have > 0) {
      // the .part may already be whole: the size check below decides
      await response.body?.cancel();
      const m = /^bytes \*\/(\d+)$/.exec(response.headers.get("content-range") ?? "");
      if (m && Number(m[1]) === have) {
        renameSync(part, dest);
        return;
      }
      rmSync(part, { force: true });
      continue;
    } else {
      await response.body?.cancel();
      throw new Error(`${url}: HTTP ${response.status} ${response.statusText}`);
    }

    // 2. append (or start over) chunk by chunk, reporting progress
    const handle = await open(part, start === 0 ? "w" : "a");
    let received = start;
    try {
      options.onProgress?.({ file, received, total });
      if (!response.body) throw new Error("the answer has no body");
      for await (const chunk of response.body) {
        await handle.write(chunk);
        received += chunk.length;
        options.onProgress?.({ file, received, total });
      }
    } catch (err) {
      lastError = err;
      await handle.close();
      options.onNote?.(`${file}: connection lost at byte ${received}${total !== null ? ` of ${total}` : ""}`);
      await pause(options.retryDelayMs);
      continue;
    }
    await handle.close();

    // 3. the size the server announced
    if (total !== null && received !== total) {
      lastError = new Error(`received ${received} bytes, the server announced ${total}`);
      continue;
    }
    renameSync(part, dest);
    return;
  }
  throw new Error(
    `${url}: download failed after ${MAX_ATTEMPTS} attempts (${(lastError as Error)?.message ?? lastError}); run fetch-model again to resume`,
  );
}

/** The checks before a model is offered: config, header vs file size, names and shapes, tokenizer. */
export function checkFolder(folder: string): FetchedModel["config"] {
  const configFile = path.join(folder, "config.json");
  const weights = openFileSource(path.join(folder, "model.safetensors"));
  try {
    const plan = planHfGpt2(readFileSync(configFile, "utf8"), configFile, weights);
    gpt2TokenizerFromFiles(
      readFileSync(path.join(folder, "vocab.json"), "utf8"),
      readFileSync(path.join(folder, "merges.txt"), "utf8"),
      plan.config.vocabSize,
    );
    return plan.config;
  } finally {
    weights.close();
  }
}

function pause(ms = 500): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
