/** `embeddings --out FILE.png [--text TOKEN] [--lang ja|en] [--model FILE]` */
import { embeddingsPicture } from "../../../app/pictures.ts";
import { parseOptions, stringOption } from "../args.ts";
import { langOption } from "../lang.ts";
import { modelFromOption } from "../model-option.ts";
import { requirePngPath, writePicture } from "../picture-file.ts";

export const usage = "embeddings --out FILE.png [--text TOKEN] [--lang ja|en] [--model FILE]";

export async function run(argv: string[]): Promise<void> {
  const v = parseOptions(
    argv,
    { text: { type: "string" }, out: { type: "string" }, lang: { type: "string" }, model: { type: "string" } },
    "embeddings",
  );
  const out = requirePngPath(stringOption(v, "out"), "embeddings");
  const handle = await modelFromOption(stringOption(v, "model"));
  const text = stringOption(v, "text");
  writePicture(out, await embeddingsPicture(handle, langOption(stringOption(v, "lang")), text === "" ? undefined : text));
}
