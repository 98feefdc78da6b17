/** `predict --text TEXT [--k K] [--temperature T] [--model FILE] [--json]` */
import { predictNext } from "../../../app/predict.ts";
import { visibleToken } from "../../../render/text.ts";
import { numberOption, parseOptions, stringOption } from "../args.ts";
import { modelFromOption } from "../model-option.ts";
import { predictPicture } from "../../../app/pictures.ts";
import { langOption } from "../lang.ts";
import { requirePngPath, writePicture } from "../picture-file.ts";

export const usage = "predict --text TEXT [--k K] [--temperature T] [--model FILE] [--json] [--out FILE.png] [--lang ja|en]";

export async function run(argv: string[]): Promise<void> {
  const v = parseOptions(
    argv,
    {
      text: { type: "string" },
      k: { type: "string" },
      temperature: { type: "string" },
      model: { type: "string" },
      json: { type: "boolean" },
      out: { type: "string" },
      lang: { type: "string" },
    },
    "predict",
  );
  const out = v.out === undefined ? undefined : requirePngPath(stringOption(v, "out"), "predict");
  const lang = langOption(stringOption(v, "lang"));
  const handle = await modelFromOption(stringOption(v, "model"));
  const result = predictNext(handle, stringOption(v, "text") ?? "", {
    k: numberOption(v, "k", { integer: true }) ?? 10,
    temperature: numberOption(v, "temperature") ?? 1,
  });
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
