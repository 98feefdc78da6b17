/** `tokens --text TEXT --out FILE.png [--lang ja|en] [--model FILE]` (flags: the catalogue's) */
import { tokensPicture } from "../../../app/pictures.ts";
import { cliUsage, parseCatalogueArgs } from "../catalogue-args.ts";
import { langOption } from "../lang.ts";
import { modelFromOption } from "../model-option.ts";
import { requirePngPath, writePicture } from "../picture-file.ts";

export const usage = cliUsage("tokens");

export async function run(argv: string[]): Promise<void> {
  const v = parseCatalogueArgs(argv, "tokens");
  const out = requirePngPath(v.out as string, "tokens");
  const handle = await modelFromOption(v.model as string | undefined);
  const text = v.text as string;
  const png = await tokensPicture(handle, text, langOption(v.lang as string | undefined));
  const ids = handle.tokenizer.encode(text).ids;
  process.stdout.write(`${ids.length} tokens: ${ids.join(" ")}\n`);
  writePicture(out, png);
}
