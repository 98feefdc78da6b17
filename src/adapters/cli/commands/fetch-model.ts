/** `fetch-model gpt2|distilgpt2 [--dir MODELS_DIR] [--hub URL]` (flags: the catalogue's): GPT-2's Hugging Face files, resumable. */
import { DEFAULT_HUB_URL, DEFAULT_MODELS_DIR, fetchModel, HUB_MODELS } from "../../../app/fetch-model.ts";
import { countParams } from "../../../model/params.ts";
import { cliUsage, parseCatalogueArgs } from "../catalogue-args.ts";
import { UsageError } from "../usage-error.ts";
import { LiveLine } from "../progress-bar.ts";

export const usage = cliUsage("fetch-model");

export async function run(argv: string[]): Promise<void> {
  const v = parseCatalogueArgs(argv, "fetch-model");
  const name = v.name as string;
  if (!Object.hasOwn(HUB_MODELS, name))
    throw new UsageError(`unknown model "${name}"; fetch-model knows ${Object.keys(HUB_MODELS).join(", ")}`);
  const line = new LiveLine();
  const fetched = await fetchModel(name, {
    modelsDir: (v.dir as string | undefined) ?? (process.env.MODELS_DIR?.trim() || DEFAULT_MODELS_DIR),
    hubUrl: (v.hub as string | undefined) ?? (process.env.HF_ENDPOINT?.trim() || DEFAULT_HUB_URL),
    onProgress: (p) => line.update(progressText(p.file, p.received, p.total)),
    onNote: (text) => line.log(text),
  });
  const c = fetched.config;
  line.log(
    `${name}: ${fetched.folder} checked (${c.nLayer} layers, ${c.nHead} heads, ${c.nEmbd} channels, ${c.vocabSize} tokens, ${c.blockSize} positions, ${countParams(c).toLocaleString("en-US")} parameters); use it with --model ${fetched.folder}`,
  );
}

/** `model.safetensors [██████······] 41% 210.3/548.1 MB` */
export function progressText(file: string, received: number, total: number | null): string {
  const mb = (n: number) => (n / 1e6).toFixed(1);
  if (total === null || total === 0) return `${file} ${mb(received)} MB`;
  const width = 20;
  const filled = Math.min(width, Math.round((received / total) * width));
  return `${file} [${"█".repeat(filled)}${"·".repeat(width - filled)}] ${Math.floor((received / total) * 100)}% ${mb(received)}/${mb(total)} MB`;
}
