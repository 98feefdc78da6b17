/**
 * The training step's row-wise and element-wise kernels, for ./program.ts, four lanes at a time:
 *
 *   geluForward(out, inp, n) / geluBackward(dinp, inp, dout, n)                   ../gelu.ts
 *
 *   layernormForward(out, mean, rstd, inp, weight, bias, N, C, a, b)              ../layernorm.ts
 *     (a ≠ 0: each row of inp is first written as a + b, ../residual.ts)
 *   layernormBackward(dinp, dweight, dbias, dout, inp, weight, mean, rstd, N, C)  ../layernorm.ts
 *   residualForward(out, a, b, n)                                                 ../residual.ts
 *   adamwUpdate(params, grads, m, v, n, …)                                        ../adamw.ts
 *   sumSquares(partials, x, n, chunk) / scale(x, n, factor)                       ../grad-norm.ts
 *   embeddingForward(out, ids, wte, wpe, B, T, C) / embeddingBackward(…)          ../embedding.ts
 *
 * Each loop's math (but GELU's, four lanes only: see defineGelu) is written once against `Lanes`
 * and emitted twice: with f32x4 over the first ⌊n/4⌋·4 elements, then with single f32s over the
 * last n mod 4, so any length works in place.
 * Addresses are byte addresses; a bias or dbias address of 0 means "none" (the heap never hands
 * out address 0). Sums are float32 (the references sum in doubles), in four f32x4 chains whose
 * lanes each keep their own partial sum (see Sum), all added at the end.
 */
import {
  type Expr,
  F32,
  F32x4,
  type FunctionBuilder,
  I32,
  type I32Like,
  type Local,
  type ModuleBuilder,
  type ValType,
} from "./assembler.ts";
import { type AddProduct, emitOnePlusMinusTanh } from "./program-exp.ts";

type Fn = FunctionBuilder<Record<string, ValType>>;
type LaneType = "v128" | "f32";

/** The operations the loops use, for one of the two widths. */
interface Lanes {
  type: LaneType;
  /** bytes per element group: 16 for f32x4, 4 for f32 */
  bytes: number;
  load(addr: I32Like, offset?: number): Expr;
  add(a: Expr, b: Expr): Expr;
  sub(a: Expr, b: Expr): Expr;
  mul(a: Expr, b: Expr): Expr;
  div(a: Expr, b: Expr): Expr;
  sqrt(a: Expr): Expr;
}

const VECTOR: Lanes = {
  type: "v128",
  bytes: 16,
  load: (addr, offset = 0) => F32x4.load(addr, offset),
  add: F32x4.add,
  sub: F32x4.sub,
  mul: F32x4.mul,
  div: F32x4.div,
  sqrt: F32x4.sqrt,
};
const SCALAR: Lanes = {
  type: "f32",
  bytes: 4,
  load: (addr, offset = 0) => F32.load(addr, offset),
  add: F32.add,
  sub: F32.sub,
  mul: F32.mul,
  div: F32.div,
  sqrt: F32.sqrt,
};

/** A value held at both widths: `pair[lanes.type]` is the one a loop body reads. */
type Pair = Record<LaneType, Local>;

function pair(f: Fn): Pair {
  return { v128: f.local("v128"), f32: f.local("f32") };
}

/**
 * for every element: body(lanes) with `at` = its byte offset (16 bytes a step while 4 elements
 * are left, then 4). `constants` are f32 values the body reads from their Pair: each is splat
 * into its v128 once before the vector loop, copied into its f32 once before the scalar loop.
 */
function eachElement(f: Fn, n: Local, at: Local, end: Local, constants: Array<[Pair, Expr]>, body: (lanes: Lanes) => void): void {
  // 1. four at a time over ⌊n/4⌋·4 elements
  for (const [held, value] of constants) f.set(held.v128, F32x4.splat(value));
  f.set(end, I32.shl(I32.and(n, -4), 2));
  f.forRange(at, 0, end, 16, () => body(VECTOR));
  // 2. one at a time over the other n mod 4, from where the vectors stopped
  for (const [held, value] of constants) f.set(held.f32, value);
  f.forRange(at, end, I32.shl(n, 2), 4, () => body(SCALAR));
}

/**
 * A float32 sum over a row kept in four f32x4 chains and one f32: sixteen elements a step add
 * into the four chains, which do not wait on each other's adds (one chain makes every add wait
 * for the one before, about four cycles each).
 */
interface Sum {
  chains: Local[];
  f32: Local;
}

function sumLocals(f: Fn): Sum {
  return { chains: Array.from({ length: 4 }, () => f.local("v128")), f32: f.local("f32") };
}

/** the whole sum: the chains added ((0 + 1) + (2 + 3)), their lanes as F32x4.sum adds them, then the f32 */
function sumTotal(s: Sum): Expr {
  return F32.add(F32x4.sum(s.chains[0]), s.f32);
}

/**
 * Σ term over n elements into each sum (each starts at 0): sixteen elements a step, one vector
 * into each chain, then four at a time into chain 0, then one at a time into the f32.
 * term(lanes, offset): the element at byte `at` + offset. `constants` as in eachElement.
 */
function sumElements(
  f: Fn,
  n: Local,
  at: Local,
  end: Local,
  constants: Array<[Pair, Expr]>,
  sums: Array<[Sum, (L: Lanes, offset: number) => Expr]>,
): void {
  for (const [s] of sums) {
    for (const chain of s.chains) f.set(chain, F32x4.zero());
    f.set(s.f32, F32.c(0));
  }
  for (const [held, value] of constants) f.set(held.v128, F32x4.splat(value));
  // 1. sixteen at a time over ⌊n/16⌋·16 elements, then 2. four at a time up to ⌊n/4⌋·4
  f.set(end, I32.shl(I32.and(n, -16), 2));
  f.forRange(at, 0, end, 64, () => {
    for (let v = 0; v < 4; v++) {
      for (const [s, term] of sums) f.set(s.chains[v], F32x4.add(s.chains[v], term(VECTOR, 16 * v)));
    }
  });
  f.set(end, I32.shl(I32.and(n, -4), 2));
  f.forRange(at, at, end, 16, () => {
    for (const [s, term] of sums) f.set(s.chains[0], F32x4.add(s.chains[0], term(VECTOR, 0)));
  });
  for (const [s] of sums) {
    f.set(s.chains[0], F32x4.add(F32x4.add(s.chains[0], s.chains[1]), F32x4.add(s.chains[2], s.chains[3])));
  }
  // 3. one at a time over the other n mod 4
  for (const [held, value] of constants) f.set(held.f32, value);
  f.forRange(at, end, I32.shl(n, 2), 4, () => {
    for (const [s, term] of sums) f.set(s.f32, F32.add(s.f32, term(SCALAR, 0)));
  });
}

/** LayerNorm's epsilon, as in ../layernorm.ts (float32 1e-5) */
const EPS = 1e-5;

export function defineRowKernels(module: ModuleBuilder): void {
  defineLayernormForward(module);
  defineLayernormBackward(module);
  defineResidual(module);
  defineGradNorm(module);
  defineAdamW(module);
  defineEmbedding(module);
}

// embeddingForward(out, ids, wte, wpe, B, T, C): out[b,t,:] = wte[ids[b,t],:] + wpe[t,:]
// embeddingBackward(dwte, dwpe, dout, ids, B, T, C): dwte[ids[b,t],:] += dout[b,t,:];
//   dwpe[t,:] += dout[b,t,:], rows in order (a token seen twice adds twice, one thread only)
//   ids: B·T i32 at a byte address, each already checked to be a row of wte
function defineEmbedding(module: ModuleBuilder): void {
  const sizes = { B: "i32", T: "i32", C: "i32" } as const;
  const forward = module.func("embeddingForward", { out: "i32", ids: "i32", wte: "i32", wpe: "i32", ...sizes }, { exported: true });
  forward.define((f, { out, ids, wte, wpe, B, T, C }) => {
    const b = f.local("i32"),
      t = f.local("i32"),
      token = f.local("i32"),
      position = f.local("i32");
    const at = f.local("i32"),
      end = f.local("i32"),
      rowBytes = f.local("i32");
    f.set(rowBytes, I32.shl(C, 2));
    f.forRange(b, 0, B, 1, () => {
      f.set(position, wpe);
      f.forRange(t, 0, T, 1, () => {
        f.set(token, I32.add(wte, I32.mul(I32.load(ids), rowBytes)));
        eachElement(f, C, at, end, [], (L) => f.store(I32.add(out, at), L.add(L.load(I32.add(token, at)), L.load(I32.add(position, at)))));
        f.inc(out, rowBytes);
        f.inc(ids, 4);
        f.inc(position, rowBytes);
      });
    });
  });

  const backward = module.func("embeddingBackward", { dwte: "i32", dwpe: "i32", dout: "i32", ids: "i32", ...sizes }, { exported: true });
  backward.define((f, { dwte, dwpe, dout, ids, B, T, C }) => {
    const b = f.local("i32"),
      t = f.local("i32"),
      token = f.local("i32"),
      position = f.local("i32");
    const at = f.local("i32"),
      end = f.local("i32"),
      rowBytes = f.local("i32"),
      d = pair(f);
    f.set(rowBytes, I32.shl(C, 2));
    f.forRange(b, 0, B, 1, () => {
      f.set(position, dwpe);
      f.forRange(t, 0, T, 1, () => {
        f.set(token, I32.add(dwte, I32.mul(I32.load(ids), rowBytes)));
        eachElement(f, C, at, end, [], (L) => {
          f.set(d[L.type], L.load(I32.add(dout, at)));
          f.store(I32.add(token, at), L.add(L.load(I32.add(token, at)), d[L.type]));
          f.store(I32.add(position, at), L.add(L.load(I32.add(position, at)), d[L.type]));
        });
        f.inc(dout, rowBytes);
        f.inc(ids, 4);
        f.inc(position, rowBytes);
      });
    });
  });
}

// layernormForward(out, mean, rstd, inp, weight, bias, N, C): rows of C floats; bias 0 = none
function defineLayernormForward(module: ModuleBuilder): void {
  const fn = module.func(
    "layernormForward",
    {
      out: "i32",
      mean: "i32",
      rstd: "i32",
      inp: "i32",
      weight: "i32",
      bias: "i32",
      N: "i32",
      C: "i32",
      a: "i32",
      b: "i32",
    },
    { exported: true },
  );
  fn.define((f, { out, mean, rstd, inp, weight, bias, N, C, a, b }) => {
    const row = f.local("i32"),
      x = f.local("i32"),
      y = f.local("i32"),
      at = f.local("i32"),
      end = f.local("i32");
    const aRow = f.local("i32"),
      bRow = f.local("i32");
    const count = f.local("f32"),
      m = f.local("f32"),
      s = f.local("f32");
    const sum = sumLocals(f),
      mHeld = pair(f),
      sHeld = pair(f);
    f.set(count, F32.fromI32(C));
    f.forRange(row, 0, N, 1, () => {
      f.set(x, I32.add(inp, I32.shl(I32.mul(row, C), 2)));
      f.set(y, I32.add(out, I32.shl(I32.mul(row, C), 2)));
      // 0. with a residual sum (a ≠ 0): the row of inp is a + b first (still in cache below)
      f.ifThen(a, () => {
        f.set(aRow, I32.add(a, I32.shl(I32.mul(row, C), 2)));
        f.set(bRow, I32.add(b, I32.shl(I32.mul(row, C), 2)));
        eachElement(f, C, at, end, [], (L) => f.store(I32.add(x, at), L.add(L.load(I32.add(aRow, at)), L.load(I32.add(bRow, at)))));
      });
      // 1. mean = Σ_c x[c] / C
      sumElements(f, C, at, end, [], [[sum, (L, o) => L.load(I32.add(x, at), o)]]);
      f.set(m, F32.div(sumTotal(sum), count));
      // 2. rstd = 1/√(Σ_c (x[c] − mean)² / C + eps)
      const centered = (L: Lanes, o: number) => L.sub(L.load(I32.add(x, at), o), mHeld[L.type]);
      sumElements(f, C, at, end, [[mHeld, m]], [[sum, (L, o) => L.mul(centered(L, o), centered(L, o))]]);
      f.set(s, F32.div(F32.c(1), F32.sqrt(F32.add(F32.div(sumTotal(sum), count), F32.c(EPS)))));
      // 3. out[c] = (x[c] − mean)·rstd·weight[c] + bias[c]
      const constants: Array<[Pair, Expr]> = [
        [mHeld, m],
        [sHeld, s],
      ];
      const scaled = (L: Lanes) => L.mul(L.mul(L.sub(L.load(I32.add(x, at)), mHeld[L.type]), sHeld[L.type]), L.load(I32.add(weight, at)));
      f.ifThen(
        I32.eqz(bias),
        () => {
          eachElement(f, C, at, end, constants, (L) => f.store(I32.add(y, at), scaled(L)));
        },
        () => {
          eachElement(f, C, at, end, constants, (L) => f.store(I32.add(y, at), L.add(scaled(L), L.load(I32.add(bias, at)))));
        },
      );
      f.store(I32.add(mean, I32.shl(row, 2)), m);
      f.store(I32.add(rstd, I32.shl(row, 2)), s);
    });
  });
}

// layernormBackward(dinp, dweight, dbias, dout, inp, weight, mean, rstd, N, C): dbias 0 = none.
//   With x̂ = (x − mean)·rstd and dx̂ = dout·weight, per row:
//   1. the row means of dx̂ and of dx̂·x̂
//   2. dbias += dout;  dweight += dout·x̂;  dinp += rstd·(dx̂ − mean(dx̂) − x̂·mean(dx̂·x̂))
function defineLayernormBackward(module: ModuleBuilder): void {
  const fn = module.func(
    "layernormBackward",
    {
      dinp: "i32",
      dweight: "i32",
      dbias: "i32",
      dout: "i32",
      inp: "i32",
      weight: "i32",
      mean: "i32",
      rstd: "i32",
      N: "i32",
      C: "i32",
    },
    { exported: true },
  );
  fn.define((f, { dinp, dweight, dbias, dout, inp, weight, mean, rstd, N, C }) => {
    const row = f.local("i32"),
      offset = f.local("i32"),
      x = f.local("i32"),
      dy = f.local("i32"),
      dx = f.local("i32");
    const at = f.local("i32"),
      end = f.local("i32");
    const count = f.local("f32"),
      m = f.local("f32"),
      s = f.local("f32"),
      meanD = f.local("f32"),
      meanDX = f.local("f32");
    const sumD = sumLocals(f),
      sumDX = sumLocals(f),
      xhat = pair(f),
      g = pair(f);
    const mHeld = pair(f),
      sHeld = pair(f),
      meanDHeld = pair(f),
      meanDXHeld = pair(f);
    f.set(count, F32.fromI32(C));
    f.forRange(row, 0, N, 1, () => {
      f.set(offset, I32.shl(I32.mul(row, C), 2));
      f.set(x, I32.add(inp, offset));
      f.set(dy, I32.add(dout, offset));
      f.set(dx, I32.add(dinp, offset));
      f.set(m, F32.load(I32.add(mean, I32.shl(row, 2))));
      f.set(s, F32.load(I32.add(rstd, I32.shl(row, 2))));
      // x̂ of the element at byte at + o
      const normalized = (L: Lanes, o = 0) => L.mul(L.sub(L.load(I32.add(x, at), o), mHeld[L.type]), sHeld[L.type]);

      // 1. mean(dx̂) and mean(dx̂·x̂)
      // (dx̂ is computed once into g for both sums: the first term sets it, the second reads it)
      sumElements(
        f,
        C,
        at,
        end,
        [
          [mHeld, m],
          [sHeld, s],
        ],
        [
          [
            sumD,
            (L, o) => {
              f.set(g[L.type], L.mul(L.load(I32.add(dy, at), o), L.load(I32.add(weight, at), o)));
              return g[L.type];
            },
          ],
          [sumDX, (L, o) => L.mul(g[L.type], normalized(L, o))],
        ],
      );
      f.set(meanD, F32.div(sumTotal(sumD), count));
      f.set(meanDX, F32.div(sumTotal(sumDX), count));

      // 2. the three gradients (dbias only when there is one)
      const constants: Array<[Pair, Expr]> = [
        [mHeld, m],
        [sHeld, s],
        [meanDHeld, meanD],
        [meanDXHeld, meanDX],
      ];
      const gradients = (L: Lanes, withBias: boolean) => {
        f.set(g[L.type], L.load(I32.add(dy, at)));
        f.set(xhat[L.type], normalized(L));
        if (withBias) f.store(I32.add(dbias, at), L.add(L.load(I32.add(dbias, at)), g[L.type]));
        f.store(I32.add(dweight, at), L.add(L.load(I32.add(dweight, at)), L.mul(g[L.type], xhat[L.type])));
        const dnorm = L.mul(g[L.type], L.load(I32.add(weight, at)));
        const inner = L.sub(L.sub(dnorm, meanDHeld[L.type]), L.mul(xhat[L.type], meanDXHeld[L.type]));
        f.store(I32.add(dx, at), L.add(L.load(I32.add(dx, at)), L.mul(sHeld[L.type], inner)));
      };
      f.ifThen(
        I32.eqz(dbias),
        () => {
          eachElement(f, C, at, end, constants, (L) => gradients(L, false));
        },
        () => {
          eachElement(f, C, at, end, constants, (L) => gradients(L, true));
        },
      );
    });
  });
}

// sumSquares(partials, x, n, chunk): partials[c] = Σ x² over x[c·chunk … min(n, (c+1)·chunk)), a
//   float32 sum per chunk. The caller adds the partials in doubles, in order: the total does not
//   depend on how the chunks were shared between threads.
// scale(x, n, factor): x *= factor
function defineGradNorm(module: ModuleBuilder): void {
  const sums = module.func("sumSquares", { partials: "i32", x: "i32", n: "i32", chunk: "i32" }, { exported: true });
  sums.define((f, { partials, x, n, chunk }) => {
    const at = f.local("i32"),
      end = f.local("i32"),
      length = f.local("i32"),
      sum = sumLocals(f);
    f.whileLoop(I32.gtS(n, 0), () => {
      f.set(length, I32.minS(n, chunk));
      sumElements(f, length, at, end, [], [[sum, (L, o) => L.mul(L.load(I32.add(x, at), o), L.load(I32.add(x, at), o))]]);
      f.store(partials, sumTotal(sum));
      f.inc(partials, 4);
      f.inc(x, I32.shl(length, 2));
      f.inc(n, I32.sub(0, length));
    });
  });

  const scale = module.func("scale", { x: "i32", n: "i32", factor: "f32" }, { exported: true });
  scale.define((f, { x, n, factor }) => {
    const at = f.local("i32"),
      end = f.local("i32"),
      held = pair(f);
    eachElement(f, n, at, end, [[held, factor]], (L) => f.store(I32.add(x, at), L.mul(L.load(I32.add(x, at)), held[L.type])));
  });
}

// residualForward(out, a, b, n): out = a + b
function defineResidual(module: ModuleBuilder): void {
  const forward = module.func("residualForward", { out: "i32", a: "i32", b: "i32", n: "i32" }, { exported: true });
  forward.define((f, { out, a, b, n }) => {
    const at = f.local("i32"),
      end = f.local("i32");
    eachElement(f, n, at, end, [], (L) => f.store(I32.add(out, at), L.add(L.load(I32.add(a, at)), L.load(I32.add(b, at)))));
  });
}

// adamwUpdate(params, grads, m, v, n, beta1, oneMinusBeta1, beta2, oneMinusBeta2, correction1,
//   correction2, lr, lrDecay, eps): one AdamW step, the reference's steps 1–5, with the constants
//   computed by the caller in doubles (oneMinusBeta = 1 − β, correction = 1 − βᵗ,
//   lrDecay = lr·weightDecay), so that only the per-element arithmetic is float32.
function defineAdamW(module: ModuleBuilder): void {
  const fn = module.func(
    "adamwUpdate",
    {
      params: "i32",
      grads: "i32",
      m: "i32",
      v: "i32",
      n: "i32",
      beta1: "f32",
      oneMinusBeta1: "f32",
      beta2: "f32",
      oneMinusBeta2: "f32",
      stepSize: "f32",
      rootCorrection: "f32",
      lrDecay: "f32",
      eps: "f32",
    },
    { exported: true },
  );
  fn.define((f, { params, grads, m, v, n, beta1, oneMinusBeta1, beta2, oneMinusBeta2, stepSize, rootCorrection, lrDecay, eps }) => {
    const at = f.local("i32"),
      end = f.local("i32");
    const g = pair(f),
      mi = pair(f),
      vi = pair(f),
      p = pair(f);
    const held = Array.from({ length: 8 }, () => pair(f));
    const values = [beta1, oneMinusBeta1, beta2, oneMinusBeta2, stepSize, rootCorrection, lrDecay, eps];
    const [b1, c1m, b2, c2m, size, root, rateDecay, epsilon] = held;
    eachElement(
      f,
      n,
      at,
      end,
      held.map((h, i) => [h, values[i]] as [Pair, Expr]),
      (L) => {
        const t = L.type;
        f.set(g[t], L.load(I32.add(grads, at)));
        // 1. m = β1·m + (1−β1)·g    2. v = β2·v + (1−β2)·g²
        f.set(mi[t], L.add(L.mul(b1[t], L.load(I32.add(m, at))), L.mul(c1m[t], g[t])));
        f.set(vi[t], L.add(L.mul(b2[t], L.load(I32.add(v, at))), L.mul(L.mul(c2m[t], g[t]), g[t])));
        f.store(I32.add(m, at), mi[t]);
        f.store(I32.add(v, at), vi[t]);
        // 3.–5. p −= lr·wd·p + lr·m̂/(√v̂ + ε), m̂ = m/(1−β1ᵗ), v̂ = v/(1−β2ᵗ), computed as
        //   stepSize·m/(√v·rootCorrection + ε) with stepSize = lr/(1−β1ᵗ), rootCorrection =
        //   1/√(1−β2ᵗ): one division and one square root (the divider is this loop's bottleneck).
        //   Both changes are added first, so p is rounded once (as the reference, in doubles)
        f.set(p[t], L.load(I32.add(params, at)));
        const step = L.div(L.mul(size[t], mi[t]), L.add(L.mul(L.sqrt(vi[t]), root[t]), epsilon[t]));
        f.store(I32.add(params, at), L.sub(p[t], L.add(L.mul(rateDecay[t], p[t]), step)));
      },
    );
  });
}

/**
 * GELU in its tanh form, four elements at a time (../gelu.ts is the readable reference):
 *   geluForward(out, inp, n):        out = 0.5·x·(1 + tanh u),  u = √(2/π)·(x + 0.044715·x³)
 *   geluBackward(dinp, inp, dout, n): dinp = (0.5·(1 + tanh u) + 0.5·x·(1 − tanh²u)·du/dx)·dout
 * n is a multiple of 4 (the caller does the rest with the reference). Returns both functions:
 * the gemm also runs them on its finished blocks (./program-gemm.ts, POST_*).
 */
export function defineGelu(module: ModuleBuilder, addProduct: AddProduct) {
  const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
  const CUBIC = 0.044715;
  const forward = module.func("geluForward", { out: "i32", inp: "i32", n: "i32" }, { exported: true });
  forward.define((f, { out, inp, n }) => {
    const i = f.local("i32"),
      end = f.local("i32");
    const x = f.local("v128"),
      plus = f.local("v128"),
      minus = f.local("v128"),
      r = f.local("v128"),
      alive = f.local("v128");
    f.set(end, I32.shl(n, 2));
    f.forRange(i, 0, end, 16, () => {
      f.set(x, F32x4.load(I32.add(inp, i)));
      // 1. u = √(2/π)·(x + 0.044715·x³)   2. 0.5·x·(1 + tanh u)
      const u = F32x4.mul(F32x4.c(SQRT_2_OVER_PI), addProduct(x, F32x4.c(CUBIC), F32x4.mul(x, F32x4.mul(x, x))));
      emitOnePlusMinusTanh(f, u, plus, minus, r, alive, addProduct);
      f.store(I32.add(out, i), F32x4.mul(F32x4.mul(F32x4.c(0.5), x), plus));
    });
  });

  const backward = module.func("geluBackward", { dinp: "i32", inp: "i32", dout: "i32", n: "i32" }, { exported: true });
  backward.define((f, { dinp, inp, dout, n }) => {
    const i = f.local("i32"),
      end = f.local("i32");
    const x = f.local("v128"),
      plus = f.local("v128"),
      minus = f.local("v128"),
      r = f.local("v128"),
      slope = f.local("v128"),
      alive = f.local("v128");
    f.set(end, I32.shl(n, 2));
    f.forRange(i, 0, end, 16, () => {
      f.set(x, F32x4.load(I32.add(inp, i)));
      const u = F32x4.mul(F32x4.c(SQRT_2_OVER_PI), addProduct(x, F32x4.c(CUBIC), F32x4.mul(x, F32x4.mul(x, x))));
      emitOnePlusMinusTanh(f, u, plus, minus, r, alive, addProduct);
      // du/dx = √(2/π)·(1 + 3·0.044715·x²);  slope = 0.5·(1 + tanh) + 0.5·x·(1 − tanh²)·du/dx
      // (beyond |x| = 30, 1 − t² is exactly 0 in float32: x is clamped so x·du/dx stays finite)
      f.set(x, F32x4.pmin(F32x4.pmax(x, F32x4.c(-30)), F32x4.c(30)));
      const dudx = F32x4.mul(F32x4.c(SQRT_2_OVER_PI), addProduct(F32x4.c(1), F32x4.c(3 * CUBIC), F32x4.mul(x, x)));
      f.set(slope, addProduct(F32x4.mul(F32x4.c(0.5), plus), F32x4.mul(F32x4.mul(F32x4.c(0.5), x), F32x4.mul(plus, minus)), dudx));
      f.store(I32.add(dinp, i), F32x4.mul(slope, F32x4.load(I32.add(dout, i))));
    });
  });
  return { forward, backward };
}
