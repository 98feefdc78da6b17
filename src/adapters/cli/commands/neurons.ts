/**
 * `neurons --text TEXT [--position N] [--neuron L.I] [--k K] [--model FILE] [--json] [--out FILE.png]`
 * (flags: the catalogue's). Before answering it reads the model's training text into the neuron
 * index, once per model, with a live line on stderr, keeping it in the store the playground uses
 * (DATABASE_URL or DATABASE_PATH, from the environment or .env; default data/bot.db); a model given by file has
 * no known training text and is shown without contexts.
 */
import { NeuronIndexer } from "../../../app/neuron-indexer.ts";
import { contextsOf } from "../../../app/neuron-index.ts";
import { showContexts } from "../../../app/neuron-texts.ts";
import { neuronsOf } from "../../../app/neurons.ts";
import { LOCAL_SPACE } from "../../../app/model-identity.ts";
import { neuronsReply } from "../../../app/replies/neurons.ts";
import { consoleEnvironment, openConsoleStore } from "../console-space.ts";
import { cliUsage } from "../catalogue-args.ts";
import { LiveLine } from "../progress-bar.ts";
import { cliReplyContext, printReply } from "../reply-command.ts";

export const usage = cliUsage("neurons");

export async function run(argv: string[]): Promise<void> {
  const { v, rc, out } = await cliReplyContext(argv, "neurons");
  const store = await openConsoleStore(consoleEnvironment());
  try {
    // 1. the index of the model's training text, read once per model (kept in the store)
    const indexer = new NeuronIndexer(store);
    const live = new LiveLine();
    let read = 0;
    await indexer.build(LOCAL_SPACE, rc.handle, (done, total) => {
      read = total;
      live.update(`neuron index: read ${done} of ${total} training texts`);
    });
    if (read > 0) live.log(`neuron index: read all ${read} training texts (kept for the next time)`);
    const neuronIndex = (h: typeof rc.handle) => indexer.status(LOCAL_SPACE, h);
    const reply = neuronsReply({ ...rc, neuronIndex }, v);
    if (!v.json) return printReply(await reply(), out);
    if (out) printReply({ ...(await reply()), body: [], notices: [] }, out);
    // 2. --json: each layer's neurons with their values and contexts; the named neuron along the text
    const result = neuronsOf(rc.handle, v.text as string, {
      position: v.position as number | undefined,
      k: v.k as number | undefined,
      neuron: v.neuron as string | undefined,
    });
    const status = await neuronIndex(rc.handle);
    const contexts = (layer: number, index: number) =>
      status.state === "ready" ? showContexts(rc.handle, status.texts, contextsOf(status.index, layer, index), 3) : [];
    process.stdout.write(
      `${JSON.stringify({
        model: rc.handle.name,
        inputIds: result.inputIds,
        position: result.position,
        layers: result.layers.map((cells, layer) => ({
          layer,
          neurons: cells.map((c) => ({ index: c.index, value: c.value, contexts: contexts(layer, c.index) })),
        })),
        along: result.along && { ...result.along, contexts: contexts(result.along.neuron.layer, result.along.neuron.index) },
      })}\n`,
    );
  } finally {
    await store.close();
  }
}
