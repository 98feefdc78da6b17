/**
 * Pure math for the embeddings picture (no canvas): a 2-D PCA of n vectors and nearest
 * neighbours by cosine similarity. Vectors are rows of one Float32Array [n, dim].
 *
 * PCA by power iteration with deflation: the first principal direction is the top
 * eigenvector of the covariance Xcᵀ·Xc (Xc = vectors minus their mean); repeatedly
 * multiplying a start vector by it and renormalising converges to that direction. The
 * second is found the same way while removing its component along the first. The
 * covariance matrix is never formed: Xcᵀ·(Xc·v) costs 2·n·dim per iteration.
 */

export interface Projection2D {
  /** coordinate of each vector along the first principal direction */
  x: Float32Array;
  /** along the second */
  y: Float32Array;
}

/** Bounds the cost at 2·n·dim·MAX_ITERATIONS multiply-adds per direction. */
const MAX_ITERATIONS = 300;
const TOLERANCE = 1e-9;

function checkShape(vectors: Float32Array, n: number, dim: number): void {
  if (!Number.isInteger(n) || !Number.isInteger(dim) || n < 0 || dim < 1) {
    throw new RangeError(`need n ≥ 0 and dim ≥ 1 (integers), got n=${n}, dim=${dim}`);
  }
  if (vectors.length !== n * dim) {
    throw new RangeError(`vectors has ${vectors.length} numbers, expected n×dim = ${n}×${dim} = ${n * dim}`);
  }
}

/** Scales v to length 1 in place; returns its previous length. */
function normalise(v: Float64Array): number {
  let sum = 0;
  for (let j = 0; j < v.length; j++) sum += v[j] * v[j];
  const norm = Math.sqrt(sum);
  if (norm > 0) for (let j = 0; j < v.length; j++) v[j] /= norm;
  return norm;
}

function dot(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let j = 0; j < a.length; j++) sum += a[j] * b[j];
  return sum;
}

/** out = Xcᵀ·(Xc·v), with Xc = vectors − mean, without materialising Xc. */
function covarianceTimes(
  out: Float64Array,
  vectors: Float32Array,
  mean: Float64Array,
  v: Float64Array,
  n: number,
  dim: number,
  scratch: Float64Array,
): void {
  // 1. w = Xc·v  [n]:  w_i = x_i·v − mean·v
  const meanDotV = dot(mean, v);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    const row = i * dim;
    for (let j = 0; j < dim; j++) sum += vectors[row + j] * v[j];
    scratch[i] = sum - meanDotV;
  }
  // 2. out = Xcᵀ·w  [dim]:  out_j = Σ_i x_ij·w_i − mean_j·Σ_i w_i
  out.fill(0);
  let wSum = 0;
  for (let i = 0; i < n; i++) {
    const w = scratch[i];
    wSum += w;
    const row = i * dim;
    for (let j = 0; j < dim; j++) out[j] += vectors[row + j] * w;
  }
  for (let j = 0; j < dim; j++) out[j] -= mean[j] * wSum;
}

/** Top eigenvector of the covariance, orthogonal to every vector in `exclude`. */
function principalDirection(vectors: Float32Array, mean: Float64Array, n: number, dim: number, exclude: Float64Array[]): Float64Array {
  // a deterministic start that is not special in any direction: 1, 1.5, 1.33.., varying per coordinate
  let v = new Float64Array(dim);
  for (let j = 0; j < dim; j++) v[j] = 1 + ((j * 7919) % 31) / 31;
  const project = (u: Float64Array) => {
    for (const e of exclude) {
      const along = dot(u, e);
      for (let j = 0; j < dim; j++) u[j] -= along * e[j];
    }
  };
  project(v);
  if (normalise(v) === 0) return v;
  const next = new Float64Array(dim);
  const scratch = new Float64Array(n);
  for (let iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
    covarianceTimes(next, vectors, mean, v, n, dim, scratch);
    project(next);
    if (normalise(next) === 0) return new Float64Array(dim); // no variance left
    const change = 1 - Math.abs(dot(next, v));
    v.set(next);
    if (change < TOLERANCE) break;
  }
  // sign convention: the largest coordinate is positive, so results never flip
  let largest = 0;
  for (let j = 1; j < dim; j++) if (Math.abs(v[j]) > Math.abs(v[largest])) largest = j;
  if (v[largest] < 0) v = v.map((x) => -x);
  return v;
}

/** Projects n vectors of size dim onto their first two principal directions. */
export function pca2(vectors: Float32Array, n: number, dim: number): Projection2D {
  checkShape(vectors, n, dim);
  const x = new Float32Array(n);
  const y = new Float32Array(n);
  if (n === 0) return { x, y };
  const mean = new Float64Array(dim);
  for (let i = 0; i < n; i++) for (let j = 0; j < dim; j++) mean[j] += vectors[i * dim + j];
  for (let j = 0; j < dim; j++) mean[j] /= n;

  const first = principalDirection(vectors, mean, n, dim, []);
  const second = principalDirection(vectors, mean, n, dim, [first]);
  for (let i = 0; i < n; i++) {
    let a = 0;
    let b = 0;
    for (let j = 0; j < dim; j++) {
      const centred = vectors[i * dim + j] - mean[j];
      a += centred * first[j];
      b += centred * second[j];
    }
    x[i] = a;
    y[i] = b;
  }
  return { x, y };
}

export interface Neighbour {
  index: number;
  /** cosine similarity with the query, −1..1 (0 when either vector is all zeros) */
  cosine: number;
}

/** The k vectors most similar in direction to vector `queryIndex` (itself excluded). */
export function nearestByCosine(vectors: Float32Array, n: number, dim: number, queryIndex: number, k: number): Neighbour[] {
  checkShape(vectors, n, dim);
  if (!Number.isInteger(queryIndex) || queryIndex < 0 || queryIndex >= n) {
    throw new RangeError(`queryIndex is ${queryIndex}, there are ${n} vectors`);
  }
  const norms = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let j = 0; j < dim; j++) sum += vectors[i * dim + j] ** 2;
    norms[i] = Math.sqrt(sum);
  }
  const q = queryIndex * dim;
  const all: Neighbour[] = [];
  for (let i = 0; i < n; i++) {
    if (i === queryIndex) continue;
    let sum = 0;
    for (let j = 0; j < dim; j++) sum += vectors[q + j] * vectors[i * dim + j];
    const denominator = norms[queryIndex] * norms[i];
    all.push({ index: i, cosine: denominator > 0 ? sum / denominator : 0 });
  }
  all.sort((a, b) => b.cosine - a.cosine || a.index - b.index);
  return all.slice(0, Math.max(0, k));
}
