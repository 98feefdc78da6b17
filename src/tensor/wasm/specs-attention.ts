/**
 * Attention and the logits' softmax, described for ./kernel-table.ts (the module's code is in
 * ./program-attention.ts). Attention runs in WebAssembly when the head size HS = C/NH is a
 * multiple of 4 (else the reference); its exponentials, like the softmax's, are a float32
 * polynomial (relative error < 2e-7).
 *
 * Threads: attention's batch rows are claimed by both threads from one counter (`together`)
 * when there are two batch rows and rows enough; the softmax's rows are cut in two halves.
 */
import type { Backend, Call, KernelSpec, Sizes } from "./kernel-table.ts";
import { MIN_SPLIT_ELEMENTS, MIN_SPLIT_ROWS } from "./kernel-table.ts";

/** the head size, and whether the module takes it */
const headSize = { HS: (n: Sizes) => n.C / n.NH };
const notVectorHeads = ({ n }: Call) => !Number.isInteger(n.HS) || n.HS % 4 !== 0;
/** batch rows shared by the threads */
const sharedRows = ({ B, T }: Sizes) => B >= 2 && B * T >= 2 * MIN_SPLIT_ROWS;

export const attentionForward: KernelSpec<"attentionForward"> = {
  name: "attentionForward",
  args: ["out", "preatt", "att", "qkv", "B", "T", "C", "NH"],
  sizes: ["B", "T", "C", "NH"],
  buffers: {
    out: { floats: "B*T*C", io: "out" },
    preatt: { floats: "B*NH*T*T", io: "out" },
    att: { floats: "B*NH*T*T", io: "out" },
    qkv: { floats: "B*T*3C", io: "in" },
  },
  derive: headSize,
  useReference: notVectorHeads,
  empty: ({ B, T, C }) => B * T * C === 0,
  run: ({ at, n }, backend) => {
    const { B, T, C, NH, HS } = n;
    backend.together(
      [
        {
          fn: "attnForward",
          counters: 1,
          args: (_, claims) => [at.out, at.preatt, at.att, at.qkv, B, T, C, NH, HS, 1 / Math.sqrt(HS), claims],
        },
      ],
      sharedRows(n),
    );
  },
};

export const attentionBackward: KernelSpec<"attentionBackward"> = {
  name: "attentionBackward",
  args: ["dqkv", "dpreatt", "datt", "dout", "qkv", "att", "B", "T", "C", "NH"],
  sizes: ["B", "T", "C", "NH"],
  buffers: {
    dqkv: { floats: "B*T*3C", io: "out" },
    // scratch: above the diagonal it is left as it was (copied in and back)
    dpreatt: { floats: "B*NH*T*T", io: "inout" },
    datt: { floats: "B*NH*T*T", io: "inout" },
    dout: { floats: "B*T*C", io: "in" },
    qkv: { floats: "B*T*3C", io: "in" },
    att: { floats: "B*NH*T*T", io: "in" },
  },
  derive: headSize,
  useReference: notVectorHeads,
  empty: ({ B, T, C }) => B * T * C === 0,
  run: ({ at, n }, backend) => {
    const { B, T, C, NH, HS } = n;
    backend.together(
      [
        {
          fn: "attnBackward",
          counters: 1,
          args: (_, claims) => [at.dqkv, at.dpreatt, at.datt, at.dout, at.qkv, at.att, B, T, C, NH, HS, 1 / Math.sqrt(HS), claims],
        },
      ],
      sharedRows(n),
    );
  },
};

/** one new query over the cache (generation): one thread, the work is one row */
export const attentionStepForward: KernelSpec<"attentionStepForward"> = {
  name: "attentionStepForward",
  args: ["out", "att", "q", "keys", "values", "Tk", "C", "NH"],
  sizes: ["Tk", "C", "NH"],
  buffers: {
    out: { floats: "C", io: "out" },
    att: { floats: "NH*Tk", io: "out" },
    q: { floats: "C", io: "in" },
    keys: { floats: "Tk*C", io: "in" },
    values: { floats: "Tk*C", io: "in" },
  },
  derive: headSize,
  useReference: notVectorHeads,
  empty: ({ Tk, C }) => Tk * C === 0,
  run: ({ at, n }: Call, backend: Backend) => {
    const { Tk, C, NH, HS } = n;
    backend.exports.attnStep(at.out, at.att, at.q, at.keys, at.values, Tk, C, NH, HS, 1 / Math.sqrt(HS));
  },
};

/** probs[N,V] = softmax of each row of logits; rows split between the threads */
export const softmaxForward: KernelSpec<"softmaxForward"> = {
  name: "softmaxForward",
  args: ["probs", "logits", "N", "V"],
  sizes: ["N", "V"],
  buffers: {
    probs: { floats: "N*V", io: "out" },
    logits: { floats: "N*V", io: "in" },
  },
  empty: ({ N, V }) => N * V === 0,
  run: ({ at, n }, backend) => {
    const { N, V } = n;
    backend.halves("softmaxRows", N, { align: 1, minimum: Math.ceil(MIN_SPLIT_ELEMENTS / V) }, (start, count) => [
      at.probs + 4 * start * V,
      at.logits + 4 * start * V,
      count,
      V,
    ]);
  },
};
