/**
 * The one array type every kernel reads and writes.
 * The engine runs in float32; gradient checks run the very same kernels in float64.
 */
export type FloatArray = Float32Array | Float64Array;

/** Token ids, one per position: shape [B, T]. */
export type IdArray = Int32Array;
