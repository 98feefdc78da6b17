/** `predict --text TEXT [--k K] [--temperature T] [--model FILE] [--json] [--out FILE.png] [--lang ja|en]` (flags: the catalogue's) */
import { predictPicture } from "../../../app/pictures.ts";
import { predictNext } from "../../../app/predict.ts";
import { predictResultReply } from "../../../app/replies/predict.ts";
import { modelPart } from "../../../app/reply.ts";
import { cliUsage } from "../catalogue-args.ts";
import { cliReplyContext, printReply } from "../reply-command.ts";

export const usage = cliUsage("predict");

export async function run(argv: string[]): Promise<void> {
  const { v, rc, out } = await cliReplyContext(argv, "predict");
  const { handle, lang } = rc;
  const result = predictNext(handle, v.text as string, { k: v.k as number | undefined, temperature: v.temperature as number | undefined });
  // the picture only where it is written
  const pictures = out ? [{ name: "predict.png", png: await predictPicture(result, lang, modelPart(handle, lang).name) }] : [];
  if (!v.json) return printReply(predictResultReply(rc, result, pictures), out);
  if (out) printReply({ body: [], notices: [], pictures }, out);
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
}
