/**
 * GELU in its exact form (PyTorch's nn.GELU(), which nanoGPT's MLP uses), for models that
 * were trained with it:
 *
 *   gelu(x) = x·Φ(x),   Φ(x) = ½·(1 + erf(x/√2))   (the standard normal's distribution)
 *
 * The engine's own models and GPT-2 use the tanh form (./gelu.ts); a model's config says which
 * (`gelu: "erf"`), and `withGelu` hands the model kernels that compute it.
 * Buffers are flat with N elements (N = B*T*4C in the MLP).
 */
import type { Kernels } from "./kernels.ts";
import type { FloatArray } from "./types.ts";

const INV_SQRT_2 = Math.SQRT1_2;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
/** beyond this, 1 − erf(z) < 2e-17: erf is 1 to double precision */
const ERF_SATURATES = 6;

/**
 * erf(x) to double precision, by the series whose terms are all positive (no cancellation):
 *   1. z = |x|;  erf(z) = (2/√π)·e^(−z²)·Σₙ tₙ,   t₀ = z,   tₙ₊₁ = tₙ·2z²/(2n + 3)
 *   2. the terms grow while 2z² > 2n + 3, then fall faster than geometrically: stop when one
 *      no longer changes the sum (about 30 terms for z < 2, the usual GELU inputs)
 *   3. erf is odd: erf(−x) = −erf(x)
 */
export function erf(x: number): number {
  const z = Math.abs(x);
  if (z >= ERF_SATURATES) return Math.sign(x);
  const twoZ2 = 2 * z * z;
  let term = z;
  let sum = z;
  for (let n = 0; term > sum * 1e-17; n++) {
    term *= twoZ2 / (2 * n + 3);
    sum += term;
  }
  const y = TWO_OVER_SQRT_PI * Math.exp(-z * z) * sum;
  return x < 0 ? -y : y;
}

/** out[N] = inp·Φ(inp) */
export function geluErfForward(out: FloatArray, inp: FloatArray, N: number): void {
  for (let i = 0; i < N; i++) {
    const x = inp[i];
    out[i] = 0.5 * x * (1 + erf(x * INV_SQRT_2));
  }
}

/**
 * dinp[N] = gelu'(inp)·dout (dinp may be dout), where by the product rule
 *   gelu'(x) = Φ(x) + x·φ(x),   φ(x) = e^(−x²/2) / √(2π)
 */
export function geluErfBackward(dinp: FloatArray, inp: FloatArray, dout: FloatArray, N: number): void {
  for (let i = 0; i < N; i++) {
    const x = inp[i];
    const slope = 0.5 * (1 + erf(x * INV_SQRT_2)) + x * INV_SQRT_2PI * Math.exp(-0.5 * x * x);
    dinp[i] = slope * dout[i];
  }
}

const ERF_SUFFIX = "+gelu-erf";

/** Which GELU a model's MLP computes (absent in a config: the tanh form). */
export type GeluForm = "tanh" | "erf";

/**
 * The kernels a model with `form` runs on: unchanged for the tanh form; for the exact form,
 * every GELU (the fused ones too: the product stays the backend's, the GELU is done after it).
 */
export function withGelu(kernels: Kernels, form: GeluForm | undefined): Kernels {
  if (form === undefined || form === "tanh" || kernels.name.endsWith(ERF_SUFFIX)) return kernels;
  const k = kernels;
  return {
    ...k,
    name: `${k.name}${ERF_SUFFIX}`,
    linearGeluForward: (out, geluOut, inp, weight, bias, N, IC, OC) => {
      k.linearForward(out, inp, weight, bias, N, IC, OC);
      geluErfForward(geluOut, out, N * OC);
    },
    linearGeluBackward: (dpre, dweight, dbias, dout, inp, weight, pre, N, IC, OC) => {
      k.linearBackward(dpre, dweight, dbias, dout, inp, weight, N, IC, OC);
      geluErfBackward(dpre, pre, dpre, N * IC);
    },
    geluForward: geluErfForward,
    geluBackward: geluErfBackward,
  };
}
