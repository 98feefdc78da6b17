/**
 * Choosing the next token from the model's raw scores (logits).
 *
 *   1. repetition penalty: tokens seen recently get their logit pushed down
 *   2. temperature: logits / temperature (0 means "always the most likely": greedy)
 *   3. softmax: probabilities that sum to 1
 *   4. top-k: keep only the k most likely tokens
 *   5. top-p (nucleus): keep the smallest set of most likely tokens whose mass reaches p
 *   6. renormalise, then pick with one uniform random number u in [0, 1)
 *
 * The random number is an argument, so the same u always picks the same token.
 */

export interface SamplingSettings {
  /** 0 = greedy; 1 = the model's own distribution; higher = flatter */
  temperature: number;
  /** keep the k most likely tokens (0 or ≥ V = keep all) */
  topK: number;
  /** keep the smallest set whose probability reaches p (1 = keep all) */
  topP: number;
  /** ≥ 1; 1 = off. Positive logits of recent tokens are divided by it, negative ones multiplied */
  repetitionPenalty: number;
}

export const DEFAULT_SAMPLING: SamplingSettings = { temperature: 0.8, topK: 40, topP: 0.95, repetitionPenalty: 1.1 };

/** The largest temperature any command accepts (the commands' catalogue reads it from here). */
export const MAX_TEMPERATURE = 10;

/** Throws one clear message per setting that is out of range. */
export function validateSampling(s: SamplingSettings): SamplingSettings {
  const problems: string[] = [];
  if (!Number.isFinite(s.temperature) || s.temperature < 0 || s.temperature > MAX_TEMPERATURE) {
    problems.push(`temperature must be between 0 and ${MAX_TEMPERATURE}, got ${s.temperature}`);
  }
  if (!Number.isInteger(s.topK) || s.topK < 0) problems.push(`top-k must be a whole number ≥ 0, got ${s.topK}`);
  if (!Number.isFinite(s.topP) || s.topP <= 0 || s.topP > 1) problems.push(`top-p must be in (0, 1], got ${s.topP}`);
  if (!Number.isFinite(s.repetitionPenalty) || s.repetitionPenalty < 1 || s.repetitionPenalty > 10) {
    problems.push(`repetition penalty must be between 1 and 10, got ${s.repetitionPenalty}`);
  }
  if (problems.length > 0) throw new Error(problems.join("; "));
  return s;
}

/** Index of the largest value (the first one on ties). */
export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

/** Numerically stable softmax of logits / temperature (temperature > 0). */
export function softmaxWithTemperature(logits: ArrayLike<number>, temperature: number): Float64Array {
  const probs = new Float64Array(logits.length);
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) max = Math.max(max, logits[i]);
  let sum = 0;
  for (let i = 0; i < logits.length; i++) {
    probs[i] = Math.exp((logits[i] - max) / temperature);
    sum += probs[i];
  }
  for (let i = 0; i < probs.length; i++) probs[i] /= sum;
  return probs;
}

/** Step 1: a copy of the logits with recently seen tokens penalised (CTRL's rule). */
export function penaliseRepeats(logits: ArrayLike<number>, recent: ArrayLike<number>, penalty: number): Float64Array {
  const out = Float64Array.from(logits as ArrayLike<number>);
  if (penalty === 1) return out;
  const seen = new Set<number>();
  for (let i = 0; i < recent.length; i++) seen.add(recent[i]);
  for (const id of seen) {
    if (id < 0 || id >= out.length) continue;
    out[id] = out[id] > 0 ? out[id] / penalty : out[id] * penalty;
  }
  return out;
}

/**
 * Steps 3–5: the probability of every token after temperature, top-k and top-p, renormalised.
 * Tokens that were cut have probability exactly 0. Temperature 0 puts all mass on the argmax.
 */
export function filteredProbabilities(logits: ArrayLike<number>, s: SamplingSettings): Float64Array {
  const V = logits.length;
  if (s.temperature === 0) {
    const probs = new Float64Array(V);
    probs[argmax(logits)] = 1;
    return probs;
  }
  const probs = softmaxWithTemperature(logits, s.temperature);
  // most likely first; ties by id so the order is deterministic
  const order = Array.from({ length: V }, (_, i) => i).sort((a, b) => probs[b] - probs[a] || a - b);
  let keep = s.topK > 0 ? Math.min(s.topK, V) : V;
  if (s.topP < 1) {
    let mass = 0;
    for (let r = 0; r < keep; r++) {
      mass += probs[order[r]];
      if (mass >= s.topP) {
        keep = r + 1;
        break;
      }
    }
  }
  const kept = new Float64Array(V);
  let total = 0;
  for (let r = 0; r < keep; r++) total += probs[order[r]];
  for (let r = 0; r < keep; r++) kept[order[r]] = probs[order[r]] / total;
  return kept;
}

/** Step 6: the token whose cumulative probability first passes u (u uniform in [0, 1)). */
export function pickByCumulative(probs: ArrayLike<number>, u: number): number {
  let cumulative = 0;
  let last = -1;
  for (let i = 0; i < probs.length; i++) {
    if (probs[i] <= 0) continue;
    cumulative += probs[i];
    last = i;
    if (u < cumulative) return i;
  }
  return last; // u rounding past the total: the last token with mass
}

/** All steps: the next token id from logits, the recent tokens and one random number u. */
export function sampleNext(logits: ArrayLike<number>, recent: ArrayLike<number>, s: SamplingSettings, u: number): number {
  const penalised = penaliseRepeats(logits, recent, s.repetitionPenalty);
  return pickByCumulative(filteredProbabilities(penalised, s), u);
}

export interface Candidate {
  id: number;
  /** probability after temperature (before top-k / top-p) */
  prob: number;
  logit: number;
}

/** The k most likely next tokens with their probabilities at this temperature (0 is treated as 1). */
export function topCandidates(logits: ArrayLike<number>, k: number, temperature = 1): Candidate[] {
  const probs = softmaxWithTemperature(logits, temperature > 0 ? temperature : 1);
  const order = Array.from({ length: logits.length }, (_, i) => i).sort((a, b) => probs[b] - probs[a] || a - b);
  return order.slice(0, Math.max(0, k)).map((id) => ({ id, prob: probs[id], logit: logits[id] }));
}
