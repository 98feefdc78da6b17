/**
 * The zip container PyTorch writes (torch.save since 1.6): every record STORED (method 0,
 * uncompressed), so a record's bytes can be read in place. Layout read here:
 *
 *   ... local header (30 bytes + name + extra) + data, per record ...
 *   central directory: one 46-byte entry + name + extra + comment per record
 *   [zip64 end record + locator, when sizes or counts overflow 32 bits]
 *   end of central directory: 22 bytes + comment, at the very end
 *
 * Only the central directory and each record's local header are trusted for offsets, and every
 * offset is checked against the file's size.
 */
import { type ByteSource, readBytes } from "./byte-source.ts";

export interface ZipRecord {
  name: string;
  /** where the record's bytes start in the file */
  dataOffset: number;
  size: number;
}

const EOCD_SIGNATURE = 0x06054b50;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const ZIP64_EOCD_SIGNATURE = 0x06064b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const MAX_COMMENT = 0xffff;

/** true when the bytes start like a zip file ("PK\x03\x04") */
export function looksLikeZip(head: Uint8Array): boolean {
  return head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04;
}

/** Every record of the archive by name; errors say what is wrong and where. */
export function readZipDirectory(source: ByteSource): Map<string, ZipRecord> {
  const fail = (problem: string): never => {
    throw new Error(`${source.name}: ${problem}`);
  };

  // 1. find the end-of-central-directory record, searching back over a possible comment
  const tailLength = Math.min(source.size, 22 + MAX_COMMENT + 20);
  const tailStart = source.size - tailLength;
  const tail = readBytes(source, tailStart, tailLength);
  const tv = new DataView(tail.buffer);
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tv.getUint32(i, true) === EOCD_SIGNATURE) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) fail("no zip end-of-central-directory record: the file is truncated or not a PyTorch zip archive");
  let count = tv.getUint16(eocd + 10, true);
  let dirSize = tv.getUint32(eocd + 12, true);
  let dirOffset = tv.getUint32(eocd + 16, true);

  // 2. zip64: the real values are in the zip64 end record the locator points to
  if (count === 0xffff || dirSize === 0xffffffff || dirOffset === 0xffffffff) {
    const loc = eocd - 20;
    if (loc < 0 || tv.getUint32(loc, true) !== ZIP64_LOCATOR_SIGNATURE) fail("zip64 sizes without a zip64 locator");
    const recordAt = Number(tv.getBigUint64(loc + 8, true));
    if (recordAt + 56 > source.size) fail(`zip64 end record at ${recordAt} is past the end of the file`);
    const rec = readBytes(source, recordAt, 56);
    const rv = new DataView(rec.buffer);
    if (rv.getUint32(0, true) !== ZIP64_EOCD_SIGNATURE) fail("the zip64 end record has a bad signature");
    count = Number(rv.getBigUint64(32, true));
    dirSize = Number(rv.getBigUint64(40, true));
    dirOffset = Number(rv.getBigUint64(48, true));
  }
  if (dirOffset + dirSize > source.size) {
    fail(`the central directory [${dirOffset},${dirOffset + dirSize}) is past the end of the ${source.size}-byte file (truncated?)`);
  }

  // 3. the central directory entries
  const dir = readBytes(source, dirOffset, dirSize);
  const dv = new DataView(dir.buffer);
  const utf8 = new TextDecoder();
  const records = new Map<string, ZipRecord>();
  let at = 0;
  for (let i = 0; i < count; i++) {
    if (at + 46 > dir.length || dv.getUint32(at, true) !== CENTRAL_SIGNATURE) fail(`central directory entry ${i} is damaged`);
    const method = dv.getUint16(at + 10, true);
    let compressed = dv.getUint32(at + 20, true);
    let size = dv.getUint32(at + 24, true);
    const nameLength = dv.getUint16(at + 28, true);
    const extraLength = dv.getUint16(at + 30, true);
    const commentLength = dv.getUint16(at + 32, true);
    let localOffset = dv.getUint32(at + 42, true);
    const name = utf8.decode(dir.subarray(at + 46, at + 46 + nameLength));
    // 3a. zip64 extra field (id 1): 64-bit values for the fields that were 0xffffffff, in order
    let e = at + 46 + nameLength;
    const extraEnd = e + extraLength;
    while (e + 4 <= extraEnd) {
      const id = dv.getUint16(e, true);
      const len = dv.getUint16(e + 2, true);
      if (id === 1) {
        let p = e + 4;
        const next = () => {
          const v = Number(dv.getBigUint64(p, true));
          p += 8;
          return v;
        };
        if (size === 0xffffffff) size = next();
        if (compressed === 0xffffffff) compressed = next();
        if (localOffset === 0xffffffff) localOffset = next();
      }
      e += 4 + len;
    }
    at = extraEnd + commentLength;
    if (method !== 0) fail(`record ${name} is compressed (method ${method}); PyTorch stores records uncompressed`);
    if (compressed !== size) fail(`record ${name}: stored size ${compressed} differs from its size ${size}`);
    // 3b. the data starts after the local header, whose own name and extra lengths count
    if (localOffset + 30 > source.size) fail(`record ${name}'s local header at ${localOffset} is past the end of the file`);
    const local = readBytes(source, localOffset, 30);
    const lv = new DataView(local.buffer);
    if (lv.getUint32(0, true) !== LOCAL_SIGNATURE) fail(`record ${name}'s local header is damaged`);
    const dataOffset = localOffset + 30 + lv.getUint16(26, true) + lv.getUint16(28, true);
    if (dataOffset + size > source.size) {
      fail(`record ${name} needs bytes [${dataOffset},${dataOffset + size}) but the file has ${source.size} (truncated?)`);
    }
    records.set(name, { name, dataOffset, size });
  }
  return records;
}
