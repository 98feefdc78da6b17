/** `attribute --text TEXT [--target TOKEN] [--model FILE] [--json] [--out FILE.png] [--lang ja|en]` (the catalogue's /why) */
import { attributeNext } from "../../../app/attribute.ts";
import { attributionPicture } from "../../../app/look-pictures.ts";
import { whyReply } from "../../../app/replies/look.ts";
import { cliUsage } from "../catalogue-args.ts";
import { cliReplyContext, printReply } from "../reply-command.ts";

export const usage = cliUsage("attribute");

export async function run(argv: string[]): Promise<void> {
  const { v, rc, out } = await cliReplyContext(argv, "attribute");
  if (!v.json) return printReply(await whyReply(rc, v)(), out);
  // --json: one score per input position for each method
  const { handle, lang } = rc;
  const result = attributeNext(handle, v.text as string, { target: v.target as string | undefined });
  if (out)
    printReply({ body: [], notices: [], pictures: [{ name: "why.png", png: await attributionPicture(result, lang, handle.name) }] }, out);
  const { text, inputIds, unknown, target, gradient, occlusion, occludedProb } = result;
  const json = { model: handle.name, text, inputIds, unknown, target, gradientTimesInput: gradient, occlusion, occludedProb };
  process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
}
