/** `tokens` in the console: the use case's Reply (src/app/replies/tokens.ts) as terminal text, then the token ids (flags: the catalogue's). */
import { tokensReply } from "../../../app/replies/tokens.ts";
import { cliUsage } from "../catalogue-args.ts";
import { cliReplyContext, printReply } from "../reply-command.ts";

export const usage = cliUsage("tokens");

export async function run(argv: string[]): Promise<void> {
  const { v, rc, out } = await cliReplyContext(argv, "tokens");
  printReply(await tokensReply(rc, v)(), out);
  // the console's extra: the ids themselves, for scripts (the picture shows them beside each token)
  process.stdout.write(`ids: ${rc.handle.tokenizer.encode(v.text as string).ids.join(" ")}\n`);
}
