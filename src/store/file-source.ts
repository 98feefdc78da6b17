/** A file as a ByteSource: positioned reads, so importers stream tensors without holding the file. */
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import type { ByteSource } from "../model/import/byte-source.ts";

export interface FileSource extends ByteSource {
  close(): void;
}

export function openFileSource(path: string): FileSource {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new Error(code === "ENOENT" ? `model file not found: ${path}` : `${path}: cannot read: ${(err as Error).message}`, {
      cause: err,
    });
  }
  const size = fstatSync(fd).size;
  return {
    name: path,
    size,
    read(offset, into) {
      // 1. a read past the end is the file's fault (truncated), named as such
      if (offset < 0 || offset + into.length > size) {
        throw new Error(`${path}: bytes [${offset},${offset + into.length}) are past the end of the ${size}-byte file (truncated?)`);
      }
      // 2. readSync may return less than asked: loop until the view is full
      let done = 0;
      while (done < into.length) {
        const n = readSync(fd, into, done, into.length - done, offset + done);
        if (n === 0) throw new Error(`${path}: the file ended at byte ${offset + done} while reading (it changed while open?)`);
        done += n;
      }
    },
    close() {
      closeSync(fd);
    },
  };
}
