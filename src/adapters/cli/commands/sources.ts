/**
 * `sources --text TEXT [--corpus FILE|DIR] [--lang ja|en]`: the documents of a training corpus
 * (blank lines separate them, as `train` reads it; default: the shipped model's) that share the
 * longest stretches with a text — the console keeps no messages, so it searches the corpus.
 */
import { readCorpus, SHIPPED_CORPUS_DIR, splitDocuments } from "../../../app/corpus.ts";
import { sourcesReply } from "../../../app/replies/sources.ts";
import { corpusScope } from "../../../app/sources.ts";
import { cliUsage } from "../catalogue-args.ts";
import { cliReplyContext, printReply } from "../reply-command.ts";

export const usage = cliUsage("sources");

export async function run(argv: string[]): Promise<void> {
  const { v, rc, out } = await cliReplyContext(argv, "sources");
  const documents = splitDocuments(readCorpus((v.corpus as string | undefined) ?? SHIPPED_CORPUS_DIR));
  printReply(await sourcesReply({ ...rc, sources: corpusScope(documents) }, v)(), out);
}
