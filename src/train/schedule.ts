/**
 * nanoGPT's learning-rate schedule: a linear warmup, then a cosine decay to a floor that the
 * last step of the run (step index totalSteps − 1) reaches exactly.
 *
 *   step < warmup:                  lr = maxLr · (step + 1) / (warmup + 1)
 *   warmup ≤ step < total − 1:      lr = minLr + ½ (1 + cos(π · progress)) · (maxLr − minLr),
 *                                   progress = (step − warmup) / (total − 1 − warmup)
 *   step ≥ total − 1:               lr = minLr
 */
export interface LrSchedule {
  maxLr: number;
  minLr: number;
  warmupSteps: number;
  totalSteps: number;
}

export function learningRateAt(step: number, s: LrSchedule): number {
  if (step < s.warmupSteps) return (s.maxLr * (step + 1)) / (s.warmupSteps + 1);
  const last = s.totalSteps - 1;
  if (step >= last) return s.minLr;
  const span = Math.max(1, last - s.warmupSteps);
  const progress = (step - s.warmupSteps) / span;
  return s.minLr + 0.5 * (1 + Math.cos(Math.PI * progress)) * (s.maxLr - s.minLr);
}
