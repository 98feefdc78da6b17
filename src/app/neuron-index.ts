/**
 * For every MLP neuron of a model, the contexts of its training text that excite it most: the
 * index `/neurons` reads. Built incrementally, a batch of documents at a time, so a long text is
 * indexed in the background and a stopped build continues where it stopped.
 *
 * Each document is read as the model learned it, [eot, doc…], in windows of blockSize tokens
 * (B windows per forward pass). For each neuron (layer l, index j) the index keeps the K
 * documents where its value h[l][t][j] was largest — one slot per document, at the position of
 * that document's maximum — so a neuron's contexts are K different texts.
 *
 * A slot names its document by a ref (a message id, a corpus file and paragraph) and the
 * document's hash: when the text is forgotten or edited, the slot is not shown (see
 * neuron-texts.ts).
 */
import type { ModelHandle } from "./model-handle.ts";

/** Documents a batch reads at most (a batch is one unit of background work). */
export const INDEX_BATCH_DOCUMENTS = 64;
/** Contexts kept per neuron. */
export const CONTEXTS_PER_NEURON = 5;
/** Forward passes read this many windows at once. */
const WINDOWS_PER_PASS = 16;

export interface IndexDocument {
  /** names it for later (sorted order = reading order) */
  ref: string;
  text: string;
}

/** One neuron's context: the document, its hash, the token position (into [eot, doc…]) and h there. */
export interface NeuronContext {
  ref: string;
  hash: number;
  position: number;
  value: number;
}

/** The index as stored: plain JSON. */
export interface NeuronIndexState {
  version: 1;
  layers: number;
  width: number;
  perNeuron: number;
  /** the last ref read (documents are read in ascending ref order); null before the first */
  cursor: string | null;
  documents: number;
  tokens: number;
  /** refs[i] = [ref, hash] of the documents slots point to */
  refs: [string, number][];
  /** per layer l, per neuron j: up to perNeuron [refIndex, position, value], largest value first */
  slots: [number, number, number][][][];
}

export function emptyIndex(handle: ModelHandle, perNeuron = CONTEXTS_PER_NEURON): NeuronIndexState {
  const { nLayer: L, nEmbd: C } = handle.model.config;
  return {
    version: 1,
    layers: L,
    width: 4 * C,
    perNeuron,
    cursor: null,
    documents: 0,
    tokens: 0,
    refs: [],
    slots: Array.from({ length: L }, () => Array.from({ length: 4 * C }, () => [])),
  };
}

/** FNV-1a over the UTF-16 code units: cheap, stable, enough to notice an edited text. */
export function textHash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * Reads the next batch of `documents` (all of them sorted by ref; those at or before the cursor
 * are skipped) into the index, in place. Returns how many documents it read (0: nothing left).
 *   1. each document as tokens [eot, doc…], cut into windows of blockSize tokens;
 *   2. the windows of all the batch's documents, WINDOWS_PER_PASS per forward pass (one shape
 *      for every pass; a short last pass is filled with end-of-text windows that are not read);
 *   3. for each document, each neuron's largest value and where (one slot per document);
 *   4. each document into the top K of every neuron whose maximum beats the K-th.
 */
export function indexBatch(
  handle: ModelHandle,
  state: NeuronIndexState,
  documents: readonly IndexDocument[],
  batch = INDEX_BATCH_DOCUMENTS,
): number {
  const todo = documents.filter((d) => state.cursor === null || d.ref > state.cursor).slice(0, batch);
  if (todo.length === 0) return 0;
  const { model, tokenizer } = handle;
  const T = model.config.blockSize;
  const { layers: L, width: F } = state;
  // 1. tokens and windows: [document, first token]
  const tokens = todo.map((d) => [tokenizer.eotId, ...tokenizer.encode(d.text).ids]);
  const windows: [number, number][] = tokens.flatMap((ids, d) =>
    Array.from({ length: Math.ceil(ids.length / T) }, (_, w) => [d, w * T] as [number, number]),
  );
  // 3. per document and neuron: the largest value [L * F] and its position
  const best = todo.map(() => new Float32Array(L * F).fill(Number.NEGATIVE_INFINITY));
  const where = todo.map(() => new Int32Array(L * F));
  const B = WINDOWS_PER_PASS;
  const input = new Int32Array(B * T);
  for (let w0 = 0; w0 < windows.length; w0 += B) {
    // 2. B windows side by side
    input.fill(tokenizer.eotId);
    const pass = windows.slice(w0, w0 + B);
    pass.forEach(([d, start], b) => input.set(tokens[d].slice(start, start + T), b * T));
    const acts = model.forwardBlocks(input, B, T);
    pass.forEach(([d, start], b) => {
      const used = Math.min(T, tokens[d].length - start);
      const max = best[d];
      const at = where[d];
      for (let l = 0; l < L; l++) {
        const h = acts.layers[l].fchGelu; // [B*T, F]
        for (let t = 0; t < used; t++) {
          const row = (b * T + t) * F;
          for (let j = 0; j < F; j++) {
            if (h[row + j] > max[l * F + j]) {
              max[l * F + j] = h[row + j];
              at[l * F + j] = start + t;
            }
          }
        }
      }
    });
  }
  // 4. into the neurons' top K
  todo.forEach((doc, d) => {
    let refIndex = -1;
    for (let l = 0; l < L; l++) {
      for (let j = 0; j < F; j++) {
        const slots = state.slots[l][j];
        const v = best[d][l * F + j];
        if (slots.length === state.perNeuron && v <= slots[slots.length - 1][2]) continue;
        if (refIndex < 0) refIndex = state.refs.push([doc.ref, textHash(doc.text)]) - 1;
        let at = slots.length;
        while (at > 0 && slots[at - 1][2] < v) at--;
        slots.splice(at, 0, [refIndex, where[d][l * F + j], v]);
        if (slots.length > state.perNeuron) slots.pop();
      }
    }
    state.tokens += tokens[d].length;
    state.documents++;
    state.cursor = doc.ref;
  });
  return todo.length;
}

/** A neuron's contexts, strongest first. */
export function contextsOf(state: NeuronIndexState, layer: number, index: number): NeuronContext[] {
  return state.slots[layer][index].map(([r, position, value]) => ({ ref: state.refs[r][0], hash: state.refs[r][1], position, value }));
}

/** Drops refs no slot points to any more (after many batches) and renumbers the slots. */
export function compactIndex(state: NeuronIndexState): void {
  const used = new Map<number, number>();
  const refs: [string, number][] = [];
  for (const layer of state.slots) {
    for (const slots of layer) {
      for (const slot of slots) {
        let next = used.get(slot[0]);
        if (next === undefined) {
          next = refs.push(state.refs[slot[0]]) - 1;
          used.set(slot[0], next);
        }
        slot[0] = next;
      }
    }
  }
  state.refs = refs;
}
