/** `embeddings --out FILE.png [--text TOKEN] [--lang ja|en] [--model FILE]` (flags: the catalogue's) */
import { embeddingsPicture } from "../../../app/pictures.ts";
import { cliUsage, parseCatalogueArgs } from "../catalogue-args.ts";
import { langOption } from "../lang.ts";
import { modelFromOption } from "../model-option.ts";
import { requirePngPath, writePicture } from "../picture-file.ts";

export const usage = cliUsage("embeddings");

export async function run(argv: string[]): Promise<void> {
  const v = parseCatalogueArgs(argv, "embeddings");
  const out = requirePngPath(v.out as string, "embeddings");
  const handle = await modelFromOption(v);
  const text = v.text as string | undefined;
  writePicture(out, await embeddingsPicture(handle, langOption(v.lang as string | undefined), text === "" ? undefined : text));
}
