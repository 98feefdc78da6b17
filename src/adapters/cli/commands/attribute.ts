/** `attribute --text TEXT [--target TOKEN] [--model FILE] [--json] [--out FILE.png] [--lang ja|en]` (the catalogue's /why) */
import { attributeNext } from "../../../app/attribute.ts";
import { attributionPicture } from "../../../app/look-pictures.ts";
import { formatPercent } from "../../../render/format.ts";
import { visibleToken } from "../../../render/text.ts";
import { cliUsage, parseCatalogueArgs } from "../catalogue-args.ts";
import { langOption } from "../lang.ts";
import { modelFromOption } from "../model-option.ts";
import { requirePngPath, writePicture } from "../picture-file.ts";

export const usage = cliUsage("attribute");

export async function run(argv: string[]): Promise<void> {
  const v = parseCatalogueArgs(argv, "attribute");
  const out = v.out === undefined ? undefined : requirePngPath(v.out as string, "attribute");
  const lang = langOption(v.lang as string | undefined);
  const handle = await modelFromOption(v.model as string | undefined);
  const result = attributeNext(handle, v.text as string, { target: v.target as string | undefined });
  if (out) writePicture(out, await attributionPicture(result, lang, handle.name));
  if (v.json) {
    process.stdout.write(
      `${JSON.stringify(
        {
          model: handle.name,
          text: result.text,
          inputIds: result.inputIds,
          unknown: result.unknown,
          target: result.target,
          gradientTimesInput: result.gradient,
          occlusion: result.occlusion,
          occludedProb: result.occludedProb,
        },
        null,
        2,
      )}\n`,
    );
    return;
  }
  const t = result.target;
  process.stdout.write(`why "${visibleToken(t.token)}" (p ${formatPercent(t.prob)}) after "${result.text}" (${handle.name}):\n`);
  process.stdout.write(`  ${"token".padEnd(14)} ${"grad×input".padStart(11)} ${"occlusion".padStart(11)}\n`);
  result.inputTokens.forEach((token, i) => {
    process.stdout.write(
      `  ${visibleToken(token).padEnd(14)} ${result.gradient[i].toFixed(4).padStart(11)} ${result.occlusion[i].toFixed(4).padStart(11)}\n`,
    );
  });
}
