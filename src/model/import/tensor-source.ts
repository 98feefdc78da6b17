/**
 * A tensor in a file, not yet read: its shape, its element type and where its bytes are. The
 * importers check every name and shape first, then read each tensor straight into its place in
 * the model's flat parameter buffer (float32 little-endian bytes land there without a copy).
 */
import { halfToFloat } from "../safetensors.ts";
import type { ByteSource } from "./byte-source.ts";

export type SourceDtype = "float32" | "float16" | "bfloat16" | "float64";

const BYTES: Record<SourceDtype, number> = { float32: 4, float16: 2, bfloat16: 2, float64: 8 };

export interface TensorSource {
  /** the name in the file */
  readonly name: string;
  readonly shape: number[];
  readonly dtype: string;
  /** where its bytes are in the file (same value: the same bytes, e.g. a tied lm_head) */
  readonly identity?: string;
  /** Writes the tensor's row-major values into `out` (length = product of shape), as float32. */
  readInto(out: Float32Array): void;
}

/** Elements per read when a conversion is needed (keeps the temporary small). */
const CHUNK_ELEMENTS = 1 << 20;
const HOST_IS_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export function isReadableDtype(dtype: string): dtype is SourceDtype {
  return Object.hasOwn(BYTES, dtype);
}

export function dtypeBytes(dtype: SourceDtype): number {
  return BYTES[dtype];
}

/**
 * A tensor whose row-major elements sit back to back at `offset` in `source`.
 * readInto: float32 reads into `out`'s own bytes; other dtypes convert chunk by chunk.
 */
export function contiguousTensor(source: ByteSource, name: string, shape: number[], dtype: SourceDtype, offset: number): TensorSource {
  const count = shape.reduce((a, b) => a * b, 1);
  return {
    name,
    shape,
    dtype,
    identity: `${dtype}@${offset}`,
    readInto(out) {
      if (out.length !== count) throw new Error(`${source.name}: tensor ${name} has ${count} values, its place holds ${out.length}`);
      readElements(source, offset, dtype, out);
    },
  };
}

function readElements(source: ByteSource, offset: number, dtype: SourceDtype, out: Float32Array): void {
  // 1. float32 on a little-endian host: the file's bytes are the array's bytes
  if (dtype === "float32" && HOST_IS_LITTLE_ENDIAN) {
    source.read(offset, new Uint8Array(out.buffer, out.byteOffset, out.byteLength));
    return;
  }
  // 2. otherwise convert one chunk at a time
  const size = BYTES[dtype];
  const chunk = new Uint8Array(Math.min(out.length, CHUNK_ELEMENTS) * size);
  const view = new DataView(chunk.buffer);
  for (let start = 0; start < out.length; start += CHUNK_ELEMENTS) {
    const n = Math.min(CHUNK_ELEMENTS, out.length - start);
    source.read(offset + start * size, chunk.subarray(0, n * size));
    for (let i = 0; i < n; i++) {
      let v: number;
      if (dtype === "float32") v = view.getFloat32(i * 4, true);
      else if (dtype === "float64") v = view.getFloat64(i * 8, true);
      else if (dtype === "float16") v = halfToFloat(view.getUint16(i * 2, true));
      else v = bfloat16ToFloat(view.getUint16(i * 2, true));
      out[start + i] = v;
    }
  }
}

const bf16Bits = new Uint32Array(1);
const bf16Float = new Float32Array(bf16Bits.buffer);
/** bfloat16 is the top half of a float32 */
function bfloat16ToFloat(h: number): number {
  bf16Bits[0] = h << 16;
  return bf16Float[0];
}

/** A view of a tensor with its two axes swapped: a [in, out] Conv1D weight read as [out, in]. */
export function transposed(t: TensorSource): TensorSource {
  if (t.shape.length !== 2) throw new Error(`tensor ${t.name} has shape [${t.shape}]: only a matrix can be transposed`);
  const [rows, cols] = t.shape;
  return {
    name: t.name,
    shape: [cols, rows],
    dtype: t.dtype,
    readInto(out) {
      // 1. read [rows, cols] into a temporary (one matrix, at most 4C × C), 2. write out[c][r] = tmp[r][c]
      const tmp = new Float32Array(rows * cols);
      t.readInto(tmp);
      for (let r = 0; r < rows; r++) {
        const row = r * cols;
        for (let c = 0; c < cols; c++) out[c * rows + r] = tmp[row + c];
      }
    },
  };
}
