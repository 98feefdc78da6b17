/** `card --out FILE.png [--loss FILE.png] [--lang ja|en] [--model FILE]`: the model card, and its training's loss curve. */
import { modelInfo } from "../../../app/model-info.ts";
import { lossPicture, modelCardPicture } from "../../../app/pictures.ts";
import { cliUsage, parseCatalogueArgs } from "../catalogue-args.ts";
import { langOption } from "../lang.ts";
import { modelFromOption } from "../model-option.ts";
import { requirePngPath, writePicture } from "../picture-file.ts";

export const usage = cliUsage("card");

export async function run(argv: string[]): Promise<void> {
  const v = parseCatalogueArgs(argv, "card");
  const out = requirePngPath(v.out as string, "card");
  const lossOut = v.loss === undefined ? undefined : requirePngPath(v.loss as string, "card");
  const lang = langOption(v.lang as string | undefined);
  const info = modelInfo(await modelFromOption(v));
  writePicture(out, await modelCardPicture(info, lang));
  if (lossOut) writePicture(lossOut, await lossPicture(info, lang));
}
