/**
 * A restricted unpickler: reads the pickles that `torch.save` (protocol 2) and `pickle.dump`
 * (protocols 2–5, e.g. nanoGPT's meta.pkl) write for plain data, and NOTHING else.
 *
 * Python's own unpickler calls whatever the stream names (`GLOBAL os system` + `REDUCE` runs a
 * shell command). This one never calls anything: a GLOBAL or STACK_GLOBAL must name an entry of
 * ALLOWED_GLOBALS, else reading stops with an error naming it. The allowed entries are data
 * builders written here (an OrderedDict is a Map; a rebuilt tensor is a TensorRef that points at
 * its storage without reading it; a storage type is a marker). Opcodes outside the table
 * (INST, OBJ, EXT*, PERSID in text form, ...) are refused by name too.
 *
 * Persistent ids (BINPERSID) are handed to the caller's `persistentLoad`: for torch archives it
 * turns `('storage', <StorageType>, key, location, numel)` into a lazy StorageRef.
 */

/** A storage type named by the pickle, e.g. torch.FloatStorage: its element dtype and size. */
export interface StorageType {
  readonly kind: "storage-type";
  readonly name: string;
  readonly dtype: TorchDtype;
  readonly bytesPerElement: number;
}

export type TorchDtype = "float32" | "float16" | "bfloat16" | "float64" | "int64" | "int32" | "int16" | "int8" | "uint8" | "bool";

/** A storage in the archive, not read: where its bytes are (`key`, e.g. "0" for data/0) and its type. */
export interface StorageRef {
  readonly kind: "storage";
  readonly key: string;
  readonly type: StorageType;
  /** elements in the storage */
  readonly numel: number;
}

/** A tensor as `_rebuild_tensor_v2` describes it: a strided view of a storage, not materialised. */
export interface TensorRef {
  readonly kind: "tensor";
  readonly storage: StorageRef;
  /** in elements */
  readonly storageOffset: number;
  readonly shape: number[];
  /** in elements */
  readonly stride: number[];
}

/** A Python object the stream built with BUILD on an allowed type (e.g. an OrderedDict's `_metadata`). */
export type PickleValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | PickleValue[]
  | PickleTuple
  | Map<PickleValue, PickleValue>
  | StorageType
  | StorageRef
  | TensorRef
  | AllowedCallable;

/** Tuples are frozen arrays tagged so they can be told from lists. */
export type PickleTuple = readonly PickleValue[] & { readonly tuple: true };

interface AllowedCallable {
  readonly kind: "callable";
  readonly name: string;
  call(args: PickleValue[]): PickleValue;
}

export class UnpickleError extends Error {}

const STORAGE_TYPES: Record<string, [TorchDtype, number]> = {
  FloatStorage: ["float32", 4],
  HalfStorage: ["float16", 2],
  BFloat16Storage: ["bfloat16", 2],
  DoubleStorage: ["float64", 8],
  LongStorage: ["int64", 8],
  IntStorage: ["int32", 4],
  ShortStorage: ["int16", 2],
  CharStorage: ["int8", 1],
  ByteStorage: ["uint8", 1],
  BoolStorage: ["bool", 1],
};

function tuple(items: PickleValue[]): PickleTuple {
  return Object.assign(items, { tuple: true as const }) as unknown as PickleTuple;
}

export function isTuple(v: unknown): v is PickleTuple {
  return Array.isArray(v) && (v as unknown as { tuple?: boolean }).tuple === true;
}

export function isTensorRef(v: unknown): v is TensorRef {
  return typeof v === "object" && v !== null && (v as TensorRef).kind === "tensor";
}

function intList(v: PickleValue, what: string): number[] {
  if (!Array.isArray(v)) throw new UnpickleError(`${what} is not a tuple of integers`);
  return v.map((d) => {
    const n = typeof d === "bigint" ? Number(d) : d;
    if (typeof n !== "number" || !Number.isSafeInteger(n) || n < 0) throw new UnpickleError(`${what} holds ${String(d)}, not a size`);
    return n;
  });
}

/** torch._utils._rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata]) */
function rebuildTensor(args: PickleValue[]): TensorRef {
  const [storage, offset, size, stride] = args;
  if (typeof storage !== "object" || storage === null || (storage as StorageRef).kind !== "storage") {
    throw new UnpickleError("_rebuild_tensor_v2: its first argument is not a storage from the archive");
  }
  const storageOffset = intList(tuple([offset ?? null]), "_rebuild_tensor_v2 storage_offset")[0];
  const shape = intList(size ?? null, "_rebuild_tensor_v2 size");
  const strides = intList(stride ?? null, "_rebuild_tensor_v2 stride");
  if (strides.length !== shape.length)
    throw new UnpickleError(`_rebuild_tensor_v2: size [${shape}] and stride [${strides}] differ in length`);
  return { kind: "tensor", storage: storage as StorageRef, storageOffset, shape, stride: strides };
}

/**
 * Every global a stream may name. Anything else is refused at the GLOBAL opcode, before a
 * REDUCE could call it. Only entries with `call` may be called (REDUCE / NEWOBJ).
 */
const ALLOWED_GLOBALS: Record<string, () => PickleValue> = {
  "collections.OrderedDict": () => ({ kind: "callable", name: "collections.OrderedDict", call: () => new Map() }),
  "torch._utils._rebuild_tensor_v2": () => ({ kind: "callable", name: "torch._utils._rebuild_tensor_v2", call: rebuildTensor }),
  // _rebuild_parameter(data, requires_grad, backward_hooks): a Parameter is its data here
  "torch._utils._rebuild_parameter": () => ({
    kind: "callable",
    name: "torch._utils._rebuild_parameter",
    call: (args) => {
      if (!isTensorRef(args[0])) throw new UnpickleError("_rebuild_parameter: its first argument is not a tensor");
      return args[0];
    },
  }),
  ...Object.fromEntries(
    Object.entries(STORAGE_TYPES).map(([name, [dtype, bytesPerElement]]) => [
      `torch.${name}`,
      (): StorageType => ({ kind: "storage-type", name: `torch.${name}`, dtype, bytesPerElement }),
    ]),
  ),
};

export interface UnpickleOptions {
  /** what a persistent id (BINPERSID) stands for; without it, persistent ids are refused */
  persistentLoad?: (pid: PickleValue) => PickleValue;
  /** names the stream in errors, e.g. "ckpt.pt:archive/data.pkl" */
  sourceName: string;
}

const MARK = Symbol("mark");
type StackItem = PickleValue | typeof MARK;

/** Opcode names for errors about opcodes this reader does not run. */
const REFUSED_OPCODES = new Map<number, string>([
  [0x69, "INST"],
  [0x6f, "OBJ"],
  [0x82, "EXT1"],
  [0x83, "EXT2"],
  [0x84, "EXT4"],
  [0x50, "PERSID"],
  [0x92, "NEWOBJ_EX"],
]);

/** Reads one pickle; returns its value or throws naming the first thing it will not do. */
export function unpickle(bytes: Uint8Array, options: UnpickleOptions): PickleValue {
  const src = options.sourceName;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const utf8 = new TextDecoder("utf-8", { fatal: true });
  const latin1 = new TextDecoder("latin1");
  let pos = 0;
  const stack: StackItem[] = [];
  const memo = new Map<number, PickleValue>();

  const fail = (problem: string): never => {
    throw new UnpickleError(`${src}: ${problem} (at byte ${pos})`);
  };
  const need = (n: number): number => {
    if (pos + n > bytes.length) fail(`pickle is truncated: ${n} more byte(s) needed, ${bytes.length - pos} left`);
    const at = pos;
    pos += n;
    return at;
  };
  const u8 = () => bytes[need(1)];
  const u16 = () => view.getUint16(need(2), true);
  const u32 = () => view.getUint32(need(4), true);
  const i32 = () => view.getInt32(need(4), true);
  const u64 = () => {
    const n = view.getBigUint64(need(8), true);
    if (n > BigInt(bytes.length)) fail(`length ${n} is longer than the pickle`);
    return Number(n);
  };
  const raw = (n: number) => bytes.subarray(need(n), pos);
  const text = (n: number) => {
    try {
      return utf8.decode(raw(n));
    } catch {
      return fail("a string is not valid UTF-8");
    }
  };
  const pop = (): PickleValue => {
    const v = stack.pop();
    if (v === undefined) fail("stack underflow");
    if (v === MARK) fail("a MARK where a value was expected");
    return v as PickleValue;
  };
  const top = (): PickleValue => {
    if (stack.length === 0 || stack[stack.length - 1] === MARK) fail("stack underflow");
    return stack[stack.length - 1] as PickleValue;
  };
  const popToMark = (): PickleValue[] => {
    const at = stack.lastIndexOf(MARK);
    if (at < 0) fail("no MARK on the stack");
    const items = stack.splice(at) as PickleValue[];
    items.shift();
    return items;
  };
  const global = (module: string, name: string): PickleValue => {
    const key = `${module}.${name}`;
    const make = Object.hasOwn(ALLOWED_GLOBALS, key) ? ALLOWED_GLOBALS[key] : undefined;
    if (!make) fail(`refused global ${key}: only ${Object.keys(ALLOWED_GLOBALS).join(", ")} are allowed; nothing was executed`);
    return make!();
  };
  const callable = (f: PickleValue, opcode: string): AllowedCallable => {
    if (typeof f !== "object" || f === null || (f as AllowedCallable).kind !== "callable") {
      const name = typeof f === "object" && f !== null && "name" in f ? String((f as { name: unknown }).name) : typeof f;
      return fail(`refused ${opcode} on ${name}: it is not an allowed callable; nothing was executed`);
    }
    return f as AllowedCallable;
  };
  const setItems = (target: PickleValue, items: PickleValue[]) => {
    if (!(target instanceof Map)) fail("SETITEM(S) on something that is not a dict");
    if (items.length % 2 !== 0) fail("SETITEMS with an odd number of items");
    for (let i = 0; i < items.length; i += 2) (target as Map<PickleValue, PickleValue>).set(dictKey(items[i]), items[i + 1]);
  };
  const append = (target: PickleValue, items: PickleValue[]) => {
    if (!Array.isArray(target) || isTuple(target)) fail("APPEND(S) on something that is not a list");
    (target as PickleValue[]).push(...items);
  };

  for (;;) {
    const opAt = pos;
    const op = u8();
    switch (op) {
      case 0x80: {
        // PROTO n
        const version = u8();
        if (version > 5) fail(`pickle protocol ${version} is newer than 5`);
        break;
      }
      case 0x95: // FRAME n (protocol 4): a length hint only
        u64();
        break;
      case 0x2e: // STOP
        if (stack.length !== 1) fail(`STOP with ${stack.length} items on the stack`);
        return pop();
      case 0x28: // MARK
        stack.push(MARK);
        break;
      case 0x4e: // NONE
        stack.push(null);
        break;
      case 0x88: // NEWTRUE
        stack.push(true);
        break;
      case 0x89: // NEWFALSE
        stack.push(false);
        break;
      case 0x4a: // BININT
        stack.push(i32());
        break;
      case 0x4b: // BININT1
        stack.push(u8());
        break;
      case 0x4d: // BININT2
        stack.push(u16());
        break;
      case 0x8a: {
        // LONG1 n: little-endian two's complement of n bytes
        const n = u8();
        stack.push(longFromBytes(raw(n)));
        break;
      }
      case 0x47: // BINFLOAT: big-endian float64
        stack.push(view.getFloat64(need(8), false));
        break;
      case 0x58: // BINUNICODE
        stack.push(text(u32()));
        break;
      case 0x8c: // SHORT_BINUNICODE
        stack.push(text(u8()));
        break;
      case 0x8d: // BINUNICODE8
        stack.push(text(u64()));
        break;
      case 0x54: // BINSTRING (protocol 1-2 byte strings, read as latin-1 as Python 3 does)
        stack.push(latin1.decode(raw(i32())));
        break;
      case 0x55: // SHORT_BINSTRING
        stack.push(latin1.decode(raw(u8())));
        break;
      case 0x42: // BINBYTES
        stack.push(raw(u32()).slice());
        break;
      case 0x43: // SHORT_BINBYTES
        stack.push(raw(u8()).slice());
        break;
      case 0x8e: // BINBYTES8
        stack.push(raw(u64()).slice());
        break;
      case 0x7d: // EMPTY_DICT
        stack.push(new Map());
        break;
      case 0x5d: // EMPTY_LIST
        stack.push([]);
        break;
      case 0x29: // EMPTY_TUPLE
        stack.push(tuple([]));
        break;
      case 0x74: // TUPLE
        stack.push(tuple(popToMark()));
        break;
      case 0x85: // TUPLE1
        stack.push(tuple([pop()]));
        break;
      case 0x86: {
        // TUPLE2
        const b = pop();
        stack.push(tuple([pop(), b]));
        break;
      }
      case 0x87: {
        // TUPLE3
        const c = pop();
        const b = pop();
        stack.push(tuple([pop(), b, c]));
        break;
      }
      case 0x6c: // LIST
        stack.push(popToMark());
        break;
      case 0x64: {
        // DICT
        const d = new Map<PickleValue, PickleValue>();
        setItems(d, popToMark());
        stack.push(d);
        break;
      }
      case 0x73: {
        // SETITEM
        const value = pop();
        const key = pop();
        setItems(top(), [key, value]);
        break;
      }
      case 0x75: {
        // SETITEMS
        const items = popToMark();
        setItems(top(), items);
        break;
      }
      case 0x61: {
        // APPEND
        const v = pop();
        append(top(), [v]);
        break;
      }
      case 0x65: {
        // APPENDS
        const items = popToMark();
        append(top(), items);
        break;
      }
      case 0x71: // BINPUT
        memo.set(u8(), top());
        break;
      case 0x72: // LONG_BINPUT
        memo.set(u32(), top());
        break;
      case 0x94: // MEMOIZE
        memo.set(memo.size, top());
        break;
      case 0x68: // BINGET
      case 0x6a: {
        // LONG_BINGET
        const key = op === 0x68 ? u8() : u32();
        if (!memo.has(key)) fail(`memo ${key} was never stored`);
        stack.push(memo.get(key)!);
        break;
      }
      case 0x63: {
        // GLOBAL "module\nname\n"
        const module = line();
        const name = line();
        stack.push(global(module, name));
        break;
      }
      case 0x93: {
        // STACK_GLOBAL
        const name = pop();
        const module = pop();
        if (typeof module !== "string" || typeof name !== "string") fail("STACK_GLOBAL needs two strings");
        stack.push(global(module as string, name as string));
        break;
      }
      case 0x52: // REDUCE: f(*args)
      case 0x81: {
        // NEWOBJ: cls.__new__(cls, *args), the same builders here
        const args = pop();
        const f = callable(pop(), op === 0x52 ? "REDUCE" : "NEWOBJ");
        if (!isTuple(args)) fail(`${op === 0x52 ? "REDUCE" : "NEWOBJ"} on ${f.name}: arguments are not a tuple`);
        stack.push(f.call([...(args as PickleTuple)]));
        break;
      }
      case 0x62: {
        // BUILD: set state on the object below. Allowed objects are data: an OrderedDict's
        // attributes (state_dict's `_metadata`) are kept aside, a tensor's state is refused.
        const state = pop();
        const target = top();
        if (!(target instanceof Map)) fail("BUILD on an object that takes no state");
        (target as Map<PickleValue, PickleValue> & { attributes?: PickleValue }).attributes = state;
        break;
      }
      case 0x51: {
        // BINPERSID
        const pid = pop();
        if (!options.persistentLoad) fail("a persistent id, but this stream has no archive to resolve it");
        stack.push(options.persistentLoad!(pid));
        break;
      }
      case 0x30: // POP
        pop();
        break;
      case 0x31: // POP_MARK
        popToMark();
        break;
      case 0x32: // DUP
        stack.push(top());
        break;
      default: {
        pos = opAt;
        const name = REFUSED_OPCODES.get(op);
        fail(
          name
            ? `refused opcode ${name}: this reader builds no objects of arbitrary classes`
            : `unknown or unsupported opcode 0x${op.toString(16).padStart(2, "0")}`,
        );
      }
    }
  }

  function line(): string {
    const end = bytes.indexOf(0x0a, pos);
    if (end < 0) fail("pickle is truncated inside a GLOBAL (its newline is missing)");
    const s = latin1.decode(bytes.subarray(pos, end));
    pos = end + 1;
    return s;
  }
}

/** Dict keys: numbers and strings as themselves; a bigint that fits is a number (itos maps ints). */
function dictKey(key: PickleValue): PickleValue {
  if (typeof key === "bigint" && key >= BigInt(Number.MIN_SAFE_INTEGER) && key <= BigInt(Number.MAX_SAFE_INTEGER)) return Number(key);
  return key;
}

/** LONG1's value: a number when it is a safe integer, else a bigint. */
function longFromBytes(b: Uint8Array): number | bigint {
  let v = 0n;
  for (let i = b.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]);
  if (b.length > 0 && b[b.length - 1] & 0x80) v -= 1n << BigInt(8 * b.length);
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

/** The storage type behind a persistent id's second item, or an error naming what it was. */
export function asStorageType(v: PickleValue, where: string): StorageType {
  if (typeof v === "object" && v !== null && (v as StorageType).kind === "storage-type") return v as StorageType;
  throw new UnpickleError(`${where}: expected a torch storage type, got ${describe(v)}`);
}

/** A short description of a value for errors. */
export function describe(v: PickleValue | undefined): string {
  if (v === null || v === undefined) return "None";
  if (typeof v === "string") return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (typeof v !== "object") return String(v);
  if (v instanceof Map) return `a dict of ${v.size}`;
  if (v instanceof Uint8Array) return `${v.length} bytes`;
  if (Array.isArray(v)) return `${isTuple(v) ? "a tuple" : "a list"} of ${v.length}`;
  return (v as { kind: string }).kind;
}
