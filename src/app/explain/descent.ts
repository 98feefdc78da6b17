/**
 * `gradient-descent` and `learning-rate`: a real 2-D slice of the loss surface.
 *
 * Two parameters vary, all others stay fixed: the gains (scale factors) of two channels of
 * the final LayerNorm `transformer.ln_f.weight`. They sit just before the output head, which
 * makes the slice exact AND cheap to evaluate: with x̂ the normalised input of ln_f, changing
 * gain c by d adds d · x̂[n,c] · wte[v,c] to every logit, so
 *
 *   logits(d1, d2)[n, v] = logits[n, v] + d1·A1[n, v] + d2·A2[n, v],   Ai[n, v] = x̂[n, ci]·wte[v, ci]
 *   loss(d1, d2)        = mean_n ( logsumexp_v logits(d)[n, ·] − logits(d)[n, target_n] )
 *
 * (the tests check this against the model's own forward pass with the weights really set).
 * The loss is convex in (d1, d2), so its slice is a bowl; gradient descent walks it with three
 * learning rates chosen from the bowl's curvature λ (the largest Hessian eigenvalue): plain
 * gradient descent is stable below 2/λ and overshoots above it.
 *
 *   1. one forward pass over the text (its first MANY_PASSES_TOKENS tokens); pick the two
 *      channels along which the loss curves most
 *   2. find the slice's lowest point (Newton's method)
 *   3. start at the model's own values, or up the valley's side if those are already at the
 *      bottom; λ = the largest curvature between start and bottom; rates 0.15/λ, 1/λ and
 *      > 2/λ (raised until that walk's loss really rises at some step)
 *   4. the loss on a grid around start and bottom for the contour map
 */
import type { ModelHandle } from "../model-handle.ts";
import { renderContours } from "../../render/explain-contours.ts";
import type { DescentFacts, DescentKind, DescentPathFacts, DescentPictureWords } from "../../explain/facts.ts";
import { rate } from "../../explain/format.ts";
import { MANY_PASSES_TOKENS, textOr, textWindow } from "./common.ts";

export const DESCENT_STEPS = 12;
export const GRID_SIZE = 41;
/** How far (× the gains' size) the search for the slice's lowest point may go. */
const MAX_REACH = 60;
/** Below this loss difference the model's own point counts as "already at the bottom". */
const MIN_DROP = 0.02;

export interface SlicePoint {
  loss: number;
  grad: [number, number];
  hess: [number, number, number]; // h11, h12, h22
}

export interface DescentPath {
  kind: DescentKind;
  lr: number;
  /** absolute gain values after 0 … DESCENT_STEPS steps */
  points: [number, number][];
  losses: number[];
}

export interface DescentSlice {
  sentence: string;
  channels: [number, number];
  /** the model's real gains for the two channels */
  base: [number, number];
  /** loss at absolute gains (g1, g2) */
  lossAt(g1: number, g2: number): number;
  /** loss, gradient and Hessian at absolute gains */
  evaluate(g1: number, g2: number): SlicePoint;
  minimum: [number, number];
  minLoss: number;
  modelLoss: number;
  start: [number, number];
  /** whether the walks start at the model's own values (else beside the valley's bottom) */
  startIsModel: boolean;
  curvature: number;
  paths: DescentPath[];
  grid: { xs: number[]; ys: number[]; values: Float64Array };
}

/** Eigenvalues (ascending) and the unit eigenvector of the larger one, of [[a, b], [b, c]]. */
function eigen2(a: number, b: number, c: number): { small: number; large: number; vLarge: [number, number]; vSmall: [number, number] } {
  const mean = (a + c) / 2;
  const r = Math.hypot((a - c) / 2, b);
  const large = mean + r;
  const small = mean - r;
  let v: [number, number] = Math.abs(b) > 1e-15 ? [large - c, b] : a >= c ? [1, 0] : [0, 1];
  const len = Math.hypot(v[0], v[1]);
  v = [v[0] / len, v[1] / len];
  return { small, large, vLarge: v, vSmall: [-v[1], v[0]] };
}

export function descentSlice(handle: ModelHandle, text: string): DescentSlice {
  const model = handle.model;
  const { nEmbd: C, vocabSize: V, nLayer: L } = model.config;
  const w = textWindow(handle, text, MANY_PASSES_TOKENS);
  const T = w.T;
  if (T < 1) throw new Error("the text has no tokens to predict");

  // 1. one forward pass; the normalised input x̂ of ln_f, the logits and the probabilities
  model.forward(w.x, 1, T, w.y);
  const a = model.activations!;
  const resid = L > 0 ? a.layers[L - 1].residual3 : a.encoded;
  const xhat = new Float64Array(T * C);
  for (let n = 0; n < T; n++) for (let c = 0; c < C; c++) xhat[n * C + c] = (resid[n * C + c] - a.lnfMean[n]) * a.lnfRstd[n];
  const logits = Float64Array.from(a.logits);
  const probs = a.probs;
  const wte = model.views.wte;
  const targets = Array.from(w.y);

  // the two channels with the largest curvature of the loss along their gain
  const curvature = new Float64Array(C);
  for (let n = 0; n < T; n++) {
    const m1 = new Float64Array(C);
    const m2 = new Float64Array(C);
    for (let v = 0; v < V; v++) {
      const p = probs[n * V + v];
      if (p < 1e-12) continue;
      for (let c = 0; c < C; c++) {
        const s = xhat[n * C + c] * wte[v * C + c];
        m1[c] += p * s;
        m2[c] += p * s * s;
      }
    }
    for (let c = 0; c < C; c++) curvature[c] += (m2[c] - m1[c] * m1[c]) / T;
  }
  const order = Array.from({ length: C }, (_, c) => c).sort((p, q) => curvature[q] - curvature[p] || p - q);
  const channels: [number, number] = [Math.min(order[0], order[1]), Math.max(order[0], order[1])];
  const base: [number, number] = [model.views.lnfw[channels[0]], model.views.lnfw[channels[1]]];
  const A1 = new Float64Array(T * V);
  const A2 = new Float64Array(T * V);
  for (let n = 0; n < T; n++) {
    for (let v = 0; v < V; v++) {
      A1[n * V + v] = xhat[n * C + channels[0]] * wte[v * C + channels[0]];
      A2[n * V + v] = xhat[n * C + channels[1]] * wte[v * C + channels[1]];
    }
  }

  // 2. the slice: loss, gradient, Hessian at absolute gains
  const row = new Float64Array(V);
  const evaluate = (g1: number, g2: number, needDerivatives = true): SlicePoint => {
    const d1 = g1 - base[0];
    const d2 = g2 - base[1];
    let loss = 0;
    let gr1 = 0,
      gr2 = 0,
      h11 = 0,
      h12 = 0,
      h22 = 0;
    for (let n = 0; n < T; n++) {
      const o = n * V;
      let max = -Infinity;
      for (let v = 0; v < V; v++) {
        row[v] = logits[o + v] + d1 * A1[o + v] + d2 * A2[o + v];
        if (row[v] > max) max = row[v];
      }
      let sum = 0;
      for (let v = 0; v < V; v++) {
        row[v] = Math.exp(row[v] - max);
        sum += row[v];
      }
      const t = targets[n];
      const rowTarget = logits[o + t] + d1 * A1[o + t] + d2 * A2[o + t];
      loss += Math.log(sum) + max - rowTarget;
      if (!needDerivatives) continue;
      let e1 = 0,
        e2 = 0,
        e11 = 0,
        e12 = 0,
        e22 = 0;
      for (let v = 0; v < V; v++) {
        const p = row[v] / sum;
        const x1 = A1[o + v];
        const x2 = A2[o + v];
        e1 += p * x1;
        e2 += p * x2;
        e11 += p * x1 * x1;
        e12 += p * x1 * x2;
        e22 += p * x2 * x2;
      }
      gr1 += e1 - A1[o + t];
      gr2 += e2 - A2[o + t];
      h11 += e11 - e1 * e1;
      h12 += e12 - e1 * e2;
      h22 += e22 - e2 * e2;
    }
    return { loss: loss / T, grad: [gr1 / T, gr2 / T], hess: [h11 / T, h12 / T, h22 / T] };
  };
  const lossAt = (g1: number, g2: number) => evaluate(g1, g2, false).loss;

  // Newton's method with a backtracking line search and a step cap (the bowl may be very flat)
  let point: [number, number] = [...base];
  let current = evaluate(point[0], point[1]);
  const reach = MAX_REACH * Math.max(1, Math.abs(base[0]), Math.abs(base[1]));
  for (let iter = 0; iter < 60; iter++) {
    const [g1, g2] = current.grad;
    if (Math.hypot(g1, g2) < 1e-10) break;
    const [h11, h12, h22] = current.hess;
    const ridge = 1e-12 + 1e-9 * (h11 + h22);
    const det = (h11 + ridge) * (h22 + ridge) - h12 * h12;
    let step: [number, number] = det > 0 ? [-((h22 + ridge) * g1 - h12 * g2) / det, -(-h12 * g1 + (h11 + ridge) * g2) / det] : [-g1, -g2];
    // stay within `reach` of the model's values
    const room = reach - Math.hypot(point[0] - base[0], point[1] - base[1]);
    const length = Math.hypot(step[0], step[1]);
    if (room <= 1e-12) break;
    if (length > room) step = [(step[0] * room) / length, (step[1] * room) / length];
    let t = 1;
    let next = evaluate(point[0] + step[0], point[1] + step[1]);
    while (next.loss > current.loss && t > 1e-4) {
      t /= 2;
      next = evaluate(point[0] + t * step[0], point[1] + t * step[1]);
    }
    if (next.loss > current.loss) break;
    point = [point[0] + t * step[0], point[1] + t * step[1]];
    const improvement = current.loss - next.loss;
    current = next;
    if (improvement < 1e-13) break;
  }
  const minimum = point;
  const atMin = current;
  const modelLoss = lossAt(base[0], base[1]);

  // 3. the start: the model's own values, unless they are already at the bottom of this slice;
  //    then a point up the valley's side where the loss is ~0.3 higher (quadratic estimate)
  let start: [number, number] = base;
  const startIsModel = modelLoss - atMin.loss >= MIN_DROP;
  if (!startIsModel) {
    const eig = eigen2(atMin.hess[0], atMin.hess[1], atMin.hess[2]);
    const angle = (35 * Math.PI) / 180;
    const u: [number, number] = [
      Math.cos(angle) * eig.vSmall[0] + Math.sin(angle) * eig.vLarge[0],
      Math.cos(angle) * eig.vSmall[1] + Math.sin(angle) * eig.vLarge[1],
    ];
    const along = atMin.hess[0] * u[0] * u[0] + 2 * atMin.hess[1] * u[0] * u[1] + atMin.hess[2] * u[1] * u[1];
    const cap = 2 * Math.max(1, Math.abs(base[0]), Math.abs(base[1]));
    const radius = Math.min(cap, Math.sqrt((2 * 0.3) / Math.max(along, 1e-12)));
    start = [minimum[0] + radius * u[0], minimum[1] + radius * u[1]];
  }
  const atStart = evaluate(start[0], start[1]);
  // the largest curvature anywhere between the start and the bottom
  let lambda = 1e-12;
  for (let k = 0; k <= 5; k++) {
    const f = k / 5;
    const at = evaluate(start[0] + f * (minimum[0] - start[0]), start[1] + f * (minimum[1] - start[1]));
    lambda = Math.max(lambda, eigen2(at.hess[0], at.hess[1], at.hess[2]).large);
  }

  const walk = (kind: DescentKind, lr: number): DescentPath => {
    const points: [number, number][] = [start];
    const losses = [atStart.loss];
    let p = start;
    let here = atStart;
    for (let s = 0; s < DESCENT_STEPS; s++) {
      p = [p[0] - lr * here.grad[0], p[1] - lr * here.grad[1]];
      here = evaluate(p[0], p[1]);
      points.push(p);
      losses.push(here.loss);
    }
    return { kind, lr, points, losses };
  };
  const nice = (x: number) => Number(x.toPrecision(2));
  const small = walk("small", nice(0.15 / lambda));
  const good = walk("good", nice(1 / lambda));
  let large = walk("large", nice(2.5 / lambda));
  for (let factor = 2.5 * 1.5; firstRise(large.losses) === null && factor < 200; factor *= 1.5)
    large = walk("large", nice(factor / lambda));

  // 4. the grid: a square around the start and the bottom, with some room
  const centre: [number, number] = [(start[0] + minimum[0]) / 2, (start[1] + minimum[1]) / 2];
  const spread = Math.max(Math.abs(start[0] - minimum[0]), Math.abs(start[1] - minimum[1]));
  const half = Math.max(0.5 * spread * 1.5, 0.6 * Math.hypot(start[0] - minimum[0], start[1] - minimum[1]), 1e-3);
  const xs = Array.from({ length: GRID_SIZE }, (_, i) => centre[0] - half + (2 * half * i) / (GRID_SIZE - 1));
  const ys = Array.from({ length: GRID_SIZE }, (_, j) => centre[1] - half + (2 * half * j) / (GRID_SIZE - 1));
  const values = new Float64Array(GRID_SIZE * GRID_SIZE);
  for (let j = 0; j < GRID_SIZE; j++) for (let i = 0; i < GRID_SIZE; i++) values[j * GRID_SIZE + i] = lossAt(xs[i], ys[j]);

  return {
    sentence: w.text,
    channels,
    base,
    lossAt,
    evaluate: (g1, g2) => evaluate(g1, g2),
    minimum,
    minLoss: atMin.loss,
    modelLoss,
    start,
    startIsModel,
    curvature: lambda,
    paths: [small, good, large],
    grid: { xs, ys, values },
  };
}

/** The first step (1-based) whose loss is above the one before, or null. */
export function firstRise(losses: readonly number[]): number | null {
  for (let i = 1; i < losses.length; i++) if (losses[i] > losses[i - 1] + 1e-12) return i;
  return null;
}

export function descentFacts(handle: ModelHandle, slice: DescentSlice): DescentFacts {
  const paths: DescentPathFacts[] = slice.paths.map((p) => ({ kind: p.kind, lr: p.lr, losses: p.losses, firstRise: firstRise(p.losses) }));
  const name = (c: number) => `transformer.ln_f.weight[${c}]`;
  return {
    sentence: slice.sentence,
    params: handle.model.params.length,
    channels: slice.channels,
    paramNames: [name(slice.channels[0]), name(slice.channels[1])],
    start: slice.start,
    startIsModel: slice.startIsModel,
    modelPoint: slice.base,
    minimum: slice.minimum,
    minLoss: slice.minLoss,
    modelLoss: slice.modelLoss,
    steps: DESCENT_STEPS,
    curvature: slice.curvature,
    paths,
  };
}

export function computeSlice(handle: ModelHandle, text: string | undefined, fallback: string): DescentSlice {
  return descentSlice(handle, textOr(text, fallback));
}

export function contoursPicture(slice: DescentSlice, words: DescentPictureWords): Promise<Buffer> {
  const { grid } = slice;
  const inView = (p: [number, number]) =>
    p[0] >= grid.xs[0] && p[0] <= grid.xs[grid.xs.length - 1] && p[1] >= grid.ys[0] && p[1] <= grid.ys[grid.ys.length - 1];
  return renderContours({
    title: words.title,
    subtitle: words.subtitle,
    mapHeading: words.mapHeading,
    xLabel: words.xLabel,
    yLabel: words.yLabel,
    grid,
    paths: slice.paths.map((p) => ({ label: words.pathLabel(p.kind, rate(p.lr)), points: p.points, losses: p.losses })),
    markers: [
      ...(inView(slice.base) && !slice.startIsModel
        ? [{ x: slice.base[0], y: slice.base[1], label: words.model, kind: "model" as const }]
        : []),
      { x: slice.minimum[0], y: slice.minimum[1], label: words.minimum, kind: "minimum" as const },
      { x: slice.start[0], y: slice.start[1], label: words.start, kind: "start" as const },
    ],
    lossChart: { heading: words.chartHeading, xLabel: words.chartX, yLabel: words.chartY },
    shadeLegend: { low: words.low, high: words.high },
    notes: words.notes,
  });
}
