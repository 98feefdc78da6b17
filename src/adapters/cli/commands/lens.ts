/** `lens --text TEXT [--k K] [--model FILE] [--json] [--out FILE.png] [--lang ja|en]` (flags: the catalogue's) */
import { lensOf } from "../../../app/lens.ts";
import { lensPicture } from "../../../app/look-pictures.ts";
import { lensReply } from "../../../app/replies/look.ts";
import { cliUsage } from "../catalogue-args.ts";
import { cliReplyContext, printReply } from "../reply-command.ts";

export const usage = cliUsage("lens");

export async function run(argv: string[]): Promise<void> {
  const { v, rc, out } = await cliReplyContext(argv, "lens");
  if (!v.json) return printReply(await lensReply(rc, v)(), out);
  // --json: every position at every depth, 0 (the embeddings) … L (the output)
  const { handle, lang } = rc;
  const result = lensOf(handle, v.text as string, { k: v.k as number | undefined });
  if (out) printReply({ body: [], notices: [], pictures: [{ name: "lens.png", png: await lensPicture(result, lang, handle.name) }] }, out);
  const layers = result.layers.map((d) => ({
    layer: d.layer,
    positions: d.positions.map((p) => ({ top: p.top.map((c) => ({ id: c.id, token: c.token, prob: c.prob, logit: c.logit })) })),
  }));
  process.stdout.write(
    `${JSON.stringify({ model: handle.name, text: result.text, inputIds: result.inputIds, unknown: result.unknown, layers })}\n`,
  );
}
