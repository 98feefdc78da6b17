/**
 * The restricted unpickler: plain data and torch's tensor rebuilds are read; every other global,
 * callable or object-building opcode is refused by name, and nothing runs. Malicious pickles are
 * written byte by byte here; when Python is present, the same bytes are first shown to be live
 * (Python's own pickle.loads does create the marker file), so the refusal is not vacuous.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadModelFile } from "../../../src/app/load-model.ts";
import { bytesSource } from "../../../src/model/import/byte-source.ts";
import { parseMetaPkl } from "../../../src/model/import/nanogpt.ts";
import { openTorchArchive } from "../../../src/model/import/torch-archive.ts";
import { isTuple, type PickleValue, unpickle } from "../../../src/model/import/unpickle.ts";
import { storedZip } from "./zip-writer.ts";

const PYTHON = "/usr/bin/python3";
const dir = mkdtempSync(join(tmpdir(), "unpickle-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// ---- a tiny pickle assembler (protocol 2 opcodes)
const enc = new TextEncoder();
const u32 = (n: number) => [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, (n >>> 24) & 0xff];
const str = (s: string) => {
  const b = enc.encode(s);
  return [0x58, ...u32(b.length), ...b]; // BINUNICODE
};
const global = (module: string, name: string) => [0x63, ...enc.encode(`${module}\n${name}\n`)]; // GLOBAL
const PROTO2 = [0x80, 0x02];
const STOP = 0x2e;
const TUPLE1 = 0x85;
const REDUCE = 0x52;
const EMPTY_TUPLE = 0x29;
const bytesOf = (...parts: (number | number[])[]) => Uint8Array.from(parts.flat());

/** `os.system(command)` as pickle.dumps of a __reduce__ would write it */
const osSystem = (command: string) => bytesOf(PROTO2, global("os", "system"), str(command), TUPLE1, REDUCE, STOP);
/** `builtins.eval(code)` through STACK_GLOBAL (protocol 4) */
const stackGlobalEval = (code: string) => bytesOf([0x80, 0x04], str("builtins"), str("eval"), 0x93, str(code), TUPLE1, REDUCE, STOP);

function pythonLoads(bytes: Uint8Array): boolean {
  if (!existsSync(PYTHON)) return false;
  const file = join(dir, `payload-${Math.random()}.pkl`);
  writeFileSync(file, bytes);
  const run = spawnSync(PYTHON, ["-c", "import pickle,sys; pickle.loads(open(sys.argv[1],'rb').read())", file], { timeout: 20_000 });
  return run.status === 0;
}

describe("restricted unpickler", () => {
  it("refuses GLOBAL os system by name and runs nothing (Python itself would run it)", () => {
    const marker = join(dir, "pwned-by-os-system");
    const payload = osSystem(`touch ${marker}`);
    if (pythonLoads(payload)) {
      expect(existsSync(marker), "Python's pickle ran the payload: it is live").toBe(true);
      rmSync(marker);
    }
    expect(() => unpickle(payload, { sourceName: "evil.pkl" })).toThrow(/refused global os\.system.*nothing was executed/);
    expect(existsSync(marker)).toBe(false);
  });

  it("refuses builtins.eval through STACK_GLOBAL, and nothing runs", () => {
    const marker = join(dir, "pwned-by-eval");
    const payload = stackGlobalEval(`open(${JSON.stringify(marker)}, 'w').write('x')`);
    if (pythonLoads(payload)) {
      expect(existsSync(marker)).toBe(true);
      rmSync(marker);
    }
    expect(() => unpickle(payload, { sourceName: "evil.pkl" })).toThrow(/refused global builtins\.eval/);
    expect(existsSync(marker)).toBe(false);
  });

  it("refuses REDUCE on an allowed global that is not a callable (a storage type)", () => {
    const payload = bytesOf(PROTO2, global("torch", "FloatStorage"), EMPTY_TUPLE, REDUCE, STOP);
    expect(() => unpickle(payload, { sourceName: "x.pkl" })).toThrow(/refused REDUCE on torch\.FloatStorage/);
  });

  it("refuses INST and OBJ opcodes by name", () => {
    const inst = bytesOf(PROTO2, 0x28, [0x69, ...enc.encode("os\nsystem\n")], STOP);
    expect(() => unpickle(inst, { sourceName: "x.pkl" })).toThrow(/refused opcode INST/);
    const obj = bytesOf(PROTO2, 0x28, global("collections", "OrderedDict"), 0x6f, STOP);
    expect(() => unpickle(obj, { sourceName: "x.pkl" })).toThrow(/refused opcode OBJ/);
  });

  it("reads plain data: dicts, lists, tuples, ints, floats, strings, OrderedDict", () => {
    // {"a": [1, -2, 3.5], "b": ("x", True, None), "c": OrderedDict()}
    const bin = bytesOf(
      PROTO2,
      0x7d, // EMPTY_DICT
      0x28, // MARK
      str("a"),
      0x5d,
      0x28,
      [0x4b, 1],
      [0x4a, ...u32(-2 >>> 0)],
      [0x47, ...new Uint8Array(new Float64Array([3.5]).buffer).reverse()],
      0x65, // APPENDS
      str("b"),
      str("x"),
      0x88,
      0x4e,
      0x87, // TUPLE3
      str("c"),
      global("collections", "OrderedDict"),
      EMPTY_TUPLE,
      REDUCE,
      0x75, // SETITEMS
      STOP,
    );
    const v = unpickle(bin, { sourceName: "plain.pkl" }) as Map<string, PickleValue>;
    expect(v.get("a")).toEqual([1, -2, 3.5]);
    expect(isTuple(v.get("b"))).toBe(true);
    expect([...(v.get("b") as PickleValue[])]).toEqual(["x", true, null]);
    expect(v.get("c")).toBeInstanceOf(Map);
  });

  it("names truncation", () => {
    const whole = osSystem("true");
    expect(() => unpickle(whole.subarray(0, 5), { sourceName: "cut.pkl" })).toThrow(/cut\.pkl: .*truncated|refused/);
    expect(() => unpickle(bytesOf(PROTO2, str("abc")).subarray(0, 6), { sourceName: "cut.pkl" })).toThrow(/cut\.pkl: pickle is truncated/);
  });

  it("reads Python's own meta.pkl (protocol 4/5 via pickle.dump) when Python is here", (ctx) => {
    if (!existsSync(PYTHON)) ctx.skip(`${PYTHON} is absent`);
    const file = join(dir, "meta.pkl");
    const code = `import pickle,sys; cs=sorted(set("hello wörld 😀\\n")); pickle.dump({"vocab_size": len(cs), "itos": dict(enumerate(cs)), "stoi": {c:i for i,c in enumerate(cs)}}, open(sys.argv[1],"wb"))`;
    expect(spawnSync(PYTHON, ["-c", code, file]).status).toBe(0);
    const itos = parseMetaPkl(new Uint8Array(readFileSync(file)), file);
    expect(itos).toEqual([...new Set("hello wörld 😀\n")].sort((a, b) => a.codePointAt(0)! - b.codePointAt(0)!));
  });
});

describe("a ckpt.pt whose data.pkl is malicious", () => {
  it("is refused when loaded as a model, and nothing runs", async () => {
    const marker = join(dir, "pwned-by-ckpt");
    const file = join(dir, "evil", "ckpt.pt");
    mkdirSync(join(dir, "evil"));
    writeFileSync(
      file,
      storedZip([
        ["archive/data.pkl", osSystem(`touch ${marker}`)],
        ["archive/version", enc.encode("3\n")],
      ]),
    );
    await expect(loadModelFile(file)).rejects.toThrow(/refused global os\.system/);
    expect(existsSync(marker)).toBe(false);
  });

  it("refuses a storage whose record is missing, naming it", () => {
    // {'w': _rebuild_tensor_v2(pid('storage', FloatStorage, '0', 'cpu', 4), 0, (4,), (1,), False, OrderedDict())}
    const pid = [0x28, ...str("storage"), ...global("torch", "FloatStorage"), ...str("0"), ...str("cpu"), 0x4b, 4, 0x74, 0x51];
    const pkl = bytesOf(
      PROTO2,
      0x7d,
      str("w"),
      global("torch._utils", "_rebuild_tensor_v2"),
      0x28,
      pid,
      [0x4b, 0],
      [0x4b, 4, TUPLE1],
      [0x4b, 1, TUPLE1],
      0x89,
      global("collections", "OrderedDict"),
      EMPTY_TUPLE,
      REDUCE,
      0x74,
      REDUCE,
      0x73,
      STOP,
    );
    const zip = storedZip([["archive/data.pkl", pkl]]);
    expect(() => openTorchArchive(bytesSource(zip, "x.pt"))).toThrow(/storage 0 is missing from the archive/);
    const withData = storedZip([
      ["archive/data.pkl", pkl],
      ["archive/data/0", new Uint8Array(new Float32Array([1, 2, 3, 4]).buffer)],
    ]);
    const archive = openTorchArchive(bytesSource(withData, "x.pt"));
    const ref = (archive.root as Map<string, PickleValue>).get("w") as Parameters<typeof archive.tensor>[0];
    const out = new Float32Array(4);
    archive.tensor(ref, "w").readInto(out);
    expect([...out]).toEqual([1, 2, 3, 4]);
    // the same archive cut short: the zip directory is gone
    expect(() => openTorchArchive(bytesSource(withData.subarray(0, withData.length - 30), "cut.pt"))).toThrow(
      /cut\.pt: .*(truncated|end-of-central-directory)/,
    );
  });
});
