/**
 * The bot's and the playground's neuron index is built in a worker thread (neuron-index-worker.ts),
 * never on the event loop: here indexBatch is replaced, on the test's own thread, by one that
 * throws, so the index can only be finished by the worker (which imports the real module); it
 * must equal the index the real indexBatch reads here, and be saved as finished.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { handleFromCheckpoint, type ModelHandle } from "../../src/app/model-handle.ts";
import type * as IndexModule from "../../src/app/neuron-index.ts";
import { NeuronIndexer } from "../../src/app/neuron-indexer.ts";
import { trainModel } from "../../src/app/train-model.ts";
import { loadCheckpointBytes } from "../../src/model/checkpoint.ts";
import { asyncSqliteStore } from "../../src/store/async-store.ts";
import { openStore } from "../../src/store/index.ts";
import { smallCorpus } from "../helpers/corpus.ts";

vi.mock("../../src/app/neuron-index.ts", async (importOriginal) => ({
  ...(await importOriginal<typeof IndexModule>()),
  indexBatch: () => {
    throw new Error("indexBatch ran on the test's thread");
  },
}));

const real = await vi.importActual<typeof IndexModule>("../../src/app/neuron-index.ts");

let shipped: ModelHandle;
let dir: string;
const TEXTS = ["the cat sat on the mat", "a dog ran in the park", "the bird sang a song", "rain fell all day long", "snow on the hills"];

beforeAll(() => {
  const run = trainModel(smallCorpus(), { preset: "tiny", tokenizer: "bpe", vocabSize: 300, steps: 10, seed: 4, evalInterval: 10 });
  const handle = handleFromCheckpoint(loadCheckpointBytes(run.checkpoint, "test"), "test model");
  shipped = { ...handle, identity: { kind: "shipped" as const, id: "default", displayName: "default model" } };
  dir = mkdtempSync(path.join(tmpdir(), "neuron-worker-"));
  writeFileSync(path.join(dir, "corpus.txt"), TEXTS.join("\n\n"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the neuron index worker", () => {
  it("builds the whole index in a worker thread: the same index as one read here, saved as finished", async () => {
    const store = openStore(":memory:");
    const indexer = new NeuronIndexer(asyncSqliteStore(store), { corpusDir: path.join(dir, "corpus.txt"), batchDocuments: 2 });
    expect((await indexer.status("local", shipped)).state).toBe("building");
    await indexer.settled("local", shipped);
    const status = await indexer.status("local", shipped);
    expect(status.state).toBe("ready");
    if (status.state !== "ready") return;
    // the same reading, done here with the real indexBatch
    const documents = TEXTS.map((text, i) => ({ ref: String(i).padStart(8, "0"), text }));
    const expected = real.emptyIndex(shipped);
    while (real.indexBatch(shipped, expected, documents) > 0);
    real.compactIndex(expected);
    expect(status.index.documents).toBe(TEXTS.length);
    // each neuron's contexts: the same documents and positions, values within the kernels' rounding (the worker runs the fastest kernels)
    const contexts = (index: typeof expected) => index.slots.flatMap((layer, l) => layer.map((_, j) => real.contextsOf(index, l, j)));
    const got = contexts(status.index);
    const want = contexts(expected);
    expect(got.length).toBe(want.length);
    let same = 0;
    got.forEach((cs, n) => {
      expect(cs.length).toBe(want[n].length);
      cs.forEach((c, i) => {
        expect(c.value).toBeCloseTo(want[n][i].value, 4);
        if (c.ref === want[n][i].ref && c.position === want[n][i].position) same++;
      });
    });
    // documents whose values are within rounding may swap places: nearly all must agree
    expect(same).toBeGreaterThan(0.98 * got.flat().length);
  });
});
