/** `trace --text PROMPT --out FILE.png [--tokens N] [--temperature T] [--seed S] [--lang] [--model]` */
import { generateText } from "../../../app/generate-text.ts";
import { tracePicture } from "../../../app/pictures.ts";
import { numberOption, parseOptions, stringOption } from "../args.ts";
import { langOption } from "../lang.ts";
import { modelFromOption } from "../model-option.ts";
import { requirePngPath, writePicture } from "../picture-file.ts";

export const usage = "trace --text PROMPT --out FILE.png [--tokens N] [--temperature T] [--seed S] [--lang ja|en] [--model FILE]";

export async function run(argv: string[]): Promise<void> {
  const v = parseOptions(
    argv,
    {
      text: { type: "string" },
      out: { type: "string" },
      tokens: { type: "string" },
      temperature: { type: "string" },
      seed: { type: "string" },
      lang: { type: "string" },
      model: { type: "string" },
    },
    "trace",
  );
  const out = requirePngPath(stringOption(v, "out"), "trace");
  const lang = langOption(stringOption(v, "lang"));
  const handle = await modelFromOption(stringOption(v, "model"));
  const generated = generateText(handle, stringOption(v, "text") ?? "", {
    maxTokens: numberOption(v, "tokens", { integer: true }) ?? 12,
    temperature: numberOption(v, "temperature"),
    seed: numberOption(v, "seed", { integer: true }),
  });
  process.stdout.write(`${generated.prompt}${generated.text}\n`);
  writePicture(out, await tracePicture(handle, generated, lang));
}
