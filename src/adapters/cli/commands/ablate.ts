/** `ablate --text TEXT [--ablate L.H[,L.H…]] [--k K] [--model FILE] [--json] [--out FILE.png] [--lang ja|en]` */
import { ablateNext } from "../../../app/ablate.ts";
import { ablationPicture } from "../../../app/look-pictures.ts";
import { ablateReply } from "../../../app/replies/look.ts";
import { cliUsage } from "../catalogue-args.ts";
import { cliReplyContext, printReply } from "../reply-command.ts";

export const usage = cliUsage("ablate");

export async function run(argv: string[]): Promise<void> {
  const { v, rc, out } = await cliReplyContext(argv, "ablate");
  if (!v.json) return printReply(await ablateReply(rc, v)(), out);
  // --json: the candidates before and after, and the layers × heads grid
  const { handle, lang } = rc;
  const result = ablateNext(handle, v.text as string, { heads: v.heads as string | undefined, k: v.k as number | undefined });
  if (out)
    printReply({ body: [], notices: [], pictures: [{ name: "ablate.png", png: await ablationPicture(result, lang, handle.name) }] }, out);
  const { text, inputIds, unknown, heads, chosenFromGrid, before, beforeTokensAfter, after, top, grid } = result;
  const json = { model: handle.name, text, inputIds, unknown, heads, chosenFromGrid, before, beforeTokensAfter, after, top, grid };
  process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
}
