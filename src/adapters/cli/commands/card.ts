/** `card --out FILE.png [--loss FILE.png] [--lang ja|en] [--model FILE]`: the model card, and its training's loss curve. */
import { modelInfo } from "../../../app/model-info.ts";
import { lossPicture, modelCardPicture } from "../../../app/pictures.ts";
import { parseOptions, stringOption } from "../args.ts";
import { langOption } from "../lang.ts";
import { modelFromOption } from "../model-option.ts";
import { requirePngPath, writePicture } from "../picture-file.ts";

export const usage = "card --out FILE.png [--loss FILE.png] [--lang ja|en] [--model FILE]";

export async function run(argv: string[]): Promise<void> {
  const v = parseOptions(
    argv,
    { out: { type: "string" }, loss: { type: "string" }, lang: { type: "string" }, model: { type: "string" } },
    "card",
  );
  const out = requirePngPath(stringOption(v, "out"), "card");
  const lossOut = v.loss === undefined ? undefined : requirePngPath(stringOption(v, "loss"), "card");
  const lang = langOption(stringOption(v, "lang"));
  const info = modelInfo(await modelFromOption(stringOption(v, "model")));
  writePicture(out, await modelCardPicture(info, lang));
  if (lossOut) writePicture(lossOut, await lossPicture(info, lang));
}
