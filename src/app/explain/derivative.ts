/**
 * `derivative`: one real parameter's derivative, three ways.
 *
 *   1. back-propagation: zeroGrad, forward with targets, backward, read grads[index]
 *   2. forward difference (L(w+h) − L(w)) / h
 *   3. central difference (L(w+h) − L(w−h)) / 2h
 *
 * for h = 1e-1 … 1e-10, all in the model's own float32: the estimates converge towards the
 * back-propagated value, then fall apart once h is so small that rounding swamps the change
 * of the loss (w + h is even the same float32 number as w for the smallest h). The weight is
 * put back exactly afterwards (the original float32 value is kept and written back).
 */
import { paramSpecs } from "../../model/params.ts";
import { renderDerivative } from "../../render/explain-derivative.ts";
import type { DerivativeFacts } from "../../explain/facts.ts";
import type { ModelHandle } from "../model-handle.ts";
import { MANY_PASSES_TOKENS, median, textOr, textWindow, type TopicComputer } from "./common.ts";

/** Steps drawn in the error picture: every half decade from 1e-1 to 1e-10. */
export const PICTURE_STEPS = Array.from({ length: 19 }, (_, k) => Number((10 ** (-1 - k / 2)).toPrecision(12)));
/** Steps shown in the table: the whole decades among them. */
export const TABLE_STEPS = PICTURE_STEPS.filter((_, k) => k % 2 === 0);

/**
 * The tolerance the tests hold the float32 central difference at h = 1e-3 to: 2 % relative.
 * Its own error is ~h²·L'''/6 (tiny) plus float32 rounding of the loss, about
 * 1e-7·L / h ≈ 3e-4 absolute for L ≈ 3; on the largest gradient entry of a layer that stays
 * well under 2 %.
 */
export const CENTRAL_TOLERANCE = 0.02;

export interface DerivativeNumbers {
  /** the part of the text used */
  sentence: string;
  /** index into model.params / model.grads */
  index: number;
  name: string;
  row: number;
  col: number;
  value: number;
  loss: number;
  backprop: number;
  /** per h in TABLE_STEPS then PICTURE_STEPS order: see `table` and `picture` */
  table: { h: number; forward: number; central: number }[];
  picture: { h: number; forward: number; central: number }[];
  /** the loss as the weight moves: [w, L] */
  slice: [number, number][];
  forwardSeconds: number;
  backwardSeconds: number;
}

/** The layer whose c_attn weight is used (layer 0: the first attention). */
const LAYER = 0;

/** A forward pass slower than this (ms) means fewer extra passes for the picture. */
const SLOW_FORWARD_MS = 15;

/** Points on the loss-vs-weight curve. */
const SLICE_POINTS = 17;

/** Half-width of the loss-vs-weight picture, in units of the weight. */
function sliceHalfWidth(value: number): number {
  return Math.max(0.5, 4 * Math.abs(value));
}

export function derivativeNumbers(handle: ModelHandle, text: string): DerivativeNumbers {
  const model = handle.model;
  const w = textWindow(handle, text, MANY_PASSES_TOKENS);
  if (w.T < 1) throw new Error("the text has no tokens to predict");
  const name = `transformer.h.${LAYER}.attn.c_attn.weight`;
  const spec = paramSpecs(model.config).find((s) => s.name === name);
  if (!spec) throw new Error(`the model has no ${name}`);

  // 1. back-propagation: every gradient in one backward pass
  model.zeroGrad();
  const t0 = performance.now();
  const loss = model.forward(w.x, 1, w.T, w.y).loss!;
  const firstForward = performance.now() - t0;
  model.backward();
  const backwardSeconds = (performance.now() - t0) / 1000;
  let index = spec.offset;
  for (let i = spec.offset; i < spec.offset + spec.size; i++) {
    if (Math.abs(model.grads[i]) > Math.abs(model.grads[index])) index = i;
  }
  const backprop = model.grads[index];
  const params = model.params;
  const original = params[index];

  // 2–3. finite differences in float32, the weight restored exactly after each pair
  const times: number[] = [firstForward];
  const lossWith = (value: number): number => {
    params[index] = value;
    const start = performance.now();
    const l = model.forward(w.x, 1, w.T, w.y).loss!;
    times.push(performance.now() - start);
    return l;
  };
  const differences = (h: number) => {
    const above = lossWith(original + h);
    const below = lossWith(original - h);
    return { h, forward: (above - loss) / h, central: (above - below) / (2 * h) };
  };
  let table: DerivativeNumbers["table"];
  let picture: DerivativeNumbers["picture"];
  let slice: [number, number][];
  try {
    // a slow model (a big preset) gets the whole decades only and a coarser curve
    const first = differences(PICTURE_STEPS[0]);
    const slow = times[times.length - 1] > SLOW_FORWARD_MS;
    picture = [first, ...(slow ? TABLE_STEPS : PICTURE_STEPS).slice(1).map(differences)];
    table = slow ? picture : picture.filter((_, k) => k % 2 === 0);
    const half = sliceHalfWidth(original);
    const points = slow ? 9 : SLICE_POINTS;
    slice = Array.from({ length: points }, (_, k) => {
      const value = original - half + (2 * half * k) / (points - 1);
      return [value, lossWith(value)] as [number, number];
    });
  } finally {
    params[index] = original;
  }
  const size = spec.shape[1];
  const offsetInTensor = index - spec.offset;
  return {
    sentence: w.text,
    index,
    name,
    row: Math.floor(offsetInTensor / size),
    col: offsetInTensor % size,
    value: original,
    loss,
    backprop,
    table,
    picture,
    slice,
    forwardSeconds: median(times) / 1000,
    backwardSeconds,
  };
}

export const explainDerivative: TopicComputer<"derivative"> = ({ handle, texts, text }) => {
  const sentence = textOr(text, texts.defaults.sentence);
  const n = derivativeNumbers(handle, sentence);
  const params = handle.model.params.length;
  const C = handle.model.config.nEmbd;
  const at1e3 = n.table.find((r) => r.h === 1e-3)!;
  const facts: DerivativeFacts = {
    sentence: n.sentence,
    loss: n.loss,
    paramName: n.name,
    row: n.row,
    col: n.col,
    part: n.row < C ? "query" : n.row < 2 * C ? "key" : "value",
    layer: LAYER,
    value: n.value,
    backprop: n.backprop,
    rows: n.table,
    params,
    forwardSeconds: n.forwardSeconds,
    backwardSeconds: n.backwardSeconds,
    numericalSeconds: 2 * params * n.forwardSeconds,
    centralErrorAt1e3: Math.abs(at1e3.central - n.backprop) / Math.abs(n.backprop),
    smallestStepVanishes: Math.fround(n.value + TABLE_STEPS[TABLE_STEPS.length - 1]) === n.value,
  };
  const relError = (estimate: number) => Math.abs(estimate - n.backprop) / Math.abs(n.backprop);
  return {
    facts,
    async render(words) {
      const png = await renderDerivative({
        title: words.title,
        subtitle: words.subtitle,
        slice: {
          heading: words.sliceHeading,
          xLabel: words.sliceX,
          yLabel: words.sliceY,
          points: n.slice,
          w0: n.value,
          loss0: n.loss,
          slope: n.backprop,
          curveLabel: words.curve,
          tangentLabel: words.tangent,
          pointLabel: words.point,
        },
        errors: {
          heading: words.errorHeading,
          xLabel: words.errorX,
          yLabel: words.errorY,
          forward: n.picture.map((r) => [r.h, relError(r.forward)]),
          central: n.picture.map((r) => [r.h, relError(r.central)]),
          forwardLabel: words.forward,
          centralLabel: words.central,
        },
        notes: words.notes,
      });
      return [{ name: "derivative.png", png }];
    },
  };
};
