/**
 * A .safetensors file read through a ByteSource: only the header is read here (8-byte
 * little-endian length N, then N bytes of JSON); tensors become TensorSources read later,
 * straight into place. The same checks as ../safetensors.ts: every entry's dtype, shape and
 * offsets, and the tensors tiling the data section exactly (so a truncated download is caught
 * from its header and size alone).
 */
import { MAX_HEADER_BYTES } from "../safetensors.ts";
import { type ByteSource, readBytes } from "./byte-source.ts";
import { contiguousTensor, type SourceDtype, type TensorSource } from "./tensor-source.ts";

export interface SafetensorsHeader {
  metadata: Record<string, string>;
  /** by name, in the order of their data offsets */
  tensors: Map<string, TensorSource>;
}

const DTYPES: Record<string, SourceDtype> = { F32: "float32", F16: "float16", BF16: "bfloat16", F64: "float64" };
const SIZES: Record<string, number> = {
  F32: 4,
  F16: 2,
  BF16: 2,
  F64: 8,
  I64: 8,
  I32: 4,
  I16: 2,
  I8: 1,
  U8: 1,
  BOOL: 1,
  U16: 2,
  U32: 4,
  U64: 8,
};

export function readSafetensorsHeader(source: ByteSource): SafetensorsHeader {
  const fail = (problem: string): never => {
    throw new Error(`${source.name}: ${problem}`);
  };

  // 1. the header length, then the JSON object
  if (source.size < 8) fail(`file is ${source.size} bytes, shorter than the 8-byte header length`);
  const declared = new DataView(readBytes(source, 0, 8).buffer).getBigUint64(0, true);
  if (declared > BigInt(source.size - 8))
    fail(`header length ${declared} is larger than the ${source.size - 8} bytes after it (file truncated or not safetensors)`);
  if (declared > BigInt(MAX_HEADER_BYTES)) fail(`header length ${declared} exceeds the limit of ${MAX_HEADER_BYTES} bytes`);
  const headerLength = Number(declared);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(readBytes(source, 8, headerLength)));
  } catch (err) {
    fail(`header is not valid UTF-8 JSON (${(err as Error).message})`);
  }
  if (typeof header !== "object" || header === null || Array.isArray(header)) fail("header is not a JSON object");

  // 2. entries: dtype, shape, offsets consistent with each other
  const dataStart = 8 + headerLength;
  const dataLength = source.size - dataStart;
  let metadata: Record<string, string> = {};
  const entries: { name: string; dtype: string; shape: number[]; begin: number; end: number }[] = [];
  for (const [name, value] of Object.entries(header as Record<string, unknown>)) {
    if (name === "__metadata__") {
      if (typeof value !== "object" || value === null || Array.isArray(value)) fail("__metadata__ is not a JSON object");
      const pairs = Object.entries(value as Record<string, unknown>);
      for (const [k, v] of pairs) if (typeof v !== "string") fail(`__metadata__.${k} must be a string, got ${JSON.stringify(v)}`);
      metadata = Object.fromEntries(pairs) as Record<string, string>;
      continue;
    }
    const e = value as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (typeof e !== "object" || e === null) fail(`tensor ${name}: entry is not a JSON object`);
    const { dtype, shape, data_offsets: offsets } = e;
    if (typeof dtype !== "string" || !Object.hasOwn(SIZES, dtype)) fail(`tensor ${name}: unknown dtype ${JSON.stringify(dtype)}`);
    if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0))
      fail(`tensor ${name}: invalid shape ${JSON.stringify(shape)}`);
    if (
      !Array.isArray(offsets) ||
      offsets.length !== 2 ||
      !offsets.every((d) => Number.isSafeInteger(d) && d >= 0) ||
      offsets[0] > offsets[1]
    ) {
      fail(`tensor ${name}: invalid data_offsets ${JSON.stringify(offsets)}`);
    }
    const [begin, end] = offsets as [number, number];
    const count = (shape as number[]).reduce((a, b) => a * b, 1);
    if (count * SIZES[dtype as string] !== end - begin) {
      fail(`tensor ${name}: shape [${shape}] of ${dtype} needs ${count * SIZES[dtype as string]} bytes, data_offsets span ${end - begin}`);
    }
    entries.push({ name, dtype: dtype as string, shape: shape as number[], begin, end });
  }

  // 3. the tensors tile the data section: no holes, no overlaps, nothing missing at the end
  entries.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let covered = 0;
  for (const e of entries) {
    if (e.end > dataLength)
      fail(`data section is truncated: tensor ${e.name} needs bytes [${e.begin},${e.end}) but the data section has ${dataLength} bytes`);
    if (e.begin < covered) fail(`tensor ${e.name} at bytes [${e.begin},${e.end}) overlaps the tensor before it (which ends at ${covered})`);
    if (e.begin > covered) fail(`data bytes [${covered},${e.begin}) belong to no tensor (hole before ${e.name})`);
    covered = e.end;
  }
  if (covered !== dataLength) fail(`data section has ${dataLength} bytes but the tensors cover only ${covered} (trailing bytes)`);

  // 4. lazy tensors; integer tensors (e.g. a mask saved as U8) stay unreadable but named
  const tensors = new Map<string, TensorSource>();
  for (const e of entries) {
    const dtype = DTYPES[e.dtype];
    if (dtype) tensors.set(e.name, contiguousTensor(source, e.name, e.shape, dtype, dataStart + e.begin));
    else {
      tensors.set(e.name, {
        name: e.name,
        shape: e.shape,
        dtype: e.dtype,
        readInto: () => fail(`tensor ${e.name} has dtype ${e.dtype}; readable: ${Object.keys(DTYPES).join(", ")}`),
      });
    }
  }
  return { metadata, tensors };
}
