/**
 * The neuron index of each model a space uses: read from the store, built when missing, and
 * kept there as it grows (src/store/neuron-indexes.ts). The bot and the playground build in a
 * worker thread at background priority (neuron-index-worker.ts), saving the state as it comes,
 * so a restart continues where the last build stopped; the console builds inline, showing progress.
 *
 * The shipped model's index is shipped beside it (neuron-prebuilt.ts) and read instead of built.
 *
 *   status(space, handle)   what /neurons can show now, and starts the build when it is missing
 *   build(space, handle)    the whole index, built here (the console; tests)
 */
import { Worker } from "node:worker_threads";
import { saveCheckpointBytes } from "../model/checkpoint.ts";
import type { StoredMessage } from "../store/messages.ts";
import type { StoredNeuronIndex } from "../store/neuron-indexes.ts";
import type { ModelHandle } from "./model-handle.ts";
import { compactIndex, emptyIndex, indexBatch, type NeuronIndexState } from "./neuron-index.ts";
import { type IndexTarget, indexTargetOf, type NeuronTexts, SHIPPED_INDEX_SPACE } from "./neuron-texts.ts";
import { prebuiltIndexFor } from "./neuron-prebuilt.ts";

export type IndexStatus =
  /** no training text is known for the model (an imported one) */
  | { state: "none" }
  /** being built: `index` holds what was read so far (null: nothing yet) */
  | { state: "building"; documents: number; total: number; index: NeuronIndexState | null; texts: NeuronTexts }
  | { state: "ready"; documents: number; total: number; index: NeuronIndexState; texts: NeuronTexts };

export interface IndexStore {
  neuronIndexes: {
    get(guildId: string, modelKey: string): StoredNeuronIndex | undefined;
    put(index: Omit<StoredNeuronIndex, "updatedAt">): void;
  };
  messages: {
    writtenBefore(guildId: string, time: number): StoredMessage[];
    get(guildId: string, id: string): StoredMessage | undefined;
  };
}

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
  status(space: string, handle: ModelHandle): IndexStatus {
    const target = indexTargetOf(handle, space, this.store, this.options.corpusDir);
    if (!target) return { state: "none" };
    const stored = this.store.neuronIndexes.get(target.space, target.key);
    const total = target.texts.documents().length;
    const prebuilt = stored ? null : this.prebuilt(handle, target);
    if (prebuilt) return { state: "ready", documents: prebuilt.documents, total, index: prebuilt, texts: target.texts };
    if (stored?.finished) return { state: "ready", documents: stored.documents, total, index: this.parsed(stored), texts: target.texts };
    const index = stored ? (JSON.parse(stored.stateJson) as NeuronIndexState) : null;
    this.start(handle, target, index);
    return { state: "building", documents: stored?.documents ?? 0, total, index, texts: target.texts };
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

  /** Resolves when the build of `handle`'s index in `space` (if one runs) has ended. */
  async settled(space: string, handle: ModelHandle): Promise<void> {
    const target = indexTargetOf(handle, space, this.store, this.options.corpusDir);
    if (target) await this.running.get(`${target.space}\u0000${target.key}`);
  }

  /** The whole index, built here a batch at a time (saved after each); null without training text. */
  build(space: string, handle: ModelHandle, onProgress?: (documents: number, total: number) => void): NeuronIndexState | null {
    const target = indexTargetOf(handle, space, this.store, this.options.corpusDir);
    if (!target) return null;
    const stored = this.store.neuronIndexes.get(target.space, target.key);
    const prebuilt = stored ? null : this.prebuilt(handle, target);
    if (prebuilt) return prebuilt;
    const state = stored ? (JSON.parse(stored.stateJson) as NeuronIndexState) : emptyIndex(handle);
    if (stored?.finished) return state;
    const documents = target.texts.documents();
    while (indexBatch(handle, state, documents, this.options.batchDocuments) > 0) {
      this.save(target, state, false);
      onProgress?.(state.documents, documents.length);
    }
    this.save(target, state, true);
    return state;
  }

  private save(target: IndexTarget, state: NeuronIndexState, finished: boolean): void {
    compactIndex(state);
    this.store.neuronIndexes.put({
      guildId: target.space,
      modelKey: target.key,
      modelId: target.modelId,
      stateJson: JSON.stringify(state),
      documents: state.documents,
      finished,
    });
  }

  /** Starts the background build unless one runs; its states are saved as they arrive. */
  private start(handle: ModelHandle, target: IndexTarget, stored: NeuronIndexState | null): void {
    const key = `${target.space}\u0000${target.key}`;
    if (this.running.has(key)) return;
    const state = stored ?? emptyIndex(handle);
    const documents = target.texts.documents();
    const run = this.options.inWorker === false ? this.runHere(handle, state, documents) : this.runInWorker(handle, state, documents);
    const done = run((s, finished) => this.save(target, s, finished))
      .catch((err) => console.error(`neuron index of ${target.key} in ${target.space} failed: ${err instanceof Error ? err.message : err}`))
      .finally(() => this.running.delete(key));
    this.running.set(key, done);
  }

  private runHere(handle: ModelHandle, state: NeuronIndexState, documents: ReturnType<NeuronTexts["documents"]>) {
    return async (save: (s: NeuronIndexState, finished: boolean) => void) => {
      while (indexBatch(handle, state, documents, this.options.batchDocuments) > 0) {
        save(state, false);
        await new Promise((resolve) => setImmediate(resolve));
      }
      save(state, true);
    };
  }

  private runInWorker(handle: ModelHandle, state: NeuronIndexState, documents: ReturnType<NeuronTexts["documents"]>) {
    return (save: (s: NeuronIndexState, finished: boolean) => void) =>
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
