/**
 * `npm run build:neurons`: reads the shipped corpus (data/corpus) through the shipped model
 * (data/default-model.safetensors) and writes its neuron index beside it,
 * data/default-model.neurons.json (src/app/neuron-prebuilt.ts). Run it after `npm run
 * train:default`; test/app/neuron-prebuilt.test.ts fails while the file is another model's.
 *   1. the model and the corpus' documents, as /neurons reads them (neuron-texts.ts);
 *   2. every document, a batch at a time, with progress;
 *   3. the file: the parameters' SHA-256, the documents read, the state.
 */
import { writeFileSync } from "node:fs";
import { fastestKernels } from "../src/app/kernels.ts";
import { loadDefaultModel } from "../src/app/load-model.ts";
import { compactIndex, emptyIndex, indexBatch } from "../src/app/neuron-index.ts";
import { fingerprintOf, type PrebuiltNeuronIndex, SHIPPED_NEURON_INDEX_PATH } from "../src/app/neuron-prebuilt.ts";
import { corpusTexts } from "../src/app/neuron-texts.ts";

// 1.
const handle = await loadDefaultModel(fastestKernels());
const documents = await corpusTexts().documents();
const state = emptyIndex(handle);
// 2.
const t0 = performance.now();
while (indexBatch(handle, state, documents) > 0) {
  process.stderr.write(`\r${state.documents} / ${documents.length} documents, ${state.tokens} tokens`);
}
compactIndex(state);
process.stderr.write(`\n${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
// 3.
const file: PrebuiltNeuronIndex = { version: 1, paramsSha256: fingerprintOf(handle), documents: state.documents, state };
writeFileSync(SHIPPED_NEURON_INDEX_PATH, `${JSON.stringify(file)}\n`);
console.log(
  `wrote ${SHIPPED_NEURON_INDEX_PATH}: ${state.documents} documents, ${state.tokens} tokens, ${state.refs.length} contexts' documents`,
);
