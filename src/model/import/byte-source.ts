/**
 * Random access to a file's bytes without holding the file: the importers read headers and
 * stream each tensor straight into the model's parameter buffer through this. src/store gives
 * the file-backed one; tests and small inputs use bytesSource.
 */
export interface ByteSource {
  /** names the file in errors */
  readonly name: string;
  readonly size: number;
  /** Fills `into` with the bytes at [offset, offset + into.length); throws if they are not all there. */
  read(offset: number, into: Uint8Array): void;
}

/** A ByteSource over bytes already in memory. */
export function bytesSource(bytes: Uint8Array, name: string): ByteSource {
  return {
    name,
    size: bytes.length,
    read(offset, into) {
      if (offset < 0 || offset + into.length > bytes.length) {
        throw new Error(`${name}: bytes [${offset},${offset + into.length}) are past the end of the ${bytes.length}-byte file`);
      }
      into.set(bytes.subarray(offset, offset + into.length));
    },
  };
}

/** Reads `length` bytes at `offset` into a new array. */
export function readBytes(source: ByteSource, offset: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  source.read(offset, out);
  return out;
}
