/**
 * Random test data from the project's seeded generator (src/tensor/random.ts: mulberry32 +
 * Box–Muller): the same seed gives the same numbers on every machine, so a failing test
 * fails the same way twice.
 */
import { seededRandom, type Random } from "../../src/tensor/random.ts";

export { seededRandom, type Random };

/** Fills `array` with normal numbers of standard deviation `scale`; returns it. */
export function fillRandn<A extends Float32Array | Float64Array>(array: A, random: Random, scale = 1): A {
  for (let i = 0; i < array.length; i++) array[i] = scale * random.normal();
  return array;
}

/** A new Float64Array [length] of normal numbers of standard deviation `scale`. */
export function randnArray(length: number, random: Random, scale = 1): Float64Array {
  return fillRandn(new Float64Array(length), random, scale);
}

/** A new Int32Array [length] of ids drawn uniformly from 0..V−1. */
export function randomIds(length: number, V: number, random: Random): Int32Array {
  const ids = new Int32Array(length);
  for (let i = 0; i < length; i++) ids[i] = random.int(V);
  return ids;
}

/** `count` distinct indices of 0..length−1 in increasing order (all of them if length ≤ count). */
export function sampleIndices(length: number, count: number, random: Random): number[] {
  const all = Array.from({ length }, (_, i) => i);
  if (length <= count) return all;
  // partial Fisher–Yates: the first `count` slots become a uniform sample
  for (let i = 0; i < count; i++) {
    const j = i + random.int(length - i);
    [all[i], all[j]] = [all[j], all[i]];
  }
  return all.slice(0, count).sort((a, b) => a - b);
}
