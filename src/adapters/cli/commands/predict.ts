/** `predict --text TEXT [--k K] [--temperature T] [--ablate L.H[,L.H…]] [--model FILE] [--json] [--out FILE.png] [--lang ja|en]` (flags: the catalogue's) */
import { predictPicture } from "../../../app/pictures.ts";
import { predictResultReply, predictWithHeads } from "../../../app/replies/predict.ts";
import { modelPart } from "../../../app/reply.ts";
import { cliUsage } from "../catalogue-args.ts";
import { cliReplyContext, printReply } from "../reply-command.ts";

export const usage = cliUsage("predict");

export async function run(argv: string[]): Promise<void> {
  const { v, rc, out } = await cliReplyContext(argv, "predict");
  const { handle, lang } = rc;
  // --ablate L.H,…: the same prediction from the model with those heads switched off
  const result = predictWithHeads(rc, v);
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
