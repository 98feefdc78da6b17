/**
 * Occlusion passes that reuse the unchanged prefix. The text ids [T] with position r removed
 * is ids[0…r−1] followed by ids[r+1…T−1] one place earlier. Attention is causal, so the first r
 * positions of that shorter text see exactly what they saw in the whole text: their keys and
 * values in every layer are the whole text's. Only the moved tokens (the suffix, positions
 * r…T−2) need a pass, attending over the whole text's prefix keys and their own.
 *
 * One forward over the whole text gives the prefix keys/values of every layer; then the
 * suffixes of several removals run as one batch of rows (the linear layers treat rows
 * independently), each row's attention over its own removal's keys (the KV cache's step
 * kernel, the full pass's arithmetic for one query). Work: T·(T−1)/2 rows instead of T·(T−1).
 *
 * Legend: T tokens, S = T−1 tokens per shortened text, C channels, L layers, R rows of a batch.
 */
import type { FloatArray, IdArray } from "../tensor/types.ts";
import { type BlockPass, type BlockRows, blockForward, linearOf, normForward, streamNorm } from "./block.ts";
import type { GPT } from "./gpt.ts";

/** At most this many suffix rows per batch: its widest buffer (c_fc's, [R, 4C]) stays near 8 MB of float32. */
const FLOATS_PER_BATCH = 2 * 1024 * 1024;

/** A batch's buffers over R rows, and one removal's keys/values [S, C] with attention scratch [NH, S]. */
interface BatchBuffers {
  rows: number;
  keys: number;
  x: FloatArray; // [R, C] the stream
  ln: FloatArray; // [R, C] each LayerNorm's output in turn
  mean: FloatArray; // [R]
  rstd: FloatArray; // [R]
  qkv: FloatArray; // [R, 3C]
  attY: FloatArray; // [R, C]
  proj: FloatArray; // [R, C] attn.c_proj's and mlp.c_proj's output in turn
  fch: FloatArray; // [R, 4C]
  fchGelu: FloatArray; // [R, 4C]
  k: FloatArray; // [S, C]
  v: FloatArray; // [S, C]
  att: FloatArray; // [NH, S]
}

/**
 * Kept per model and grown only for a larger batch (the kernels' own memory is where their
 * products run in place, and it is never freed: a new set per call would grow without end).
 */
const scratch = new WeakMap<GPT, BatchBuffers>();

function scratchFor(model: GPT, R: number, S: number): BatchBuffers {
  const had = scratch.get(model);
  if (had && had.rows >= R && had.keys >= S) return had;
  const rows = Math.max(R, had?.rows ?? 0);
  const keys = Math.max(S, had?.keys ?? 0);
  const { nEmbd: C, nHead: NH } = model.config;
  const make = (n: number): FloatArray => (model.dtype === "float64" ? new Float64Array(n) : model.kernels.alloc(n));
  const made: BatchBuffers = {
    rows,
    keys,
    x: make(rows * C),
    ln: make(rows * C),
    mean: make(rows),
    rstd: make(rows),
    qkv: make(rows * 3 * C),
    attY: make(rows * C),
    proj: make(rows * C),
    fch: make(rows * 4 * C),
    fchGelu: make(rows * 4 * C),
    k: make(keys * C),
    v: make(keys * C),
    att: make(NH * keys),
  };
  scratch.set(model, made);
  return made;
}

/**
 * ln_f at the last position of ids [T] with position r removed, for each r: [T, C] (row r).
 * Equal to model.forwardBlocks(ids without r).lnf's last row for each r. `rowsPerBatch` bounds a
 * batch (at least one whole suffix, T−1 rows, always fits).
 */
export function occludedFinalRows(model: GPT, ids: IdArray, options: { rowsPerBatch?: number } = {}): FloatArray {
  const T = ids.length;
  if (T < 2) throw new Error(`occlusion needs at least 2 input tokens, got ${T}`);
  const { nEmbd: C, nLayer: L } = model.config;
  const S = T - 1;
  const make = (n: number): FloatArray => (model.dtype === "float64" ? new Float64Array(n) : new Float32Array(n));
  const out = make(T * C);

  // 1. the whole text: every layer's keys and values [T, C], the prefixes every removal shares
  const whole = model.forwardBlocks(ids, 1, T);
  const keys: FloatArray[] = [];
  const values: FloatArray[] = [];
  for (let l = 0; l < L; l++) {
    const qkv = whole.layers[l].qkv;
    const k = make(T * C);
    const v = make(T * C);
    for (let t = 0; t < T; t++) {
      k.set(qkv.subarray(t * 3 * C + C, t * 3 * C + 2 * C), t * C);
      v.set(qkv.subarray(t * 3 * C + 2 * C, t * 3 * C + 3 * C), t * C);
    }
    keys.push(k);
    values.push(v);
  }
  // removing the last token moves nothing: its text's last position is the whole text's T−2
  out.set(whole.lnf.subarray((S - 1) * C, S * C), S * C);

  // 2. the other removals r = 0 … T−2, in batches of whole suffixes (removal r has S − r rows)
  const maxRows = Math.max(S, options.rowsPerBatch ?? Math.floor(FLOATS_PER_BATCH / (4 * C)));
  let first = 0;
  while (first < S) {
    let last = first; // removals first … last−1 in this batch
    let rows = 0;
    while (last < S && rows + (S - last) <= maxRows) rows += S - last++;
    suffixBatch(model, ids, first, last, keys, values, out);
    first = last;
  }
  return out;
}

/** Runs the suffixes of removals first … last−1 as one batch; writes each one's ln_f last row into out [T, C]. */
function suffixBatch(
  model: GPT,
  ids: IdArray,
  first: number,
  last: number,
  keys: FloatArray[],
  values: FloatArray[],
  out: FloatArray,
): void {
  const { nEmbd: C, nHead: NH, nLayer: L } = model.config;
  const S = ids.length - 1;
  const kernels = model.kernels;
  const p = model.views;
  // row layout: removal r's suffix rows p = r … S−1 (token ids[p+1] at position p), removals in order
  const offsets: number[] = [];
  let R = 0;
  for (let r = first; r < last; r++) {
    offsets.push(R);
    R += S - r;
  }
  const { x, ln, mean, rstd, qkv, attY, proj, fch, fchGelu, k, v, att } = scratchFor(model, R, S);

  // 1. token + position embeddings of the moved tokens, and block 0's ln_1
  for (let r = first; r < last; r++) {
    for (let pos = r; pos < S; pos++) {
      const row = offsets[r - first] + pos - r;
      const id = ids[pos + 1];
      for (let c = 0; c < C; c++) x[row * C + c] = p.wte[id * C + c] + p.wpe[pos * C + c];
    }
  }
  const norms = Array.from({ length: L + 1 }, (_, l) => streamNorm(p, l, ln, mean, rstd));
  normForward(kernels, norms[0], x, R, C);

  // 2. the blocks over all rows; attention per removal, over its prefix keys and its own
  const pass: BlockPass = {
    kernels,
    rows: R,
    channels: C,
    linear: (l, layer, o, inp) => {
      const { weight, bias, IC, OC } = linearOf(p.blocks[l], layer, C);
      kernels.linearForward(o, inp, weight, bias, R, IC, OC);
    },
    linearGelu: (l, layer, o, geluOut, inp) => {
      const { weight, bias, IC, OC } = linearOf(p.blocks[l], layer, C);
      kernels.linearGeluForward(o, geluOut, inp, weight, bias, R, IC, OC);
    },
    attention: (l, y, rowsQkv) => {
      for (let r = first; r < last; r++) {
        const base = offsets[r - first];
        k.set(keys[l].subarray(0, r * C));
        v.set(values[l].subarray(0, r * C));
        for (let pos = r; pos < S; pos++) {
          const row = (base + pos - r) * 3 * C;
          k.set(rowsQkv.subarray(row + C, row + 2 * C), pos * C);
          v.set(rowsQkv.subarray(row + 2 * C, row + 3 * C), pos * C);
        }
        for (let pos = r; pos < S; pos++) {
          const row = base + pos - r;
          const q = rowsQkv.subarray(row * 3 * C, row * 3 * C + C);
          kernels.attentionStepForward(y.subarray(row * C, (row + 1) * C), att, q, k, v, pos + 1, C, NH);
        }
      }
    },
  };
  const rows: BlockRows = {
    x,
    ln1: ln,
    qkv,
    attY,
    attProj: proj,
    residual2: x,
    ln2: ln,
    ln2Mean: mean,
    ln2Rstd: rstd,
    fch,
    fchGelu,
    fcProj: proj,
    residual3: x,
  };
  for (let l = 0; l < L; l++) blockForward(pass, p.blocks[l], l, rows, norms[l + 1]);

  // 3. ln holds ln_f of every row: each removal's text ends at its suffix's last row
  for (let r = first; r < last; r++) {
    const row = offsets[r - first] + S - 1 - r;
    out.set(ln.subarray(row * C, (row + 1) * C), r * C);
  }
}
