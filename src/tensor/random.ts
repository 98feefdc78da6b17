/**
 * A small seeded random generator (mulberry32) so every run with the same seed repeats
 * bit for bit. Randomness is always passed in, never taken from Math.random.
 */
export interface Random {
  /** uniform in [0, 1) */
  next(): number;
  /** standard normal (mean 0, std 1), Box–Muller */
  normal(): number;
  /** integer in [0, n) */
  int(n: number): number;
  /** the generator's whole state, to resume a run exactly */
  state(): number;
}

export function seededRandom(seed: number, resumeState?: number): Random {
  let s = (resumeState ?? (seed >>> 0) ^ 0x9e3779b9) >>> 0;
  let spare: number | null = null;
  const next = () => {
    // mulberry32: one 32-bit state, good enough for initialisation and batch sampling
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    normal() {
      if (spare !== null) {
        const v = spare;
        spare = null;
        return v;
      }
      // 1. two uniforms, u1 in (0, 1] so the log is finite
      const u1 = 1 - next();
      const u2 = next();
      // 2. radius and angle give two independent normals; keep one for the next call
      const r = Math.sqrt(-2 * Math.log(u1));
      spare = r * Math.sin(2 * Math.PI * u2);
      return r * Math.cos(2 * Math.PI * u2);
    },
    int(n: number) {
      return Math.floor(next() * n);
    },
    state: () => s,
  };
}
