/**
 * A `torch.save` file (the zip format of PyTorch ≥ 1.6):
 *
 *   <prefix>/data.pkl      the pickled object (protocol 2); tensors in it are
 *                          _rebuild_tensor_v2(storage, offset, size, stride, ...) and each storage
 *                          is a persistent id ('storage', torch.FloatStorage, '<key>', 'cpu', numel)
 *   <prefix>/data/<key>    the storage's raw bytes (little-endian unless <prefix>/byteorder says so)
 *   <prefix>/version, <prefix>/byteorder, .data/serialization_id   (small text records)
 *
 * The prefix is "archive" or the file's name without extension, depending on the torch version,
 * so it is found from the record ending in "/data.pkl". Nothing is read from a storage until a
 * tensor is asked for: an optimizer's state in the same pickle costs only its small description.
 */
import { type ByteSource, readBytes } from "./byte-source.ts";
import { asStorageType, describe, isTuple, type PickleValue, type StorageRef, type TensorRef, unpickle } from "./unpickle.ts";
import { contiguousTensor, isReadableDtype, type TensorSource } from "./tensor-source.ts";
import { looksLikeZip, readZipDirectory, type ZipRecord } from "./zip.ts";

export interface TorchArchive {
  /** the unpickled object */
  root: PickleValue;
  /** A tensor of the pickle as a TensorSource named `name`; checks its storage and layout. */
  tensor(ref: TensorRef, name: string): TensorSource;
}

/** Pickle protocol 2's first byte and version: what torch.save's legacy (non-zip) format starts with. */
const PICKLE_PROTO = 0x80;

export function openTorchArchive(source: ByteSource): TorchArchive {
  const fail = (problem: string): never => {
    throw new Error(`${source.name}: ${problem}`);
  };

  // 1. the container: a zip, not the legacy format (a bare pickle stream with magic number)
  const head = readBytes(source, 0, Math.min(4, source.size));
  if (!looksLikeZip(head)) {
    if (head[0] === PICKLE_PROTO) {
      fail(
        "this is torch.save's legacy format (_use_new_zipfile_serialization=False), which is not supported: re-save it with a current torch.save",
      );
    }
    fail("not a PyTorch checkpoint: it is not a zip archive");
  }
  const records = readZipDirectory(source);
  const pkl = [...records.keys()].find((n) => n.endsWith("/data.pkl") && n.split("/").length === 2);
  if (pkl === undefined) fail(`the archive has no <name>/data.pkl record (records: ${[...records.keys()].slice(0, 8).join(", ")})`);
  const prefix = pkl!.slice(0, -"/data.pkl".length);

  // 2. byte order: little-endian is all this reader converts
  const order = records.get(`${prefix}/byteorder`);
  if (order) {
    const text = new TextDecoder().decode(readBytes(source, order.dataOffset, Math.min(order.size, 16))).trim();
    if (text !== "little") fail(`the archive's byte order is "${text}"; only little-endian archives are read`);
  }

  // 3. the pickle, with storages resolved to lazy references into data/<key>
  const pklRecord = records.get(pkl!)!;
  const root = unpickle(readBytes(source, pklRecord.dataOffset, pklRecord.size), {
    sourceName: `${source.name}:${pkl}`,
    persistentLoad: (pid) => storageRef(pid, records, prefix, source.name),
  });

  return {
    root,
    tensor(ref, name) {
      // 4. a row-major contiguous view of a storage that holds all its elements
      const { storage, shape, stride, storageOffset } = ref;
      const dtype = storage.type.dtype;
      if (!isReadableDtype(dtype)) fail(`tensor ${name} has dtype ${dtype}; readable: float32, float16, bfloat16, float64`);
      let expected = 1;
      for (let d = shape.length - 1; d >= 0; d--) {
        if (shape[d] !== 1 && stride[d] !== expected) {
          fail(`tensor ${name} (shape [${shape}], stride [${stride}]) is not contiguous; save it after .contiguous()`);
        }
        expected *= shape[d];
      }
      if (storageOffset + expected > storage.numel) {
        fail(`tensor ${name} needs elements [${storageOffset},${storageOffset + expected}) of a storage with ${storage.numel}`);
      }
      const record = records.get(`${prefix}/data/${storage.key}`)!;
      return contiguousTensor(source, name, shape, dtype as "float32", record.dataOffset + storageOffset * storage.type.bytesPerElement);
    },
  };
}

/** ('storage', StorageType, key, location, numel) → a StorageRef whose record exists and is large enough. */
function storageRef(pid: PickleValue, records: Map<string, ZipRecord>, prefix: string, file: string): StorageRef {
  const where = `${file}: persistent id`;
  if (!isTuple(pid) || pid.length !== 5 || pid[0] !== "storage") throw new Error(`${where} is ${describe(pid)}, not a torch storage`);
  const type = asStorageType(pid[1], where);
  const key = pid[2];
  const numel = typeof pid[4] === "bigint" ? Number(pid[4]) : pid[4];
  if (typeof key !== "string" || !/^[0-9A-Za-z_]+$/.test(key))
    throw new Error(`${where}: storage key ${describe(key)} is not a record name`);
  if (typeof numel !== "number" || !Number.isSafeInteger(numel) || numel < 0)
    throw new Error(`${where}: storage ${key} has size ${describe(pid[4])}`);
  const record = records.get(`${prefix}/data/${key}`);
  if (!record) throw new Error(`${file}: storage ${key} is missing from the archive (no record ${prefix}/data/${key})`);
  if (record.size < numel * type.bytesPerElement) {
    throw new Error(`${file}: storage ${key} holds ${record.size} bytes, ${numel} × ${type.name} need ${numel * type.bytesPerElement}`);
  }
  return { kind: "storage", key, type, numel };
}
