/** `tokens --text TEXT --out FILE.png [--lang ja|en] [--model FILE]` */
import { tokensPicture } from "../../../app/pictures.ts";
import { parseOptions, stringOption } from "../args.ts";
import { langOption } from "../lang.ts";
import { modelFromOption } from "../model-option.ts";
import { requirePngPath, writePicture } from "../picture-file.ts";

export const usage = "tokens --text TEXT --out FILE.png [--lang ja|en] [--model FILE]";

export async function run(argv: string[]): Promise<void> {
  const v = parseOptions(
    argv,
    { text: { type: "string" }, out: { type: "string" }, lang: { type: "string" }, model: { type: "string" } },
    "tokens",
  );
  const out = requirePngPath(stringOption(v, "out"), "tokens");
  const handle = await modelFromOption(stringOption(v, "model"));
  const text = stringOption(v, "text") ?? "";
  const png = await tokensPicture(handle, text, langOption(stringOption(v, "lang")));
  const ids = handle.tokenizer.encode(text).ids;
  process.stdout.write(`${ids.length} tokens: ${ids.join(" ")}\n`);
  writePicture(out, png);
}
