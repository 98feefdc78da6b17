/**
 * The safetensors file format, read and written by hand (no dependency).
 *
 *   bytes [0, 8)        N: the header length, an unsigned 64-bit little-endian integer
 *   bytes [8, 8 + N)    the header: UTF-8 JSON, padded with spaces so the data starts 8-aligned
 *                       { "<tensor name>": { "dtype": "F32", "shape": [...], "data_offsets": [begin, end] },
 *                         ...,
 *                         "__metadata__": { "<key>": "<string value>" } }
 *   bytes [8 + N, end)  the data section: every tensor's elements, row-major, little-endian;
 *                       `data_offsets` count from the start of this section
 *
 * The reader treats the file as untrusted: every number of the header is checked before use,
 * and the tensors must tile the data section exactly (no overlaps, no holes, nothing after the
 * last tensor), as the format requires. Writing supports F32; reading converts F32, F64, F16 and
 * BF16 to float32. Tensor data is always copied out, never aliased to the file's bytes.
 */

/** A tensor to write: its name, shape and row-major values (`data.length` = product of shape). */
export interface TensorToWrite {
  name: string;
  shape: number[];
  data: Float32Array;
}

/** A tensor read back, converted to float32. `dtype` is what the file stored. */
export interface DecodedTensor {
  shape: number[];
  data: Float32Array;
  dtype: ReadableDtype;
}

export interface DecodedSafetensors {
  /** in the order of their data offsets */
  tensors: Map<string, DecodedTensor>;
  metadata: Record<string, string>;
  /** the raw data section (a view into the input bytes, for checksums: do not keep it) */
  dataSection: Uint8Array;
}

/** dtypes the reader converts to float32, with their size in bytes. */
const READABLE_DTYPES = { F32: 4, F64: 8, F16: 2, BF16: 2 } as const;
export type ReadableDtype = keyof typeof READABLE_DTYPES;

/** Every dtype the format defines, so the reader can tell "unknown" from "not supported". */
const KNOWN_DTYPES = new Set([
  "BOOL",
  "U8",
  "I8",
  "F8_E5M2",
  "F8_E4M3",
  "I16",
  "U16",
  "F16",
  "BF16",
  "I32",
  "U32",
  "F32",
  "F64",
  "I64",
  "U64",
]);

/** The header may not exceed 100 MiB (the reference implementation's limit). */
export const MAX_HEADER_BYTES = 100 * 1024 * 1024;

const METADATA_KEY = "__metadata__";

/** true on little-endian hosts (all the usual ones): typed arrays then already hold file order. */
const HOST_IS_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

// ---------------------------------------------------------------------------------------------
// Writing

/** The little-endian bytes of a float32 array: a zero-copy view on little-endian hosts. */
export function float32LittleEndianBytes(data: Float32Array): Uint8Array {
  if (HOST_IS_LITTLE_ENDIAN) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const bytes = new Uint8Array(data.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < data.length; i++) view.setFloat32(i * 4, data[i], true);
  return bytes;
}

/** A whole safetensors file holding `tensors` (F32, in the given order) and `metadata`. */
export function encodeSafetensors(tensors: TensorToWrite[], metadata: Record<string, string>): Uint8Array {
  // 1. check names, shapes and sizes; lay the tensors out back to back in the data section
  const header: Record<string, unknown> = {};
  header[METADATA_KEY] = checkedMetadata(metadata);
  let dataLength = 0;
  for (const t of tensors) {
    if (t.name === "" || t.name === METADATA_KEY) throw new Error(`safetensors: invalid tensor name "${t.name}"`);
    if (Object.hasOwn(header, t.name)) {
      throw new Error(`safetensors: tensor ${t.name} is given twice`);
    }
    if (!t.shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
      throw new Error(`safetensors: tensor ${t.name} has an invalid shape [${t.shape.join(",")}]`);
    }
    const count = t.shape.reduce((a, b) => a * b, 1);
    if (count !== t.data.length) {
      throw new Error(`safetensors: tensor ${t.name} has shape [${t.shape.join(",")}] (${count} values) but ${t.data.length} values`);
    }
    const begin = dataLength;
    dataLength += count * 4;
    header[t.name] = { dtype: "F32", shape: t.shape, data_offsets: [begin, dataLength] };
  }

  // 2. the JSON header, padded with spaces to a multiple of 8 bytes so the data is aligned
  const json = new TextEncoder().encode(JSON.stringify(header));
  const headerLength = Math.ceil(json.length / 8) * 8;

  // 3. assemble: length prefix, header, data
  const bytes = new Uint8Array(8 + headerLength + dataLength);
  new DataView(bytes.buffer).setBigUint64(0, BigInt(headerLength), true);
  bytes.set(json, 8);
  bytes.fill(0x20, 8 + json.length, 8 + headerLength);
  let at = 8 + headerLength;
  for (const t of tensors) {
    bytes.set(float32LittleEndianBytes(t.data), at);
    at += t.data.length * 4;
  }
  return bytes;
}

function checkedMetadata(metadata: Record<string, string>): Record<string, string> {
  for (const [key, value] of Object.entries(metadata)) {
    if (typeof value !== "string") {
      throw new Error(`safetensors: metadata value of "${key}" must be a string, got ${typeof value}`);
    }
  }
  return metadata;
}

// ---------------------------------------------------------------------------------------------
// Reading

interface TensorEntry {
  name: string;
  dtype: ReadableDtype;
  shape: number[];
  begin: number;
  end: number;
}

/** Parses a safetensors file; every problem is an Error starting with `sourceName`. */
export function decodeSafetensors(bytes: Uint8Array, sourceName: string): DecodedSafetensors {
  const fail: (problem: string) => never = (problem) => {
    throw new Error(`${sourceName}: ${problem}`);
  };

  // 1. the 8-byte header length, compared as a bigint before it becomes a number
  if (bytes.length < 8) fail(`file is ${bytes.length} bytes, shorter than the 8-byte header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const declared = view.getBigUint64(0, true);
  if (declared > BigInt(bytes.length - 8)) {
    fail(`header length ${declared} is larger than the ${bytes.length - 8} bytes after it (file truncated or not safetensors)`);
  }
  if (declared > BigInt(MAX_HEADER_BYTES)) fail(`header length ${declared} exceeds the limit of ${MAX_HEADER_BYTES} bytes`);
  const headerLength = Number(declared);

  // 2. the JSON header must be an object
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(8, 8 + headerLength)));
  } catch (err) {
    fail(`header is not valid UTF-8 JSON (${(err as Error).message})`);
  }
  if (typeof header !== "object" || header === null || Array.isArray(header)) {
    fail(`header is not a JSON object`);
  }

  // 3. metadata (strings only) and tensor entries, each checked
  const dataSection = bytes.subarray(8 + headerLength);
  let metadata: Record<string, string> = {};
  const entries: TensorEntry[] = [];
  for (const [name, value] of Object.entries(header as Record<string, unknown>)) {
    if (name === METADATA_KEY) metadata = parseMetadata(value, fail);
    else entries.push(parseEntry(name, value, fail));
  }

  // 4. the tensors must tile the data section: sorted by offset, each starts where the last ended
  entries.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let covered = 0;
  for (const e of entries) {
    if (e.end > dataSection.length) {
      fail(
        `data section is truncated: tensor ${e.name} needs bytes [${e.begin},${e.end}) but the data section has ${dataSection.length} bytes`,
      );
    }
    if (e.begin < covered) fail(`tensor ${e.name} at bytes [${e.begin},${e.end}) overlaps the tensor before it (which ends at ${covered})`);
    if (e.begin > covered) fail(`data bytes [${covered},${e.begin}) belong to no tensor (hole before ${e.name})`);
    covered = e.end;
  }
  if (covered !== dataSection.length) {
    fail(`data section has ${dataSection.length} bytes but the tensors cover only ${covered} (trailing bytes)`);
  }

  // 5. convert every tensor to float32, copying out of the file
  const tensors = new Map<string, DecodedTensor>();
  for (const e of entries) {
    const data = toFloat32(e.dtype, dataSection, e.begin, e.end);
    tensors.set(e.name, { shape: e.shape, data, dtype: e.dtype });
  }
  return { tensors, metadata, dataSection };
}

function parseMetadata(value: unknown, fail: (p: string) => never): Record<string, string> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) fail(`${METADATA_KEY} is not a JSON object`);
  const entries = Object.entries(value as Record<string, unknown>);
  for (const [key, v] of entries) {
    if (typeof v !== "string") fail(`${METADATA_KEY}.${key} must be a string, got ${JSON.stringify(v)}`);
  }
  // fromEntries defines own properties, so a key like "__proto__" stays plain data
  return Object.fromEntries(entries) as Record<string, string>;
}

function parseEntry(name: string, value: unknown, fail: (p: string) => never): TensorEntry {
  const where = `tensor ${name}`;
  if (typeof value !== "object" || value === null || Array.isArray(value)) fail(`${where}: entry is not a JSON object`);
  const { dtype, shape, data_offsets: offsets } = value as Record<string, unknown>;

  // 1. dtype: one the format knows, and one this reader converts
  if (typeof dtype !== "string" || !KNOWN_DTYPES.has(dtype)) fail(`${where}: unknown dtype ${JSON.stringify(dtype)}`);
  if (!Object.hasOwn(READABLE_DTYPES, dtype as string)) {
    fail(`${where}: dtype ${dtype} is not supported (readable: ${Object.keys(READABLE_DTYPES).join(", ")})`);
  }
  const elementBytes = READABLE_DTYPES[dtype as ReadableDtype];

  // 2. shape: non-negative integers, with a size that stays exact
  const isCount = (n: unknown): n is number => typeof n === "number" && Number.isSafeInteger(n) && n >= 0;
  if (!Array.isArray(shape) || !shape.every(isCount)) fail(`${where}: invalid shape ${JSON.stringify(shape)}`);
  const dims = shape as number[];
  const count = dims.reduce((a, b) => a * b, 1);
  if (!Number.isSafeInteger(count * elementBytes)) fail(`${where}: shape [${dims.join(",")}] is too large`);

  // 3. offsets: [begin, end] with end - begin = count × element size
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isCount) || offsets[0] > offsets[1]) {
    fail(`${where}: invalid data_offsets ${JSON.stringify(offsets)}`);
  }
  const [begin, end] = offsets as [number, number];
  if (end - begin !== count * elementBytes) {
    fail(
      `${where}: data_offsets [${begin},${end}] hold ${end - begin} bytes, shape [${dims.join(",")}] of ${dtype} needs ${count * elementBytes}`,
    );
  }
  return { name, dtype: dtype as ReadableDtype, shape: dims, begin, end };
}

/** Copies bytes [begin, end) of the data section into a new Float32Array. */
function toFloat32(dtype: ReadableDtype, data: Uint8Array, begin: number, end: number): Float32Array {
  const count = (end - begin) / READABLE_DTYPES[dtype];
  const out = new Float32Array(count);
  const view = new DataView(data.buffer, data.byteOffset + begin, end - begin);
  switch (dtype) {
    case "F32":
      if (HOST_IS_LITTLE_ENDIAN) new Uint8Array(out.buffer).set(data.subarray(begin, end));
      else for (let i = 0; i < count; i++) out[i] = view.getFloat32(i * 4, true);
      break;
    case "F64":
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(i * 8, true);
      break;
    case "F16":
      for (let i = 0; i < count; i++) out[i] = halfToFloat(view.getUint16(i * 2, true));
      break;
    case "BF16": {
      // bfloat16 is the top half of a float32: shift its bits into place
      const bits = new Uint32Array(out.buffer);
      for (let i = 0; i < count; i++) bits[i] = view.getUint16(i * 2, true) << 16;
      break;
    }
  }
  return out;
}

/** IEEE 754 half precision (1 sign, 5 exponent, 10 mantissa bits) to a number; exact in float32. */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const mantissa = h & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24; // zero and subnormals
  if (exponent === 0x1f) return mantissa === 0 ? sign * Infinity : NaN;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}
