/** `trace --text PROMPT --out FILE.png [--tokens N] [--seed S] [--temperature T] [--lang] [--model]` (flags: the catalogue's) */
import { generateText } from "../../../app/generate-text.ts";
import { DEFAULT_TRACE_TOKENS, tracePicture } from "../../../app/pictures.ts";
import { cliUsage, parseCatalogueArgs } from "../catalogue-args.ts";
import { langOption } from "../lang.ts";
import { modelFromOption } from "../model-option.ts";
import { requirePngPath, writePicture } from "../picture-file.ts";
import { redactGeneration } from "../../../app/redaction.ts";

export const usage = cliUsage("trace");

export async function run(argv: string[]): Promise<void> {
  const v = parseCatalogueArgs(argv, "trace");
  const out = requirePngPath(v.out as string, "trace");
  const lang = langOption(v.lang as string | undefined);
  const handle = await modelFromOption(v.model as string | undefined);
  const generated = generateText(handle, v.prompt as string, {
    maxTokens: (v.tokens as number | undefined) ?? DEFAULT_TRACE_TOKENS,
    temperature: v.temperature as number | undefined,
    seed: v.seed as number | undefined,
  });
  process.stdout.write(`${generated.prompt}${generated.text}\n`);
  // the console has no stored messages: nothing to cut, but the same path as every surface
  writePicture(out, await tracePicture(handle, redactGeneration(handle, generated, null), lang));
}
