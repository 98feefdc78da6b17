/**
 * The shipped model's neuron index, built once by `npm run build:neurons` and shipped beside the
 * model (data/default-model.neurons.json), so no install reads the whole corpus again. The file
 * names the parameters it was built from by their SHA-256: a file of another model (the model was
 * retrained, the file not rebuilt) is not used, and the index is built as for any other model.
 *
 *   { "version": 1, "paramsSha256": "…", "documents": N, "state": NeuronIndexState }
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { paramsFingerprint } from "./heldout-record.ts";
import type { ModelHandle } from "./model-handle.ts";
import type { NeuronIndexState } from "./neuron-index.ts";

export const SHIPPED_NEURON_INDEX_PATH = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../data/default-model.neurons.json",
);

export interface PrebuiltNeuronIndex {
  version: 1;
  /** SHA-256 (hex) of the parameters the index was read with (paramsFingerprint) */
  paramsSha256: string;
  /** documents of the corpus read */
  documents: number;
  state: NeuronIndexState;
}

const fingerprints = new WeakMap<object, string>();

/** The parameters' SHA-256, computed once per parameter buffer. */
export function fingerprintOf(handle: ModelHandle): string {
  let f = fingerprints.get(handle.model.params);
  if (!f) {
    f = paramsFingerprint(handle.model.params as Float32Array); // its bytes, whatever the element type
    fingerprints.set(handle.model.params, f);
  }
  return f;
}

/** Reads a prebuilt file; null when absent. Throws naming the file when it is not one. */
export function readPrebuiltIndex(file: string = SHIPPED_NEURON_INDEX_PATH): PrebuiltNeuronIndex | null {
  if (!existsSync(file)) return null;
  const data = JSON.parse(readFileSync(file, "utf8")) as PrebuiltNeuronIndex;
  if (data?.version !== 1 || typeof data.paramsSha256 !== "string" || !Array.isArray(data.state?.slots)) {
    throw new Error(`${file} is not a neuron index (version 1 with paramsSha256 and state)`);
  }
  return data;
}

/** The prebuilt index of exactly this model's parameters, or null (no file, or another model's). */
export function prebuiltIndexFor(handle: ModelHandle, file: string = SHIPPED_NEURON_INDEX_PATH): NeuronIndexState | null {
  const data = readPrebuiltIndex(file);
  if (!data || data.paramsSha256 !== fingerprintOf(handle)) return null;
  const { nLayer: L, nEmbd: C } = handle.model.config;
  if (data.state.layers !== L || data.state.width !== 4 * C) return null;
  return data.state;
}
