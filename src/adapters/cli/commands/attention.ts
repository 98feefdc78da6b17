/** `attention --text TEXT --out FILE.png [--layer L] [--head H] [--lang ja|en] [--model FILE]` (flags: the catalogue's) */
import { attentionPicture } from "../../../app/attention.ts";
import { cliUsage, parseCatalogueArgs } from "../catalogue-args.ts";
import { langOption } from "../lang.ts";
import { modelFromOption } from "../model-option.ts";
import { requirePngPath, writePicture } from "../picture-file.ts";

export const usage = cliUsage("attention");

export async function run(argv: string[]): Promise<void> {
  const v = parseCatalogueArgs(argv, "attention");
  const out = requirePngPath(v.out as string, "attention");
  const lang = langOption(v.lang as string | undefined);
  const handle = await modelFromOption(v.model as string | undefined);
  const { png, kind, maps } = await attentionPicture(handle, v.text as string, {
    layer: v.layer as number | undefined,
    head: v.head as number | undefined,
    lang,
  });
  process.stdout.write(`${kind === "grid" ? "every layer × head" : "one head"} over ${maps.tokens.length} tokens\n`);
  writePicture(out, png);
}
