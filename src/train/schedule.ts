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

/**
 * The same warmup and cosine decay for a run whose length may be re-planned while it runs (a time
 * budget on a machine whose step time changes). The decay is followed by its progress p ∈ [0, 1]:
 * before any re-plan p is learningRateAt's; a re-plan at step s to N steps keeps p(s) and spreads
 * what is left of the decay, 1 − p(s), evenly over the steps s … N − 1, so the rate never jumps
 * and reaches minLr at the last step, N − 1, whatever N became.
 *   p(step) = p₀ + (step − s₀) · (1 − p₀) / (N − 1 − s₀),   s₀ = max(warmup, last re-plan step)
 */
export class ReplannableSchedule {
  private anchorStep: number;
  private anchorProgress = 0;
  private current: LrSchedule;

  constructor(schedule: LrSchedule) {
    this.current = { ...schedule };
    this.anchorStep = schedule.warmupSteps;
  }

  get totalSteps(): number {
    return this.current.totalSteps;
  }

  get warmupSteps(): number {
    return this.current.warmupSteps;
  }

  /** progress through the decay at `step` (0 at its start, 1 at the last step) */
  private progressAt(step: number): number {
    const last = this.current.totalSteps - 1;
    if (step >= last) return 1;
    const from = Math.max(this.current.warmupSteps, this.anchorStep);
    const span = Math.max(1, last - from);
    return Math.max(0, this.anchorProgress + ((step - from) * (1 - this.anchorProgress)) / span);
  }

  lrAt(step: number): number {
    const s = this.current;
    if (step < s.warmupSteps) return (s.maxLr * (step + 1)) / (s.warmupSteps + 1);
    if (step >= s.totalSteps - 1) return s.minLr;
    return s.minLr + 0.5 * (1 + Math.cos(Math.PI * this.progressAt(step))) * (s.maxLr - s.minLr);
  }

  /**
   * The run now has `totalSteps` steps; `nextStep` is the index of the next one to run. During
   * the warmup a shorter run also gets a shorter warmup (a tenth of it, never before `nextStep`).
   */
  replan(nextStep: number, totalSteps: number): void {
    if (!(totalSteps > nextStep)) throw new Error(`cannot re-plan to ${totalSteps} steps at step ${nextStep}`);
    if (nextStep >= this.current.warmupSteps) {
      this.anchorProgress = this.progressAt(nextStep);
      this.anchorStep = nextStep;
    } else {
      const warmup = Math.max(nextStep, Math.min(this.current.warmupSteps, Math.max(1, Math.floor(totalSteps / 10))));
      this.current.warmupSteps = warmup;
      this.anchorStep = warmup;
    }
    this.current.totalSteps = totalSteps;
  }
}
