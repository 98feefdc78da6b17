/**
 * A console command whose answer is a Reply use case (src/app/replies/): flags from the
 * catalogue, the model of --model (or the shipped one), the language of --lang (or the
 * locale); the Reply's text on stdout, its notes on stderr, its pictures to --out FILE.png
 * (then FILE-2.png …).
 * The console has no stored messages (nothing to cut) and runs its one job at once.
 */
import type { OptionValue } from "../../app/catalogue/index.ts";
import type { ReplyUseCase } from "../../app/replies/options.ts";
import { type Reply, type ReplyContext, runNow } from "../../app/reply.ts";
import { cliUsage, parseCatalogueArgs } from "./catalogue-args.ts";
import { langOption } from "./lang.ts";
import { modelFromOption } from "./model-option.ts";
import { requirePngPath, writePicture } from "./picture-file.ts";
import { terminalText } from "./reply-format.ts";

export interface CliCommand {
  usage: string;
  run(argv: string[]): Promise<void>;
}

export function cliReplyCommand(name: string, present: ReplyUseCase): CliCommand {
  return {
    usage: cliUsage(name),
    async run(argv) {
      const { v, rc, out } = await cliReplyContext(argv, name);
      printReply(await present(rc, v)(), out);
    },
  };
}

/** The flags, the context a use case needs, and the --out path (checked before any work). */
export async function cliReplyContext(
  argv: string[],
  name: string,
): Promise<{ v: Record<string, OptionValue | undefined>; rc: ReplyContext; out: string | undefined }> {
  const v = parseCatalogueArgs(argv, name);
  const out = v.out === undefined ? undefined : requirePngPath(v.out as string, name);
  const lang = langOption(v.lang as string | undefined);
  const handle = await modelFromOption(v);
  return { v, rc: { handle, lang, heavy: runNow, redactor: null }, out };
}

export function printReply(reply: Reply, out: string | undefined): void {
  const { out: text, notes } = terminalText(reply);
  process.stdout.write(text);
  process.stderr.write(notes);
  if (out === undefined) return;
  // the first picture goes to FILE.png, further ones to FILE-2.png, FILE-3.png …
  reply.pictures.forEach((picture, i) => writePicture(i === 0 ? out : out.replace(/\.png$/i, `-${i + 1}.png`), picture.png));
}
