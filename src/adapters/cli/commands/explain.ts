/**
 * `explain [TOPIC] [--lang ja|en] [--text TEXT] [--out FILE.png] [--model FILE]`: the explanatory
 * mode in the console (src/app/replies/explain.ts). The console stores no messages, so `sources`
 * searches the shipped model's training corpus (as the `sources` command does), and `neurons`
 * reads the shipped model's prebuilt neuron index (none for a model given by file).
 */
import { readCorpus, SHIPPED_CORPUS_DIR, splitDocuments } from "../../../app/corpus.ts";
import { LOCAL_SPACE } from "../../../app/model-identity.ts";
import { NeuronIndexer } from "../../../app/neuron-indexer.ts";
import { explainReply } from "../../../app/replies/explain.ts";
import { corpusScope } from "../../../app/sources.ts";
import { asyncSqliteStore } from "../../../store/async-store.ts";
import { openStore } from "../../../store/index.ts";
import { cliUsage } from "../catalogue-args.ts";
import { cliReplyContext, printReply } from "../reply-command.ts";

export const usage = cliUsage("explain");

export async function run(argv: string[]): Promise<void> {
  const { v, rc, out } = await cliReplyContext(argv, "explain");
  // the corpus is read only for the topic that searches it
  const sources = v.topic === "sources" ? corpusScope(splitDocuments(readCorpus(SHIPPED_CORPUS_DIR))) : null;
  // and the neuron index only for `neurons` (the shipped model's is prebuilt: nothing is kept)
  const indexer = v.topic === "neurons" ? new NeuronIndexer(asyncSqliteStore(openStore(":memory:"))) : null;
  const neuronIndex = indexer ? (h: typeof rc.handle) => indexer.status(LOCAL_SPACE, h) : undefined;
  printReply(await explainReply({ ...rc, sources, neuronIndex }, v)(), out);
}
