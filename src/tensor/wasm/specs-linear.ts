/**
 * The linear layers' kernels, described for ./kernel-table.ts: the blocked matrix product of
 * ./program-gemm.ts does every one,
 *
 *   forward   out[N,OC]      = bias + inp[N,IC] · weightᵀ     (then geluOut = gelu(out))
 *   backward  dinp[N,IC]     = dout[N,OC] · weight[OC,IC]     (then times gelu'(pre))
 *             dweight[OC,IC] += doutᵀ · inp                    dbias[OC] += Σ_rows dout
 *   one row   out[OC]        = bias + x[IC] · weightT[IC,OC]  (the KV cache's step)
 *
 * Threads: a product is shared (both threads claim its row blocks) when each has rows enough
 * (`products` in ./index.ts); a GELU that follows runs on each finished block of out inside
 * the product when out's width is a multiple of 4, else afterwards as its own kernel.
 */
import type { Backend, Call, KernelSpec, Sizes } from "./kernel-table.ts";
import { INIT_FROM_BIAS, INIT_FROM_C, INIT_ZERO, POST_GELU_BACKWARD, POST_GELU_FORWARD, POST_NONE } from "./program-gemm.ts";

const LINEAR_FORWARD_BUFFERS = {
  out: { floats: "N*OC", io: "out" },
  inp: { floats: "N*IC", io: "in" },
  weight: { floats: "OC*IC", io: "in" },
  bias: { floats: "OC", io: "in", nullable: true },
} as const;

/** the forward's GELU runs inside the product (on each finished block of out) */
const fusedForward = (n: Sizes) => n.IC > 0 && n.OC % 4 === 0;

/** out = inp·weightᵀ + bias, and, with geluOut placed, geluOut = gelu(out) block by block */
function linearForwardRun({ at, n, arg }: Call, backend: Backend): void {
  const { N, IC, OC } = n;
  if (IC === 0) {
    // no products: every row is the bias (or zero)
    const floats = backend.floats();
    for (let row = 0; row < N; row++) {
      for (let o = 0; o < OC; o++) floats[at.out / 4 + row * OC + o] = arg.bias === null ? 0 : floats[at.bias / 4 + o];
    }
    return;
  }
  // out[N,OC] = bias + inp[N,IC] · B, B(i,o) = weight[o·IC + i]
  const init = arg.bias === null ? INIT_ZERO : INIT_FROM_BIAS;
  const geluAt = at.geluOut ?? 0;
  const post = geluAt ? POST_GELU_FORWARD : POST_NONE;
  backend.products([
    {
      M: N,
      N: OC,
      K: IC,
      args: (pack, claims) => [
        at.out,
        OC,
        at.inp,
        IC,
        1,
        at.weight,
        1,
        IC,
        at.bias,
        N,
        OC,
        IC,
        init,
        pack.packA,
        pack.packB,
        pack.tile,
        claims,
        post,
        geluAt,
      ],
    },
  ]);
}

export const linearForward: KernelSpec<"linearForward"> = {
  name: "linearForward",
  args: ["out", "inp", "weight", "bias", "N", "IC", "OC"],
  sizes: ["N", "IC", "OC"],
  buffers: LINEAR_FORWARD_BUFFERS,
  empty: ({ N, OC }) => N === 0 || OC === 0,
  run: linearForwardRun,
};

export const linearGeluForward: KernelSpec<"linearGeluForward"> = {
  name: "linearGeluForward",
  args: ["out", "geluOut", "inp", "weight", "bias", "N", "IC", "OC"],
  sizes: ["N", "IC", "OC"],
  buffers: { ...LINEAR_FORWARD_BUFFERS, geluOut: { floats: "N*OC", io: "out", placeIf: fusedForward } },
  empty: ({ N, OC }) => N === 0 || OC === 0,
  run: linearForwardRun,
  // a width the product cannot fuse: the GELU afterwards
  after: ({ n, arg }, backend) => {
    if (!fusedForward(n)) backend.kernels().geluForward(arg.geluOut as Float32Array, arg.out as Float32Array, n.N * n.OC);
  },
};

const LINEAR_BACKWARD_BUFFERS = {
  dinp: { floats: "N*IC", io: "out" },
  dweight: { floats: "OC*IC", io: "inout" },
  dbias: { floats: "OC", io: "inout", nullable: true },
  dout: { floats: "N*OC", io: "in" },
  inp: { floats: "N*IC", io: "in" },
  weight: { floats: "OC*IC", io: "in" },
} as const;

/** the backward's GELU runs inside the product (on each finished block of dinp) */
const fusedBackward = (n: Sizes) => n.IC % 4 === 0;

/**
 * 1. dinp[N,IC] = dout[N,OC] · weight[OC,IC] (times gelu'(pre) block by block, with pre placed),
 * then 3. on this thread, 2. dweight[OC,IC] += doutᵀ · inp, A(o,n) = dout[n·OC + o];
 * 3. dbias[OC] += Σ_rows dout (after 1., while the helper may still work on 1. and 2.)
 */
function linearBackwardRun({ at, n, arg }: Call, backend: Backend, dinpAt: number): void {
  const { N, IC, OC } = n;
  const preAt = at.pre ?? 0;
  const biasGradient = () => {
    if (arg.dbias !== null) backend.exports.colsum(at.dbias, at.dout, N, OC);
  };
  if (IC === 0) return biasGradient();
  backend.products(
    [
      {
        M: N,
        N: IC,
        K: OC,
        args: (pack, claims) => [
          dinpAt,
          IC,
          at.dout,
          OC,
          1,
          at.weight,
          IC,
          1,
          0,
          N,
          IC,
          OC,
          INIT_ZERO,
          pack.packA,
          pack.packB,
          pack.tile,
          claims,
          preAt ? POST_GELU_BACKWARD : POST_NONE,
          preAt,
        ],
      },
      {
        M: OC,
        N: IC,
        K: N,
        args: (pack, claims) => [
          at.dweight,
          IC,
          at.dout,
          1,
          OC,
          at.inp,
          IC,
          1,
          0,
          OC,
          IC,
          N,
          INIT_FROM_C,
          pack.packA,
          pack.packB,
          pack.tile,
          claims,
          POST_NONE,
          0,
        ],
      },
    ],
    biasGradient,
  );
}

/** no products: dinp is 0 (and so is the GELU's input gradient) */
function zeroDinp(dinp: Float32Array, { N, IC }: Sizes): void {
  if (N * IC > 0) dinp.fill(0, 0, N * IC);
}

export const linearBackward: KernelSpec<"linearBackward"> = {
  name: "linearBackward",
  args: ["dinp", "dweight", "dbias", "dout", "inp", "weight", "N", "IC", "OC"],
  sizes: ["N", "IC", "OC"],
  buffers: LINEAR_BACKWARD_BUFFERS,
  empty: ({ N, OC }) => N === 0 || OC === 0,
  whenEmpty: ({ arg, n }) => zeroDinp(arg.dinp as Float32Array, n),
  run: (call, backend) => linearBackwardRun(call, backend, call.at.dinp),
};

export const linearGeluBackward: KernelSpec<"linearGeluBackward"> = {
  name: "linearGeluBackward",
  args: ["dpre", "dweight", "dbias", "dout", "inp", "weight", "pre", "N", "IC", "OC"],
  sizes: ["N", "IC", "OC"],
  // dpre is linearBackward's dinp, turned into the gradient at the GELU's input
  buffers: {
    dpre: LINEAR_BACKWARD_BUFFERS.dinp,
    dweight: LINEAR_BACKWARD_BUFFERS.dweight,
    dbias: LINEAR_BACKWARD_BUFFERS.dbias,
    dout: LINEAR_BACKWARD_BUFFERS.dout,
    inp: LINEAR_BACKWARD_BUFFERS.inp,
    weight: LINEAR_BACKWARD_BUFFERS.weight,
    pre: { floats: "N*IC", io: "in", placeIf: fusedBackward },
  },
  empty: ({ N, OC }) => N === 0 || OC === 0,
  whenEmpty: ({ arg, n }) => zeroDinp(arg.dpre as Float32Array, n),
  run: (call, backend) => linearBackwardRun(call, backend, call.at.dpre),
  // a width the product cannot fuse: the GELU's backward afterwards
  after: ({ n, arg }, backend) => {
    if (fusedBackward(n) || n.IC === 0) return;
    const dpre = arg.dpre as Float32Array;
    backend.kernels().geluBackward(dpre, arg.pre as Float32Array, dpre, n.N * n.IC);
  },
};

/** one row, the weight kept transposed: every load a vector, no packing (equals linearForward bit for bit) */
export const linearRowForward: KernelSpec<"linearRowForward"> = {
  name: "linearRowForward",
  args: ["out", "x", "weightT", "bias", "IC", "OC"],
  sizes: ["IC", "OC"],
  buffers: {
    out: { floats: "OC", io: "out" },
    x: { floats: "IC", io: "in" },
    weightT: { floats: "IC*OC", io: "in" },
    bias: { floats: "OC", io: "in", nullable: true },
  },
  empty: ({ OC }) => OC === 0,
  run: ({ at, n, arg }, backend) => {
    backend.exports.rowTimesT(at.out, at.x, at.weightT, at.bias, n.IC, n.OC, arg.bias === null ? INIT_ZERO : INIT_FROM_BIAS);
  },
};
