/**
 * The neuron index of each model a space uses: read from the store, built when missing, and
 * kept there as it grows (src/store/neuron-indexes.ts). The bot and the playground build in a
 * worker thread at background priority (neuron-index-worker.ts), saving the state as it comes,
 * so a restart continues where the last build stopped; the console builds inline, showing progress.
 *
 * The shipped model's index is shipped beside it (neuron-prebuilt.ts) and read instead of built.
 *
 *   await status(space, handle)   what /neurons can show now, and starts the build when it is missing
 *   await build(space, handle)    the whole index, built here (the console; tests)
 *
 * A build's saves go to the store one after another, in the order its states came.
 */
import { Worker } from "node:worker_threads";
import { saveCheckpointBytes } from "../model/checkpoint.ts";
import type { AsyncStore } from "../store/async-store.ts";
import type { StoredNeuronIndex } from "../store/neuron-indexes.ts";
import type { IndexDocument } from "./neuron-index.ts";
import type { ModelHandle } from "./model-handle.ts";
import { compactIndex, emptyIndex, indexBatch, type NeuronIndexState } from "./neuron-index.ts";
import { type IndexTarget, indexTargetOf, type MessageReader, SHIPPED_INDEX_SPACE, type TextsNow, textsNow } from "./neuron-texts.ts";
import { prebuiltIndexFor } from "./neuron-prebuilt.ts";

export type IndexStatus =
  /** no training text is known for the model (an imported one) */
  | { state: "none" }
  /** being built: `index` holds what was read so far (null: nothing yet) */
  | { state: "building"; documents: number; total: number; index: NeuronIndexState | null; texts: TextsNow }
  | { state: "ready"; documents: number; total: number; index: NeuronIndexState; texts: TextsNow };

export interface IndexStore extends MessageReader {
  neuronIndexes: Pick<AsyncStore["neuronIndexes"], "get" | "put">;
}

/** Saves the states a build reports, in order; told when a save fails (the build goes on). */
type Save = (state: NeuronIndexState, finished: boolean) => void;

export interface IndexerOptions {
  /** where the shipped model's corpus is (default data/corpus) */
  corpusDir?: string;
  /** build in a worker thread (default) or here, a batch per turn of the event loop (tests) */
  inWorker?: boolean;
  /** documents per batch (default INDEX_BATCH_DOCUMENTS) */
  batchDocuments?: number;
  /** the shipped model's prebuilt index (default data/default-model.neurons.json; null: none). Used with the shipped corpus only. */
  prebuiltFile?: string | null;
}

export class NeuronIndexer {
  private readonly running = new Map<string, Promise<void>>();
  /** the last finished index read from the store, by space and key, with the time it was written */
  private readonly finished = new Map<string, { updatedAt: number; index: NeuronIndexState }>();
  /** models whose prebuilt file was read and is not theirs (not read again on every request) */
  private readonly notPrebuilt = new Set<string>();

  constructor(
    private readonly store: IndexStore,
    private readonly options: IndexerOptions = {},
  ) {}

  /** What /neurons can show for `handle` in `space` now; a missing or unfinished index starts building. */
  async status(space: string, handle: ModelHandle): Promise<IndexStatus> {
    const target = indexTargetOf(handle, space, this.store, this.options.corpusDir);
    if (!target) return { state: "none" };
    const stored = await this.store.neuronIndexes.get(target.space, target.key);
    const documents = await target.texts.documents();
    const total = documents.length;
    const texts = textsNow(target.texts.kind, documents);
    const prebuilt = stored ? null : this.prebuilt(handle, target);
    if (prebuilt) return { state: "ready", documents: prebuilt.documents, total, index: prebuilt, texts };
    if (stored?.finished) return { state: "ready", documents: stored.documents, total, index: this.parsed(stored), texts };
    const index = stored ? (JSON.parse(stored.stateJson) as NeuronIndexState) : null;
    this.start(handle, target, index, documents);
    return { state: "building", documents: stored?.documents ?? 0, total, index, texts };
  }

  /** The shipped model's prebuilt index when it is this model's and the corpus is the shipped one (the file read once per model, found or not). */
  private prebuilt(handle: ModelHandle, target: IndexTarget): NeuronIndexState | null {
    if (target.space !== SHIPPED_INDEX_SPACE || this.options.corpusDir !== undefined || this.options.prebuiltFile === null) return null;
    const key = `prebuilt\u0000${target.key}`;
    if (this.notPrebuilt.has(key)) return null;
    if (!this.finished.has(key)) {
      const index = prebuiltIndexFor(handle, this.options.prebuiltFile);
      if (!index) {
        this.notPrebuilt.add(key);
        return null;
      }
      this.finished.set(key, { updatedAt: 0, index });
    }
    return this.finished.get(key)!.index;
  }

  /** A finished index's state, parsed once per write (a /neurons request reads it on the event loop). */
  private parsed(stored: StoredNeuronIndex): NeuronIndexState {
    const key = `${stored.guildId}\u0000${stored.modelKey}`;
    const cached = this.finished.get(key);
    if (cached?.updatedAt === stored.updatedAt) return cached.index;
    const index = JSON.parse(stored.stateJson) as NeuronIndexState;
    this.finished.set(key, { updatedAt: stored.updatedAt, index });
    return index;
  }

  /** Resolves when the build of `handle`'s index in `space` (if one runs) has ended and its saves are written. */
  async settled(space: string, handle: ModelHandle): Promise<void> {
    const target = indexTargetOf(handle, space, this.store, this.options.corpusDir);
    if (target) await this.running.get(`${target.space}\u0000${target.key}`);
  }

  /** The whole index, built here a batch at a time (saved after each); null without training text. */
  async build(
    space: string,
    handle: ModelHandle,
    onProgress?: (documents: number, total: number) => void,
  ): Promise<NeuronIndexState | null> {
    const target = indexTargetOf(handle, space, this.store, this.options.corpusDir);
    if (!target) return null;
    const stored = await this.store.neuronIndexes.get(target.space, target.key);
    const prebuilt = stored ? null : this.prebuilt(handle, target);
    if (prebuilt) return prebuilt;
    const state = stored ? (JSON.parse(stored.stateJson) as NeuronIndexState) : emptyIndex(handle);
    if (stored?.finished) return state;
    const documents = await target.texts.documents();
    while (indexBatch(handle, state, documents, this.options.batchDocuments) > 0) {
      await this.store.neuronIndexes.put(this.row(target, state, false));
      onProgress?.(state.documents, documents.length);
    }
    await this.store.neuronIndexes.put(this.row(target, state, true));
    return state;
  }

  /** The row of the state as it is now (compacted and serialized here: the build goes on changing it). */
  private row(target: IndexTarget, state: NeuronIndexState, finished: boolean): Omit<StoredNeuronIndex, "updatedAt"> {
    compactIndex(state);
    return {
      guildId: target.space,
      modelKey: target.key,
      modelId: target.modelId,
      stateJson: JSON.stringify(state),
      documents: state.documents,
      finished,
    };
  }

  /** Starts the background build unless one runs; its states are saved as they arrive. */
  private start(handle: ModelHandle, target: IndexTarget, stored: NeuronIndexState | null, documents: IndexDocument[]): void {
    const key = `${target.space}\u0000${target.key}`;
    if (this.running.has(key)) return;
    const state = stored ?? emptyIndex(handle);
    const failed = (what: string) => (err: unknown) =>
      console.error(`neuron index of ${target.key} in ${target.space}: ${what} failed: ${err instanceof Error ? err.message : err}`);
    // the saves, one after another (a failed one is told and the next still written)
    let saving = Promise.resolve();
    const save: Save = (s, finished) => {
      const row = this.row(target, s, finished);
      saving = saving.then(() => this.store.neuronIndexes.put(row)).catch(failed("saving"));
    };
    const run = this.options.inWorker === false ? this.runHere(handle, state, documents) : this.runInWorker(handle, state, documents);
    const done = run(save)
      .catch(failed("the build"))
      .then(() => saving)
      .finally(() => this.running.delete(key));
    this.running.set(key, done);
  }

  private runHere(handle: ModelHandle, state: NeuronIndexState, documents: IndexDocument[]) {
    return async (save: Save) => {
      while (indexBatch(handle, state, documents, this.options.batchDocuments) > 0) {
        save(state, false);
        await new Promise((resolve) => setImmediate(resolve));
      }
      save(state, true);
    };
  }

  private runInWorker(handle: ModelHandle, state: NeuronIndexState, documents: IndexDocument[]) {
    return (save: Save) =>
      new Promise<void>((resolve, reject) => {
        const { model, meta } = handle;
        const checkpoint = saveCheckpointBytes(model.config, Float32Array.from(model.params), meta);
        const worker = new Worker(new URL("./worker-boot.mjs", import.meta.url), {
          workerData: { entry: new URL("./neuron-index-worker.ts", import.meta.url).href, checkpoint, documents, state },
        });
        // biome-ignore lint/suspicious/noExplicitAny: messages from the worker, checked by their type field
        worker.on("message", (msg: any) => {
          if (msg.type === "progress") save(msg.state, false);
          else if (msg.type === "done") {
            save(msg.state, true);
            resolve();
          } else if (msg.type === "error") reject(new Error(msg.message));
        });
        worker.on("error", reject);
        worker.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`the neuron index worker exited with code ${code}`))));
        worker.unref();
      });
  }
}

const indexers = new WeakMap<IndexStore, NeuronIndexer>();

/** The one indexer of a store in this process (so one build runs per model, whichever surface asked). */
export function neuronIndexerFor(store: IndexStore): NeuronIndexer {
  let indexer = indexers.get(store);
  if (!indexer) {
    indexer = new NeuronIndexer(store);
    indexers.set(store, indexer);
  }
  return indexer;
}
