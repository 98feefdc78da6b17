/**
 * A very small WebAssembly assembler: it writes the binary format directly, so the kernels'
 * WebAssembly is produced by TypeScript alone (no wabt, no AssemblyScript, nothing downloaded)
 * and a rebuild gives the same bytes on every machine.
 *
 * It covers only what the kernels need: one imported (shared) memory, functions over i32, f32
 * and v128 locals with no results, structured control flow, loads/stores and a handful of
 * i32, f32 and f32x4 instructions. Code is written as expression trees; each statement method
 * appends to the current function body. For example, y[i] += x[i] over n floats, 4 at a time:
 *
 *   const module = new ModuleBuilder();
 *   module.importMemory({ module: "env", name: "memory", minimum: 1, maximum: 16, shared: true });
 *   const add = module.func("add", { x: "i32", y: "i32", n: "i32" }, { exported: true });
 *   add.define((f, { x, y, n }) => {
 *     const i = f.local("i32");
 *     f.forRange(i, 0, I32.shl(n, 2), 16, () => {          // i: byte offset
 *       const at = I32.add(y, i);
 *       f.store(at, F32x4.add(F32x4.load(at), F32x4.load(I32.add(x, i))));
 *     });
 *   });
 *   const bytes = module.encode();
 *
 * Byte layout follows the WebAssembly core specification (binary format, section 5) and the
 * fixed-width SIMD proposal's opcode table (0xFD prefix, LEB128 sub-opcodes).
 */

export type ValType = "i32" | "f32" | "v128";

const VALTYPE_CODE: Record<ValType, number> = { i32: 0x7f, f32: 0x7d, v128: 0x7b };

/** Growable byte buffer with the binary format's primitive encodings. */
export class ByteWriter {
  readonly bytes: number[] = [];

  byte(b: number): void {
    this.bytes.push(b & 0xff);
  }

  raw(bytes: ArrayLike<number>): void {
    for (let i = 0; i < bytes.length; i++) this.bytes.push(bytes[i] & 0xff);
  }

  /** unsigned LEB128 */
  u32(value: number): void {
    if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
      throw new Error(`u32 out of range: ${value}`);
    }
    let v = value;
    do {
      let b = v & 0x7f;
      v = Math.floor(v / 128);
      if (v !== 0) b |= 0x80;
      this.bytes.push(b);
    } while (v !== 0);
  }

  /** signed LEB128 of a 32-bit integer */
  s32(value: number): void {
    if (!Number.isInteger(value) || value < -0x80000000 || value > 0x7fffffff) {
      throw new Error(`s32 out of range: ${value}`);
    }
    let v = value | 0;
    for (;;) {
      const b = v & 0x7f;
      v >>= 7;
      const done = (v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0);
      this.bytes.push(done ? b : b | 0x80);
      if (done) return;
    }
  }

  f32(value: number): void {
    const buffer = new DataView(new ArrayBuffer(4));
    buffer.setFloat32(0, value, true);
    for (let i = 0; i < 4; i++) this.bytes.push(buffer.getUint8(i));
  }

  name(text: string): void {
    const utf8 = new TextEncoder().encode(text);
    this.u32(utf8.length);
    this.raw(utf8);
  }

  /** a section or code entry: its byte size, then its bytes */
  sized(content: ByteWriter): void {
    this.u32(content.bytes.length);
    this.raw(content.bytes);
  }
}

// ---------------------------------------------------------------------------------------------
// Expressions

/** A tree that leaves one value of `type` on the stack when emitted. */
export interface Expr {
  readonly type: ValType;
  emit(w: ByteWriter): void;
}

/** Where a plain number stands for an i32 constant. */
export type I32Like = Expr | number;

function asExpr(value: I32Like): Expr {
  return typeof value === "number" ? I32.c(value) : value;
}

function expectType(expr: Expr, type: ValType, where: string): Expr {
  if (expr.type !== type) throw new Error(`${where}: expected ${type}, got ${expr.type}`);
  return expr;
}

/** An operator node: its operands in order, then its opcode bytes. */
function node(type: ValType, opcode: number[], operands: Expr[], immediates?: (w: ByteWriter) => void): Expr {
  return {
    type,
    emit(w) {
      for (const operand of operands) operand.emit(w);
      w.raw(opcode);
      immediates?.(w);
    },
  };
}

/** A SIMD instruction: prefix 0xFD, then its sub-opcode as LEB128. */
function simdOpcode(sub: number): number[] {
  const w = new ByteWriter();
  w.byte(0xfd);
  w.u32(sub);
  return w.bytes;
}

/** memarg: log2 alignment hint, constant byte offset */
function memarg(alignLog2: number, offset: number): (w: ByteWriter) => void {
  return (w) => {
    w.u32(alignLog2);
    w.u32(offset);
  };
}

/** A function-local variable (parameters are locals 0..n−1). Reading it is an expression. */
export class Local implements Expr {
  constructor(
    readonly index: number,
    readonly type: ValType,
  ) {}

  emit(w: ByteWriter): void {
    w.byte(0x20); // local.get
    w.u32(this.index);
  }
}

function i32Binary(opcode: number) {
  return (a: I32Like, b: I32Like): Expr =>
    node("i32", [opcode], [expectType(asExpr(a), "i32", "i32 op"), expectType(asExpr(b), "i32", "i32 op")]);
}

/** i32 instructions; comparisons give 1 or 0. */
export const I32 = {
  c(value: number): Expr {
    return {
      type: "i32",
      emit: (w) => {
        w.byte(0x41);
        w.s32(value);
      },
    };
  },
  eqz: (a: I32Like): Expr => node("i32", [0x45], [asExpr(a)]),
  eq: i32Binary(0x46),
  ne: i32Binary(0x47),
  ltS: i32Binary(0x48),
  ltU: i32Binary(0x49),
  gtS: i32Binary(0x4a),
  geS: i32Binary(0x4e),
  leS: i32Binary(0x4c),
  add: i32Binary(0x6a),
  sub: i32Binary(0x6b),
  mul: i32Binary(0x6c),
  /** signed division, rounding toward zero (traps on division by zero) */
  divS: i32Binary(0x6d),
  and: i32Binary(0x71),
  or: i32Binary(0x72),
  shl: i32Binary(0x74),
  /** min of two signed values; both operands are emitted twice, so keep them cheap and pure */
  minS(a: I32Like, b: I32Like): Expr {
    const x = asExpr(a),
      y = asExpr(b);
    return select(x, y, I32.ltS(x, y));
  },
  /** max of two signed values; both operands are emitted twice, as in minS */
  maxS(a: I32Like, b: I32Like): Expr {
    const x = asExpr(a),
      y = asExpr(b);
    return select(x, y, I32.gtS(x, y));
  },
  load: (addr: I32Like, offset = 0): Expr => node("i32", [0x28], [asExpr(addr)], memarg(2, offset)),
  /**
   * i32.atomic.rmw.add (threads proposal, shared memory): adds `value` to the i32 at `addr`
   * (4-byte aligned) as one indivisible step and gives the value it had before
   */
  atomicAdd: (addr: I32Like, value: I32Like): Expr =>
    node(
      "i32",
      [0xfe, 0x1e],
      [expectType(asExpr(addr), "i32", "i32.atomic.rmw.add"), expectType(asExpr(value), "i32", "i32.atomic.rmw.add")],
      memarg(2, 0),
    ),
  /** i32.atomic.load: the i32 at `addr` (4-byte aligned) as another thread last wrote it whole */
  atomicLoad: (addr: I32Like): Expr => node("i32", [0xfe, 0x10], [expectType(asExpr(addr), "i32", "i32.atomic.load")], memarg(2, 0)),
};

/** cond ? a : b (both evaluated) */
export function select(a: Expr, b: Expr, cond: I32Like): Expr {
  if (a.type !== b.type) throw new Error(`select: ${a.type} vs ${b.type}`);
  const operands = [a, b, asExpr(cond)];
  if (a.type === "v128") return node(a.type, [0x1c, 0x01, VALTYPE_CODE.v128], operands);
  return node(a.type, [0x1b], operands);
}

function f32Binary(opcode: number, type: ValType = "f32") {
  return (a: Expr, b: Expr): Expr => node(type, [opcode], [expectType(a, "f32", "f32 op"), expectType(b, "f32", "f32 op")]);
}

/** scalar f32 instructions; comparisons give an i32 1 or 0 */
export const F32 = {
  c(value: number): Expr {
    return {
      type: "f32",
      emit: (w) => {
        w.byte(0x43);
        w.f32(value);
      },
    };
  },
  load: (addr: I32Like, offset = 0): Expr => node("f32", [0x2a], [asExpr(addr)], memarg(2, offset)),
  lt: f32Binary(0x5d, "i32"),
  gt: f32Binary(0x5e, "i32"),
  add: f32Binary(0x92),
  sub: f32Binary(0x93),
  mul: f32Binary(0x94),
  div: f32Binary(0x95),
  max: f32Binary(0x97),
  sqrt: (a: Expr): Expr => node("f32", [0x91], [expectType(a, "f32", "f32.sqrt")]),
  /** round to the nearest integer, ties to even */
  nearest: (a: Expr): Expr => node("f32", [0x90], [expectType(a, "f32", "f32.nearest")]),
  /** i32 → f32 (signed) */
  fromI32: (a: I32Like): Expr => node("f32", [0xb2], [expectType(asExpr(a), "i32", "f32.convert_i32_s")]),
  /** the f32 whose bits are this i32 */
  fromBits: (a: I32Like): Expr => node("f32", [0xbe], [expectType(asExpr(a), "i32", "f32.reinterpret_i32")]),
  /** f32 → i32 toward zero, saturating (NaN gives 0; never traps) */
  toI32: (a: Expr): Expr => node("i32", [0xfc, 0x00], [expectType(a, "f32", "i32.trunc_sat_f32_s")]),
};

function v128Binary(sub: number, name: string) {
  return (a: Expr, b: Expr): Expr => node("v128", simdOpcode(sub), [expectType(a, "v128", name), expectType(b, "v128", name)]);
}

/** 128-bit SIMD: four i32 lanes (the bits of f32 lanes, for building powers of two) */
export const I32x4 = {
  /** four lanes of the same i32 constant (v128.const) */
  c(value: number): Expr {
    const lanes = new Uint8Array(new Int32Array([value, value, value, value]).buffer);
    return {
      type: "v128",
      emit: (w) => {
        w.raw(simdOpcode(0x0c));
        w.raw(lanes);
      },
    };
  },
  add: v128Binary(0xae, "i32x4.add"),
  /** each lane shifted left by `bits` */
  shl: (a: Expr, bits: I32Like): Expr =>
    node("v128", simdOpcode(0xab), [expectType(a, "v128", "i32x4.shl"), expectType(asExpr(bits), "i32", "i32x4.shl")]),
};

/** 128-bit SIMD: four f32 lanes */
export const F32x4 = {
  /** all lanes zero */
  zero(): Expr {
    return {
      type: "v128",
      emit: (w) => {
        w.raw(simdOpcode(0x0c));
        w.raw(new Uint8Array(16));
      },
    };
  },
  /** 16 bytes from addr+offset (any alignment; the hint says 16) */
  load: (addr: I32Like, offset = 0): Expr => node("v128", simdOpcode(0x00), [asExpr(addr)], memarg(4, offset)),
  /** one f32 from addr+offset copied to all four lanes */
  loadSplat: (addr: I32Like, offset = 0): Expr => node("v128", simdOpcode(0x09), [asExpr(addr)], memarg(2, offset)),
  splat: (a: Expr): Expr => node("v128", simdOpcode(0x13), [expectType(a, "f32", "f32x4.splat")]),
  extractLane: (a: Expr, lane: number): Expr =>
    node("f32", simdOpcode(0x1f), [expectType(a, "v128", "f32x4.extract_lane")], (w) => w.byte(lane)),
  /** four lanes of the same f32 constant (v128.const) */
  c(value: number): Expr {
    const lanes = new Uint8Array(new Float32Array([value, value, value, value]).buffer);
    return {
      type: "v128",
      emit: (w) => {
        w.raw(simdOpcode(0x0c));
        w.raw(lanes);
      },
    };
  },
  add: v128Binary(0xe4, "f32x4.add"),
  sub: v128Binary(0xe5, "f32x4.sub"),
  mul: v128Binary(0xe6, "f32x4.mul"),
  div: v128Binary(0xe7, "f32x4.div"),
  sqrt: (a: Expr): Expr => node("v128", simdOpcode(0xe3), [expectType(a, "v128", "f32x4.sqrt")]),
  /**
   * four lanes picked from a's and b's eight (0–3: a's lanes, 4–7: b's), as i8x16.shuffle with
   * each f32 lane's four bytes: e.g. [0, 4, 1, 5] interleaves the low halves of a and b
   */
  shuffle(a: Expr, b: Expr, lanes: readonly [number, number, number, number]): Expr {
    if (lanes.some((l) => !Number.isInteger(l) || l < 0 || l > 7)) throw new Error(`f32x4 shuffle lanes must be 0–7, got ${lanes}`);
    const bytes = lanes.flatMap((l) => [4 * l, 4 * l + 1, 4 * l + 2, 4 * l + 3]);
    return node("v128", simdOpcode(0x0d), [expectType(a, "v128", "i8x16.shuffle"), expectType(b, "v128", "i8x16.shuffle")], (w) =>
      w.raw(bytes),
    );
  },
  min: v128Binary(0xe8, "f32x4.min"),
  max: v128Binary(0xe9, "f32x4.max"),
  /**
   * the pseudo-minimum b < a ? b : a and pseudo-maximum a < b ? b : a: one CPU instruction each
   * (min/max above must order NaNs and zeros, several). With x first, a NaN x stays NaN:
   * pmin(pmax(x, lo), hi) clamps x to [lo, hi].
   */
  pmin: v128Binary(0xea, "f32x4.pmin"),
  pmax: v128Binary(0xeb, "f32x4.pmax"),
  /**
   * a·b + c in one step where the CPU has fused multiply-add (relaxed SIMD's f32x4.relaxed_madd;
   * Node 20 validates it only with V8's --experimental-wasm-relaxed-simd)
   */
  madd: (a: Expr, b: Expr, c: Expr): Expr =>
    node("v128", simdOpcode(0x105), [
      expectType(a, "v128", "f32x4.relaxed_madd"),
      expectType(b, "v128", "f32x4.relaxed_madd"),
      expectType(c, "v128", "f32x4.relaxed_madd"),
    ]),
  /** lanes a > b: all ones where true, else zero (false for NaN) */
  gt: v128Binary(0x44, "f32x4.gt"),
  /** lanes a < b: all ones where true, else zero (false for NaN) */
  lt: v128Binary(0x43, "f32x4.lt"),
  /** the bits of a and b (v128.and) */
  and: v128Binary(0x4e, "v128.and"),
  /** the bits of a and not b (v128.andnot) */
  andNot: v128Binary(0x4f, "v128.andnot"),
  /** each lane rounded to the nearest integer, ties to even */
  nearest: (a: Expr): Expr => node("v128", simdOpcode(0x6a), [expectType(a, "v128", "f32x4.nearest")]),
  /** each lane f32 → i32 toward zero, saturating (i32x4.trunc_sat_f32x4_s) */
  toI32x4: (a: Expr): Expr => node("v128", simdOpcode(0xf8), [expectType(a, "v128", "i32x4.trunc_sat_f32x4_s")]),
  /** lane0 + lane1 + lane2 + lane3 (an f32); `a` is emitted four times, so pass a local */
  sum(a: Expr): Expr {
    return F32.add(F32.add(F32x4.extractLane(a, 0), F32x4.extractLane(a, 1)), F32.add(F32x4.extractLane(a, 2), F32x4.extractLane(a, 3)));
  },
};

// ---------------------------------------------------------------------------------------------
// Functions and statements

export interface FuncOptions {
  /** export under the function's name */
  exported?: boolean;
}

/** A branch target: the depth of its block in the function's label stack. */
export interface Label {
  readonly depth: number;
}

export class FunctionBuilder<P extends Record<string, ValType>> {
  readonly paramTypes: ValType[];
  readonly params: { [K in keyof P]: Local };
  private readonly localTypes: ValType[] = [];
  private readonly code = new ByteWriter();
  private labelDepth = 0;
  private defined = false;

  constructor(
    readonly name: string,
    readonly index: number,
    params: P,
    readonly options: FuncOptions,
  ) {
    this.paramTypes = Object.values(params);
    const locals: Record<string, Local> = {};
    Object.keys(params).forEach((key, i) => {
      locals[key] = new Local(i, params[key]);
    });
    this.params = locals as { [K in keyof P]: Local };
  }

  /** Writes the body: `body(f, params)` calls the statement methods below. */
  define(body: (f: this, params: { [K in keyof P]: Local }) => void): void {
    if (this.defined) throw new Error(`function ${this.name} defined twice`);
    this.defined = true;
    body(this, this.params);
    if (this.labelDepth !== 0) throw new Error(`function ${this.name}: unbalanced blocks`);
  }

  get isDefined(): boolean {
    return this.defined;
  }

  local(type: ValType): Local {
    const local = new Local(this.paramTypes.length + this.localTypes.length, type);
    this.localTypes.push(type);
    return local;
  }

  /** local = value */
  set(local: Local, value: I32Like): void {
    const expr = expectType(asExpr(value), local.type, `set local ${local.index}`);
    expr.emit(this.code);
    this.code.byte(0x21);
    this.code.u32(local.index);
  }

  /** local += step (i32) */
  inc(local: Local, step: I32Like): void {
    this.set(local, I32.add(local, step));
  }

  /** 4 bytes (f32, i32) or 16 bytes (v128) at addr+offset */
  store(addr: I32Like, value: Expr, offset = 0): void {
    asExpr(addr).emit(this.code);
    value.emit(this.code);
    if (value.type === "v128") this.code.raw(simdOpcode(0x0b));
    else this.code.byte(value.type === "f32" ? 0x38 : 0x36);
    memarg(value.type === "v128" ? 4 : 2, offset)(this.code);
  }

  /** bytes [dst, dst+count) set to the low byte of `value` (memory.fill, bulk memory) */
  fill(dst: I32Like, value: I32Like, count: I32Like): void {
    for (const operand of [dst, value, count]) expectType(asExpr(operand), "i32", "memory.fill").emit(this.code);
    this.code.raw([0xfc, 0x0b, 0x00]);
  }

  call(fn: FunctionBuilder<Record<string, ValType>>, args: I32Like[]): void {
    if (args.length !== fn.paramTypes.length) {
      throw new Error(`call ${fn.name}: ${args.length} arguments for ${fn.paramTypes.length} parameters`);
    }
    args.forEach((arg, i) => expectType(asExpr(arg), fn.paramTypes[i], `call ${fn.name} argument ${i}`).emit(this.code));
    this.code.byte(0x10);
    this.code.u32(fn.index);
  }

  /** block … end; `br(label)` inside jumps to after the end */
  block(body: (exit: Label) => void): void {
    this.structured(0x02, body);
  }

  /** loop … end; `br(label)` inside jumps back to the start */
  loop(body: (top: Label) => void): void {
    this.structured(0x03, body);
  }

  br(label: Label): void {
    this.code.byte(0x0c);
    this.code.u32(this.labelDepth - 1 - label.depth);
  }

  brIf(label: Label, cond: I32Like): void {
    asExpr(cond).emit(this.code);
    this.code.byte(0x0d);
    this.code.u32(this.labelDepth - 1 - label.depth);
  }

  ifThen(cond: I32Like, then: () => void, otherwise?: () => void): void {
    asExpr(cond).emit(this.code);
    this.code.byte(0x04);
    this.code.byte(0x40); // no result
    this.labelDepth++;
    then();
    if (otherwise) {
      this.code.byte(0x05);
      otherwise();
    }
    this.labelDepth--;
    this.code.byte(0x0b);
  }

  /**
   * for (i = start; i < end; i += step) body  — signed compare; `end` is re-evaluated each
   * iteration, so pass a local or a constant.
   */
  forRange(i: Local, start: I32Like, end: I32Like, step: number, body: () => void): void {
    this.set(i, start);
    this.block((exit) => {
      this.brIf(exit, I32.geS(i, end));
      this.loop((top) => {
        body();
        this.inc(i, step);
        this.brIf(top, I32.ltS(i, end));
      });
    });
  }

  /**
   * for (i = 0; i < end; i = next) body, where next is i + step when `counter` is 0 (this thread
   * takes every i, in order); otherwise `counter` is the byte address of a shared i32, zeroed by
   * the caller, and each i is what an atomic add of `step` to it returned, so threads running the
   * same loop take turns and no i is done twice. `step` is read at each claim (a local the body
   * changes gives blocks of varying size). `next` is scratch.
   */
  forClaimed(i: Local, end: I32Like, step: I32Like, counter: Local, next: Local, body: () => void): void {
    this.set(next, 0);
    this.block((done) => {
      this.loop((top) => {
        this.ifThen(
          counter,
          () => this.set(i, I32.atomicAdd(counter, step)),
          () => {
            this.set(i, next);
            this.inc(next, step);
          },
        );
        this.brIf(done, I32.geS(i, end));
        body();
        this.br(top);
      });
    });
  }

  /** while (cond) body */
  whileLoop(cond: I32Like, body: () => void): void {
    this.block((exit) => {
      this.loop((top) => {
        this.brIf(exit, I32.eqz(cond));
        body();
        this.br(top);
      });
    });
  }

  ret(): void {
    this.code.byte(0x0f);
  }

  /** the code entry: locals (runs of one type), body, end */
  encode(): ByteWriter {
    if (!this.defined) throw new Error(`function ${this.name} declared but never defined`);
    const entry = new ByteWriter();
    const runs: Array<[number, ValType]> = [];
    for (const type of this.localTypes) {
      const last = runs[runs.length - 1];
      if (last && last[1] === type) last[0]++;
      else runs.push([1, type]);
    }
    entry.u32(runs.length);
    for (const [count, type] of runs) {
      entry.u32(count);
      entry.byte(VALTYPE_CODE[type]);
    }
    entry.raw(this.code.bytes);
    entry.byte(0x0b);
    const sized = new ByteWriter();
    sized.sized(entry);
    return sized;
  }

  private structured(opcode: number, body: (label: Label) => void): void {
    this.code.byte(opcode);
    this.code.byte(0x40); // no result
    const label = { depth: this.labelDepth };
    this.labelDepth++;
    body(label);
    this.labelDepth--;
    this.code.byte(0x0b);
  }
}

export interface MemoryImport {
  module: string;
  name: string;
  /** pages of 64 KiB */
  minimum: number;
  maximum: number;
  shared: boolean;
}

/** Functions (results are not needed by the kernels: every function returns nothing). */
export class ModuleBuilder {
  private readonly funcs: Array<FunctionBuilder<Record<string, ValType>>> = [];
  private memory: MemoryImport | null = null;

  importMemory(memory: MemoryImport): void {
    this.memory = memory;
  }

  func<P extends Record<string, ValType>>(name: string, params: P, options: FuncOptions = {}): FunctionBuilder<P> {
    const fn = new FunctionBuilder(name, this.funcs.length, params, options);
    this.funcs.push(fn as unknown as FunctionBuilder<Record<string, ValType>>);
    return fn;
  }

  encode(): Uint8Array<ArrayBuffer> {
    const out = new ByteWriter();
    out.raw([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]); // "\0asm", version 1

    // 1. types: one per distinct parameter list (no results)
    const typeKeys: string[] = [];
    const typeOf = this.funcs.map((fn) => {
      const key = fn.paramTypes.join(",");
      let index = typeKeys.indexOf(key);
      if (index < 0) index = typeKeys.push(key) - 1;
      return index;
    });
    this.section(out, 1, (s) => {
      s.u32(typeKeys.length);
      for (const key of typeKeys) {
        const params = key === "" ? [] : (key.split(",") as ValType[]);
        s.byte(0x60);
        s.u32(params.length);
        for (const p of params) s.byte(VALTYPE_CODE[p]);
        s.u32(0);
      }
    });

    // 2. imports: the memory
    if (this.memory) {
      const memory = this.memory;
      this.section(out, 2, (s) => {
        s.u32(1);
        s.name(memory.module);
        s.name(memory.name);
        s.byte(0x02); // memory
        s.byte(memory.shared ? 0x03 : 0x01); // limits with a maximum (shared memories need one)
        s.u32(memory.minimum);
        s.u32(memory.maximum);
      });
    }

    // 3. functions: their type indices
    this.section(out, 3, (s) => {
      s.u32(this.funcs.length);
      for (const index of typeOf) s.u32(index);
    });

    // 7. exports
    const exported = this.funcs.filter((fn) => fn.options.exported);
    this.section(out, 7, (s) => {
      s.u32(exported.length);
      for (const fn of exported) {
        s.name(fn.name);
        s.byte(0x00);
        s.u32(fn.index);
      }
    });

    // 10. code
    this.section(out, 10, (s) => {
      s.u32(this.funcs.length);
      for (const fn of this.funcs) s.raw(fn.encode().bytes);
    });
    return Uint8Array.from(out.bytes);
  }

  private section(out: ByteWriter, id: number, fill: (s: ByteWriter) => void): void {
    const content = new ByteWriter();
    fill(content);
    out.byte(id);
    out.sized(content);
  }
}
