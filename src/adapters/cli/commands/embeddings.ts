/** `embeddings --out FILE.png [--text TOKEN] [--lang ja|en] [--model FILE]` (flags: the catalogue's) */
import { lookUpToken } from "../../../app/embedding-lookup.ts";
import { embeddingsPicture } from "../../../app/pictures.ts";
import { tokenLookupSentence } from "../../../explain/token-lookup.ts";
import { visibleToken } from "../../../render/text.ts";
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
  const lang = langOption(v.lang as string | undefined);
  writePicture(out, await embeddingsPicture(handle, lang, text === "" ? undefined : text));
  // which token the neighbours are those of
  if (text) console.log(tokenLookupSentence(lookUpToken(handle.tokenizer, text), lang, visibleToken));
}
