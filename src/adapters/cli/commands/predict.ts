/** `predict --text TEXT [--k K] [--temperature T] [--ablate L.H[,L.H…]] [--model FILE] [--json] [--out FILE.png] [--lang ja|en]` (flags: the catalogue's) */
import { predictNext } from "../../../app/predict.ts";
import { predictAblated } from "../../../app/ablate.ts";
import { visibleToken } from "../../../render/text.ts";
import { cliUsage, parseCatalogueArgs } from "../catalogue-args.ts";
import { modelFromOption } from "../model-option.ts";
import { predictPicture } from "../../../app/pictures.ts";
import { langOption } from "../lang.ts";
import { requirePngPath, writePicture } from "../picture-file.ts";

export const usage = cliUsage("predict");

export async function run(argv: string[]): Promise<void> {
  const v = parseCatalogueArgs(argv, "predict");
  const out = v.out === undefined ? undefined : requirePngPath(v.out as string, "predict");
  const lang = langOption(v.lang as string | undefined);
  const handle = await modelFromOption(v.model as string | undefined);
  const options = { k: v.k as number | undefined, temperature: v.temperature as number | undefined };
  // --ablate L.H,…: the same prediction from the model with those heads switched off
  const result =
    v.heads === undefined
      ? predictNext(handle, v.text as string, options)
      : predictAblated(handle, v.text as string, { ...options, heads: v.heads as string });
  if (out) writePicture(out, await predictPicture(result, lang, handle.name));
  if (v.json) {
    process.stdout.write(
      `${JSON.stringify(
        {
          model: handle.name,
          text: result.text,
          inputIds: result.inputIds,
          unknown: result.unknown,
          temperature: result.temperature,
          next: result.candidates.map((c) => ({ id: c.id, token: c.token, prob: c.prob, logit: c.logit })),
        },
        null,
        2,
      )}\n`,
    );
    return;
  }
  process.stdout.write(`next token after "${result.text}" (${handle.name}, temperature ${result.temperature}):\n`);
  for (const c of result.candidates) {
    const bar = "█".repeat(Math.round(c.prob * 40));
    process.stdout.write(`  ${visibleToken(c.token).padEnd(12)} ${(c.prob * 100).toFixed(1).padStart(5)}%  ${bar}\n`);
  }
}
