/** `generate --prompt TEXT [--tokens --temperature --top-k --top-p --seed --model FILE]` */
import { generateText } from "../../../app/generate-text.ts";
import { cliUsage, parseCatalogueArgs } from "../catalogue-args.ts";
import { modelFromOption } from "../model-option.ts";

export const usage = cliUsage("generate");

export async function run(argv: string[]): Promise<void> {
  const v = parseCatalogueArgs(argv, "generate");
  const handle = await modelFromOption(v.model as string | undefined);
  const result = generateText(handle, v.prompt as string, {
    maxTokens: v.tokens as number | undefined,
    temperature: v.temperature as number | undefined,
    topK: v.top_k as number | undefined,
    topP: v.top_p as number | undefined,
    seed: v.seed as number | undefined,
  });
  process.stdout.write(`${result.prompt}${result.text}\n`);
  if (result.unknown > 0) process.stderr.write(`(${result.unknown} character(s) of the prompt are unknown to this model)\n`);
}
