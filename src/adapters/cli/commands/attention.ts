/** `attention --text TEXT --out FILE.png [--layer L] [--head H] [--lang ja|en] [--model FILE]` */
import { attentionPicture } from "../../../app/attention.ts";
import { numberOption, parseOptions, stringOption } from "../args.ts";
import { langOption } from "../lang.ts";
import { modelFromOption } from "../model-option.ts";
import { requirePngPath, writePicture } from "../picture-file.ts";

export const usage = "attention --text TEXT --out FILE.png [--layer L] [--head H] [--lang ja|en] [--model FILE]";

export async function run(argv: string[]): Promise<void> {
  const v = parseOptions(
    argv,
    {
      text: { type: "string" },
      out: { type: "string" },
      layer: { type: "string" },
      head: { type: "string" },
      lang: { type: "string" },
      model: { type: "string" },
    },
    "attention",
  );
  const out = requirePngPath(stringOption(v, "out"), "attention");
  const lang = langOption(stringOption(v, "lang"));
  const handle = await modelFromOption(stringOption(v, "model"));
  const { png, kind, maps } = await attentionPicture(handle, stringOption(v, "text") ?? "", {
    layer: numberOption(v, "layer", { integer: true }),
    head: numberOption(v, "head", { integer: true }),
    lang,
  });
  process.stdout.write(`${kind === "grid" ? "every layer × head" : "one head"} over ${maps.tokens.length} tokens\n`);
  writePicture(out, png);
}
