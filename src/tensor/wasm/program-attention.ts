/**
 * The attention kernels for ./program.ts: causal multi-head attention forward and backward
 * (`attnForward`, `attnBackward`), one new query over a KV cache (`attnStep`), and the logits'
 * softmax (`softmaxRows`), which shares the attention row's softmax (emitSoftmax).
 * ../attention.ts, ../attention-step.ts and ../crossentropy.ts are the readable references.
 */
import { type Expr, F32, F32x4, type FunctionBuilder, I32, type Local, type ModuleBuilder, type ValType } from "./assembler.ts";
import { type AddProduct, emitExp, emitExp4 } from "./program-exp.ts";

/** Scratch locals of emitSoftmax: f32 score, sum, e, n, r, inv; i32 t2; v128 acc[0…3], w and dead. */
interface SoftmaxLocals {
  t2: Local;
  score: Local;
  sum: Local;
  e: Local;
  n: Local;
  r: Local;
  inv: Local;
  acc: Local[];
  w: Local;
  dead: Local;
}

/**
 * weights[0…count) = e^(scores − max) / Σ e^(scores − max), for `count` floats at byte addresses
 * `scores` and `weights` (may be the same) whose largest is `max`: the exponentials four at a
 * time, then one (each the same float either way); summed in float32, four lanes apart (lane j
 * sums the exponentials of the groups' jth keys), the lanes as F32x4.sum adds them, then the
 * last count mod 4 one by one.
 */
function emitSoftmax(
  f: FunctionBuilder<Record<string, ValType>>,
  scores: Local,
  weights: Local,
  count: Expr,
  max: Local,
  { t2, score, sum, e, n, r, inv, acc, w, dead }: SoftmaxLocals,
): void {
  const scoreAt = I32.add(scores, I32.shl(t2, 2));
  const weightAt = I32.add(weights, I32.shl(t2, 2));
  // 1. e^(score − max), and their sum (acc[1]: max in four lanes; acc[0]: the four lanes' sums)
  f.set(acc[1], F32x4.splat(max));
  f.set(acc[0], F32x4.zero());
  f.set(t2, 0);
  f.whileLoop(I32.leS(I32.add(t2, 4), count), () => {
    f.set(w, F32x4.sub(F32x4.load(scoreAt), acc[1]));
    emitExp4(f, w, acc[2], acc[3], dead);
    f.store(weightAt, acc[2]);
    f.set(acc[0], F32x4.add(acc[0], acc[2]));
    f.inc(t2, 4);
  });
  f.set(sum, F32x4.sum(acc[0]));
  f.whileLoop(I32.ltS(t2, count), () => {
    f.set(score, F32.sub(F32.load(scoreAt), max));
    emitExp(f, score, e, n, r);
    f.store(weightAt, e);
    f.set(sum, F32.add(sum, e));
    f.inc(t2, 1);
  });
  // 2. each divided by the sum (times its reciprocal)
  f.set(inv, F32.div(F32.c(1), sum));
  f.set(acc[1], F32x4.splat(inv));
  f.set(t2, 0);
  f.whileLoop(I32.leS(I32.add(t2, 4), count), () => {
    f.store(weightAt, F32x4.mul(F32x4.load(weightAt), acc[1]));
    f.inc(t2, 4);
  });
  f.whileLoop(I32.ltS(t2, count), () => {
    f.store(weightAt, F32.mul(F32.load(weightAt), inv));
    f.inc(t2, 1);
  });
}

/**
 * The four sums of acc[0…3]'s lanes as one vector, each added as F32x4.sum adds its lanes,
 * (lane0 + lane1) + (lane2 + lane3): first [a0+a1, a2+a3, b0+b1, b2+b3] into acc[0] and the
 * same of c, d into acc[2], then their halves' sums (the returned expression).
 */
function fourSums(f: FunctionBuilder<Record<string, ValType>>, acc: Local[]): Expr {
  const pairSums = (x: Local, y: Local) => F32x4.add(F32x4.shuffle(x, y, [0, 2, 4, 6]), F32x4.shuffle(x, y, [1, 3, 5, 7]));
  f.set(acc[0], pairSums(acc[0], acc[1]));
  f.set(acc[2], pairSums(acc[2], acc[3]));
  return pairSums(acc[0], acc[2]);
}

/**
 * softmaxRows(probs, logits, rows, V): probs[r,:] = softmax(logits[r,:]) for `rows` rows of V
 * floats (../crossentropy.ts's softmaxForward): 1. the row's max, four at a time then one,
 * 2. emitSoftmax.
 */
export function defineSoftmax(module: ModuleBuilder): void {
  const softmax = module.func("softmaxRows", { probs: "i32", logits: "i32", rows: "i32", V: "i32" }, { exported: true });
  softmax.define((f, { probs, logits, rows, V }) => {
    const row = f.local("i32"),
      src = f.local("i32"),
      dst = f.local("i32"),
      t2 = f.local("i32");
    const max = f.local("f32"),
      score = f.local("f32"),
      sum = f.local("f32"),
      e = f.local("f32");
    const n = f.local("f32"),
      r = f.local("f32"),
      inv = f.local("f32");
    const acc = Array.from({ length: 4 }, () => f.local("v128")),
      w = f.local("v128"),
      dead = f.local("v128");
    f.set(src, logits);
    f.set(dst, probs);
    f.forRange(row, 0, rows, 1, () => {
      // 1. max
      f.set(w, F32x4.splat(F32.c(-Infinity)));
      f.set(t2, 0);
      f.whileLoop(I32.leS(I32.add(t2, 4), V), () => {
        f.set(w, F32x4.max(w, F32x4.load(I32.add(src, I32.shl(t2, 2)))));
        f.inc(t2, 4);
      });
      f.set(
        max,
        F32.max(F32.max(F32x4.extractLane(w, 0), F32x4.extractLane(w, 1)), F32.max(F32x4.extractLane(w, 2), F32x4.extractLane(w, 3))),
      );
      f.whileLoop(I32.ltS(t2, V), () => {
        f.set(max, F32.max(max, F32.load(I32.add(src, I32.shl(t2, 2)))));
        f.inc(t2, 1);
      });
      // 2. the softmax
      emitSoftmax(f, src, dst, V, max, { t2, score, sum, e, n, r, inv, acc, w, dead });
      f.inc(src, I32.shl(V, 2));
      f.inc(dst, I32.shl(V, 2));
    });
  });
}

/** Where one attention row reads and writes (byte addresses and strides), and its scratch locals. */
interface AttentionRow {
  /** this row's query (HS floats) */
  q: Local;
  /** the first key and value of this head; rows `stride` bytes apart */
  keys: Expr;
  values: Expr;
  stride: Local;
  /** how many keys: positions 0 … count−1 */
  count: Expr;
  /** the scaled scores and the softmaxed weights (count floats each; may be the same row) */
  scores: Local;
  weights: Local;
  /** the row's output (HS floats) */
  out: Local;
  HSb: Local;
  scale: Local;
  tmp: {
    key: Local;
    value: Local;
    t2: Local;
    i: Local;
    max: Local;
    score: Local;
    sum: Local;
    e: Local;
    n: Local;
    r: Local;
    inv: Local;
    /** four v128 */
    acc: Local[];
    w: Local;
    /** v128: the running max of the four-key groups' scores */
    top: Local;
  };
}

/**
 * One query's attention, the reference's three steps with f32x4 along the head's channels:
 *   1. scores[t2] = q·k_t2 / √HS, and their max (four keys at a time, then one)
 *   2. weights = softmax(scores) (exponentials four at a time, summed in t2's order)
 *   3. out = Σ_t2 weights[t2]·v_t2, 16 channels at a time, then 4
 * attnForward runs it for every (b, t, h), attnStep for the one new query: the same
 * instructions, so a cached step gives the full pass's floats. Each score and weight is the
 * same float whether its key went in a group of four or alone.
 */
function emitAttentionRow(f: FunctionBuilder<Record<string, ValType>>, row: AttentionRow, addProduct: AddProduct): void {
  const { q, stride, count, scores, weights, out, HSb, scale } = row;
  const { key, value, t2, i, max, score, sum, e, n, r, inv, acc, w, top } = row.tmp;
  const scoreAt = (k: number) => I32.add(scores, I32.shl(I32.add(t2, k), 2));
  // 1. scores and their max: four keys (`key`, +stride, +2·stride, +3·stride) share each q load
  f.set(max, F32.c(-Infinity));
  f.set(top, F32x4.splat(F32.c(-Infinity)));
  f.set(key, row.keys);
  f.set(t2, 0);
  f.whileLoop(I32.leS(I32.add(t2, 4), count), () => {
    for (const a of acc) f.set(a, F32x4.zero());
    f.forRange(i, 0, HSb, 16, () => {
      f.set(w, F32x4.load(I32.add(q, i)));
      f.set(value, I32.add(key, i));
      for (let k = 0; k < 4; k++) {
        f.set(acc[k], addProduct(acc[k], w, F32x4.load(value)));
        if (k < 3) f.inc(value, stride);
      }
    });
    f.set(acc[1], F32x4.mul(fourSums(f, acc), F32x4.splat(scale)));
    f.store(scoreAt(0), acc[1]);
    f.set(top, F32x4.pmax(top, acc[1]));
    f.inc(key, I32.shl(stride, 2));
    f.inc(t2, 4);
  });
  f.set(
    max,
    F32.max(F32.max(F32x4.extractLane(top, 0), F32x4.extractLane(top, 1)), F32.max(F32x4.extractLane(top, 2), F32x4.extractLane(top, 3))),
  );
  f.whileLoop(I32.ltS(t2, count), () => {
    f.set(acc[0], F32x4.zero());
    f.forRange(i, 0, HSb, 16, () => {
      f.set(acc[0], addProduct(acc[0], F32x4.load(I32.add(q, i)), F32x4.load(I32.add(key, i))));
    });
    f.set(score, F32.mul(F32x4.sum(acc[0]), scale));
    f.store(scoreAt(0), score);
    f.set(max, F32.max(max, score));
    f.inc(key, stride);
    f.inc(t2, 1);
  });
  // 2. softmax
  emitSoftmax(f, scores, weights, count, max, { t2, score, sum, e, n, r, inv, acc, w, dead: top });
  // 3. the weighted sum of the values
  f.set(i, 0);
  for (const width of [16, 4]) {
    const vectors = width / 4;
    f.whileLoop(I32.leS(I32.add(i, 4 * width), HSb), () => {
      for (let j = 0; j < vectors; j++) f.set(acc[j], F32x4.zero());
      f.set(value, I32.add(row.values, i));
      f.forRange(t2, 0, count, 1, () => {
        f.set(w, F32x4.loadSplat(I32.add(weights, I32.shl(t2, 2))));
        for (let j = 0; j < vectors; j++) f.set(acc[j], addProduct(acc[j], w, F32x4.load(value, 16 * j)));
        f.inc(value, stride);
      });
      for (let j = 0; j < vectors; j++) f.store(I32.add(out, i), acc[j], 16 * j);
      f.inc(i, 4 * width);
    });
  }
}

/**
 * Causal multi-head attention, the reference's math (../attention.ts) with f32x4 along the
 * head's channels. Sizes as there; HS = C/NH must be a multiple of 4. Byte strides: a token's
 * qkv row is 3C floats, its out/dout row C floats; row (b,h,t) of preatt/att/… is T floats.
 */
export function defineAttention(module: ModuleBuilder, addProduct: AddProduct): void {
  const sizes = { B: "i32", T: "i32", C: "i32", NH: "i32", HS: "i32", scale: "f32" } as const;

  // attnForward(out, preatt, att, qkv, B, T, C, NH, HS, scale, claims): batch rows in order, or
  //   claimed from the i32 counter at `claims` (see forClaimed) when several threads share them
  const forward = module.func(
    "attnForward",
    { out: "i32", preatt: "i32", att: "i32", qkv: "i32", ...sizes, claims: "i32" },
    { exported: true },
  );
  forward.define((f, { out, preatt, att, qkv, B, T, C, NH, HS, scale, claims }) => {
    const next = f.local("i32");
    const C3b = f.local("i32"),
      Cb = f.local("i32"),
      HSb = f.local("i32");
    const b = f.local("i32"),
      t = f.local("i32"),
      h = f.local("i32"),
      t2 = f.local("i32"),
      i = f.local("i32");
    const q = f.local("i32"),
      key = f.local("i32"),
      prow = f.local("i32"),
      arow = f.local("i32");
    const o = f.local("i32"),
      value = f.local("i32"),
      kbase = f.local("i32");
    const max = f.local("f32"),
      score = f.local("f32"),
      sum = f.local("f32"),
      e = f.local("f32");
    const n = f.local("f32"),
      r = f.local("f32"),
      inv = f.local("f32");
    const acc = Array.from({ length: 4 }, () => f.local("v128")),
      w = f.local("v128"),
      top = f.local("v128");
    f.set(C3b, I32.mul(C, 12));
    f.set(Cb, I32.shl(C, 2));
    f.set(HSb, I32.shl(HS, 2));
    f.forClaimed(b, B, 1, claims, next, () =>
      f.forRange(t, 0, T, 1, () =>
        f.forRange(h, 0, NH, 1, () => {
          f.set(kbase, I32.add(qkv, I32.add(I32.mul(I32.mul(b, T), C3b), I32.add(Cb, I32.mul(h, HSb)))));
          f.set(q, I32.add(I32.sub(kbase, Cb), I32.mul(t, C3b)));
          f.set(prow, I32.shl(I32.mul(I32.add(I32.mul(I32.add(I32.mul(b, NH), h), T), t), T), 2));
          f.set(arow, I32.add(att, prow));
          f.inc(prow, preatt);

          f.set(o, I32.add(out, I32.add(I32.mul(I32.add(I32.mul(b, T), t), Cb), I32.mul(h, HSb))));
          emitAttentionRow(
            f,
            {
              q,
              keys: kbase,
              values: I32.add(kbase, Cb),
              stride: C3b,
              count: I32.add(t, 1),
              scores: prow,
              weights: arow,
              out: o,
              HSb,
              scale,
              tmp: { key, value, t2, i, max, score, sum, e, n, r, inv, acc, w, top },
            },
            addProduct,
          );
          // the future is exactly 0 in both rows
          f.forRange(t2, I32.add(t, 1), T, 1, () => {
            f.store(I32.add(prow, I32.shl(t2, 2)), F32.c(0));
            f.store(I32.add(arow, I32.shl(t2, 2)), F32.c(0));
          });
        }),
      ),
    );
  });

  // attnBackward(dqkv, dpreatt, datt, dout, qkv, att, B, T, C, NH, HS, scale, claims): batch
  //   rows as in attnForward
  const backward = module.func(
    "attnBackward",
    {
      dqkv: "i32",
      dpreatt: "i32",
      datt: "i32",
      dout: "i32",
      qkv: "i32",
      att: "i32",
      ...sizes,
      claims: "i32",
    },
    { exported: true },
  );
  backward.define((f, { dqkv, dpreatt, datt, dout, qkv, att, B, T, C, NH, HS, scale, claims }) => {
    const next = f.local("i32");
    const C3b = f.local("i32"),
      Cb = f.local("i32"),
      HSb = f.local("i32");
    const b = f.local("i32"),
      t = f.local("i32"),
      h = f.local("i32"),
      t2 = f.local("i32"),
      i = f.local("i32");
    const qOff = f.local("i32"),
      kOff = f.local("i32"),
      d = f.local("i32"),
      row = f.local("i32");
    const at = f.local("i32"),
      x = f.local("i32"),
      dx = f.local("i32");
    const wd = f.local("f32"),
      a = f.local("f32");
    const acc = Array.from({ length: 4 }, () => f.local("v128"));
    const qv = Array.from({ length: 4 }, () => f.local("v128"));
    const w = f.local("v128"),
      dd = f.local("v128");
    f.set(C3b, I32.mul(C, 12));
    f.set(Cb, I32.shl(C, 2));
    f.set(HSb, I32.shl(HS, 2));
    f.forClaimed(b, B, 1, claims, next, () => {
      // 0. this batch row's dqkv [T, 3C] starts at 0: only its own tokens add to it
      f.fill(I32.add(dqkv, I32.mul(I32.mul(b, T), C3b)), 0, I32.mul(T, C3b));
      f.forRange(t, 0, T, 1, () =>
        f.forRange(h, 0, NH, 1, () => {
          // byte offsets inside qkv/dqkv: this token's query, key 0 of the batch row (value 0 is +Cb)
          f.set(kOff, I32.add(I32.mul(I32.mul(b, T), C3b), I32.add(Cb, I32.mul(h, HSb))));
          f.set(qOff, I32.add(I32.sub(kOff, Cb), I32.mul(t, C3b)));
          f.set(d, I32.add(dout, I32.add(I32.mul(I32.add(I32.mul(b, T), t), Cb), I32.mul(h, HSb))));
          f.set(row, I32.shl(I32.mul(I32.add(I32.mul(I32.add(I32.mul(b, NH), h), T), t), T), 2));

          // 3. datt[t2] = v_t2·dout_t;  dv_t2 += att[t2]·dout_t: four keys at a time (each dout
          //    load serves four), then one; each key's sums run in the same order either way
          f.set(t2, 0);
          f.whileLoop(I32.leS(I32.add(t2, 4), I32.add(t, 1)), () => {
            f.set(at, I32.add(I32.add(kOff, Cb), I32.mul(t2, C3b)));
            for (let k = 0; k < 4; k++) {
              f.set(qv[k], F32x4.loadSplat(I32.add(att, I32.add(row, I32.shl(I32.add(t2, k), 2)))));
              f.set(acc[k], F32x4.zero());
            }
            f.forRange(i, 0, HSb, 16, () => {
              f.set(dd, F32x4.load(I32.add(d, i)));
              f.set(x, I32.add(I32.add(qkv, at), i));
              f.set(dx, I32.add(I32.add(dqkv, at), i));
              for (let k = 0; k < 4; k++) {
                f.set(acc[k], addProduct(acc[k], F32x4.load(x), dd));
                f.store(dx, addProduct(F32x4.load(dx), qv[k], dd));
                if (k < 3) {
                  f.inc(x, C3b);
                  f.inc(dx, C3b);
                }
              }
            });
            f.store(I32.add(datt, I32.add(row, I32.shl(t2, 2))), fourSums(f, acc));
            f.inc(t2, 4);
          });
          f.whileLoop(I32.leS(t2, t), () => {
            f.set(at, I32.add(I32.add(kOff, Cb), I32.mul(t2, C3b)));
            f.set(x, I32.add(qkv, at));
            f.set(dx, I32.add(dqkv, at));
            f.set(w, F32x4.loadSplat(I32.add(att, I32.add(row, I32.shl(t2, 2)))));
            f.set(acc[0], F32x4.zero());
            f.forRange(i, 0, HSb, 16, () => {
              f.set(dd, F32x4.load(I32.add(d, i)));
              f.set(acc[0], addProduct(acc[0], F32x4.load(I32.add(x, i)), dd));
              f.store(I32.add(dx, i), addProduct(F32x4.load(I32.add(dx, i)), w, dd));
            });
            f.store(I32.add(datt, I32.add(row, I32.shl(t2, 2))), F32x4.sum(acc[0]));
            f.inc(t2, 1);
          });

          // 2. dpreatt[t2] = att[t2]·(datt[t2] − Σ att·datt): the sum in four lanes then one by
          //    one (no chain of dependent adds through the row), the rest four at a time
          f.set(acc[0], F32x4.zero());
          f.set(t2, 0);
          f.whileLoop(I32.leS(I32.add(t2, 4), I32.add(t, 1)), () => {
            f.set(at, I32.add(row, I32.shl(t2, 2)));
            f.set(acc[0], addProduct(acc[0], F32x4.load(I32.add(att, at)), F32x4.load(I32.add(datt, at))));
            f.inc(t2, 4);
          });
          f.set(wd, F32x4.sum(acc[0]));
          f.whileLoop(I32.leS(t2, t), () => {
            f.set(at, I32.add(row, I32.shl(t2, 2)));
            f.set(wd, F32.add(wd, F32.mul(F32.load(I32.add(att, at)), F32.load(I32.add(datt, at)))));
            f.inc(t2, 1);
          });
          f.set(w, F32x4.splat(wd));
          f.set(t2, 0);
          f.whileLoop(I32.leS(I32.add(t2, 4), I32.add(t, 1)), () => {
            f.set(at, I32.add(row, I32.shl(t2, 2)));
            f.store(I32.add(dpreatt, at), F32x4.mul(F32x4.load(I32.add(att, at)), F32x4.sub(F32x4.load(I32.add(datt, at)), w)));
            f.inc(t2, 4);
          });
          f.whileLoop(I32.leS(t2, t), () => {
            f.set(at, I32.add(row, I32.shl(t2, 2)));
            f.set(a, F32.load(I32.add(att, at)));
            f.store(I32.add(dpreatt, at), F32.mul(a, F32.sub(F32.load(I32.add(datt, at)), wd)));
            f.inc(t2, 1);
          });

          // 1. dq_t += Σ dpreatt[t2]/√HS · k_t2;  dk_t2 += dpreatt[t2]/√HS · q_t  (16 channels at a time, then 4)
          f.set(i, 0);
          for (const width of [16, 4]) {
            const vectors = width / 4;
            f.whileLoop(I32.leS(I32.add(i, 4 * width), HSb), () => {
              for (let j = 0; j < vectors; j++) {
                f.set(acc[j], F32x4.zero());
                f.set(qv[j], F32x4.load(I32.add(I32.add(qkv, qOff), i), 16 * j));
              }
              f.forRange(t2, 0, I32.add(t, 1), 1, () => {
                f.set(w, F32x4.splat(F32.mul(F32.load(I32.add(dpreatt, I32.add(row, I32.shl(t2, 2)))), scale)));
                f.set(at, I32.add(I32.add(kOff, I32.mul(t2, C3b)), i));
                f.set(x, I32.add(qkv, at));
                f.set(dx, I32.add(dqkv, at));
                for (let j = 0; j < vectors; j++) {
                  f.set(acc[j], addProduct(acc[j], w, F32x4.load(x, 16 * j)));
                  f.store(dx, addProduct(F32x4.load(dx, 16 * j), w, qv[j]), 16 * j);
                }
              });
              f.set(at, I32.add(I32.add(dqkv, qOff), i));
              for (let j = 0; j < vectors; j++) f.store(at, F32x4.add(F32x4.load(at, 16 * j), acc[j]), 16 * j);
              f.inc(i, 4 * width);
            });
          }
        }),
      );
    });
  });
}

/**
 * attnStep(out, att, q, keys, values, Tk, C, NH, HS, scale): attention of ONE new query over
 * cached keys and values (generation with a KV cache; ../attention-step.ts is the reference).
 * Rows of keys/values are C floats apart (not 3C as in qkv); att [NH, Tk] holds the scores,
 * then the weights. Every operation is attnForward's, in its order, for the last row: the
 * cached path gives the full pass's floats.
 */
export function defineAttentionStep(module: ModuleBuilder, addProduct: AddProduct): void {
  const step = module.func(
    "attnStep",
    {
      out: "i32",
      att: "i32",
      q: "i32",
      keys: "i32",
      values: "i32",
      Tk: "i32",
      C: "i32",
      NH: "i32",
      HS: "i32",
      scale: "f32",
    },
    { exported: true },
  );
  step.define((f, { out, att, q, keys, values, Tk, C, NH, HS, scale }) => {
    const Cb = f.local("i32"),
      HSb = f.local("i32"),
      h = f.local("i32"),
      t2 = f.local("i32"),
      i = f.local("i32");
    const qh = f.local("i32"),
      key = f.local("i32"),
      row = f.local("i32"),
      o = f.local("i32"),
      value = f.local("i32");
    const max = f.local("f32"),
      score = f.local("f32"),
      sum = f.local("f32"),
      e = f.local("f32");
    const n = f.local("f32"),
      r = f.local("f32"),
      inv = f.local("f32");
    const acc = Array.from({ length: 4 }, () => f.local("v128")),
      w = f.local("v128"),
      top = f.local("v128");
    f.set(Cb, I32.shl(C, 2));
    f.set(HSb, I32.shl(HS, 2));
    f.forRange(h, 0, NH, 1, () => {
      f.set(qh, I32.add(q, I32.mul(h, HSb)));
      f.set(row, I32.add(att, I32.shl(I32.mul(h, Tk), 2)));
      f.set(o, I32.add(out, I32.mul(h, HSb)));
      emitAttentionRow(
        f,
        {
          q: qh,
          keys: I32.add(keys, I32.mul(h, HSb)),
          values: I32.add(values, I32.mul(h, HSb)),
          stride: Cb,
          count: Tk,
          scores: row,
          weights: row,
          out: o,
          HSb,
          scale,
          tmp: { key, value, t2, i, max, score, sum, e, n, r, inv, acc, w, top },
        },
        addProduct,
      );
    });
  });
}
