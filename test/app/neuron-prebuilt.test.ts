/**
 * The shipped model's neuron index ships beside it (data/default-model.neurons.json, written by
 * `npm run build:neurons`): it is of exactly the shipped parameters (a retrained model with the
 * old file fails here), of the shipped corpus' documents, and /neurons reads it instead of
 * building — an empty store answers "ready" at once and starts no build. A file of other
 * parameters is not used.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadDefaultModel } from "../../src/app/load-model.ts";
import type { ModelHandle } from "../../src/app/model-handle.ts";
import { SHIPPED_MODEL } from "../../src/app/model-identity.ts";
import { NeuronIndexer } from "../../src/app/neuron-indexer.ts";
import { fingerprintOf, prebuiltIndexFor, readPrebuiltIndex, SHIPPED_NEURON_INDEX_PATH } from "../../src/app/neuron-prebuilt.ts";
import { corpusTexts, SHIPPED_INDEX_SPACE } from "../../src/app/neuron-texts.ts";
import { asyncSqliteStore } from "../../src/store/async-store.ts";
import { openStore } from "../../src/store/index.ts";

let shipped: ModelHandle;
let dir: string;
beforeAll(async () => {
  shipped = { ...(await loadDefaultModel()), identity: SHIPPED_MODEL };
  dir = mkdtempSync(path.join(tmpdir(), "neuron-prebuilt-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the shipped neuron index", () => {
  it("is of the shipped model's parameters and the shipped corpus (else: npm run build:neurons)", async () => {
    const file = readPrebuiltIndex()!;
    expect(file, `${SHIPPED_NEURON_INDEX_PATH} is missing: npm run build:neurons`).not.toBeNull();
    expect(file.paramsSha256, "the shipped index is another model's: npm run build:neurons").toBe(fingerprintOf(shipped));
    const { nLayer, nEmbd } = shipped.model.config;
    expect(file.state.layers).toBe(nLayer);
    expect(file.state.width).toBe(4 * nEmbd);
    const documents = await corpusTexts().documents();
    expect(file.documents).toBe(documents.length);
    expect(file.state.cursor).toBe(documents.at(-1)!.ref);
  });

  it("is read instead of built: an empty store is ready at once, nothing stored, no build started", async () => {
    const store = openStore(":memory:");
    const indexer = new NeuronIndexer(asyncSqliteStore(store), { inWorker: false });
    const status = await indexer.status("local", shipped);
    expect(status.state).toBe("ready");
    expect(store.neuronIndexes.get(SHIPPED_INDEX_SPACE, `shipped@${shipped.meta.createdAt ?? ""}`)).toBeUndefined();
    await indexer.settled("local", shipped);
    expect(store.neuronIndexes.get(SHIPPED_INDEX_SPACE, `shipped@${shipped.meta.createdAt ?? ""}`)).toBeUndefined();
  });

  it("is not used for other parameters: a file naming another model's hash is ignored", () => {
    const other = path.join(dir, "other.neurons.json");
    const file = readPrebuiltIndex()!;
    writeFileSync(other, JSON.stringify({ ...file, paramsSha256: "0".repeat(64) }));
    expect(prebuiltIndexFor(shipped, other)).toBeNull();
    expect(prebuiltIndexFor(shipped)).not.toBeNull();
  });
});
