import { describe, expect, it } from "vitest";
import { decodeSafetensors, encodeSafetensors, halfToFloat, type TensorToWrite } from "../../src/model/safetensors.ts";

const SOURCE = "weights.safetensors";

/** A file from a header object and raw data bytes, built by hand (header padded to 8). */
function handMade(header: unknown, data: number[] | Uint8Array, declaredLength?: bigint): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 8) * 8;
  const bytes = new Uint8Array(8 + padded + data.length);
  new DataView(bytes.buffer).setBigUint64(0, declaredLength ?? BigInt(padded), true);
  bytes.set(json, 8);
  bytes.fill(0x20, 8 + json.length, 8 + padded);
  bytes.set(data, 8 + padded);
  return bytes;
}

function f32(name: string, shape: number[], begin: number) {
  const end = begin + 4 * shape.reduce((a, b) => a * b, 1);
  return { [name]: { dtype: "F32", shape, data_offsets: [begin, end] } };
}

const sample: TensorToWrite[] = [
  { name: "a.weight", shape: [2, 3], data: Float32Array.from([1, -2, 3.5, 1e-30, -0, 7]) },
  { name: "scalar", shape: [], data: Float32Array.from([Math.PI]) },
  { name: "empty", shape: [0, 4], data: new Float32Array(0) },
  { name: "b.bias", shape: [3], data: Float32Array.from([Infinity, -Infinity, 0.1]) },
];

describe("encodeSafetensors / decodeSafetensors", () => {
  it("round-trips tensors bit-exactly and metadata as strings", () => {
    const bytes = encodeSafetensors(sample, { format: "test", note: "日本語 ok" });
    const back = decodeSafetensors(bytes, SOURCE);
    expect(back.metadata).toEqual({ format: "test", note: "日本語 ok" });
    expect([...back.tensors.keys()].sort()).toEqual(sample.map((t) => t.name).sort());
    for (const t of sample) {
      const got = back.tensors.get(t.name)!;
      expect(got.shape).toEqual(t.shape);
      expect(got.dtype).toBe("F32");
      expect(new Uint8Array(got.data.buffer)).toEqual(new Uint8Array(t.data.buffer));
    }
  });

  it("writes a little-endian length, a space-padded header aligned to 8, and little-endian floats", () => {
    const bytes = encodeSafetensors([{ name: "x", shape: [2], data: Float32Array.from([1, -2]) }], {});
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(n % 8).toBe(0);
    expect(bytes.length).toBe(8 + n + 8);
    const headerText = new TextDecoder().decode(bytes.subarray(8, 8 + n));
    expect(headerText).toMatch(/^\{[^ ]*\} *$/); // JSON, then only spaces as padding
    expect(JSON.parse(headerText)).toEqual({ __metadata__: {}, x: { dtype: "F32", shape: [2], data_offsets: [0, 8] } });
    // 1.0f = 0x3f800000, -2.0f = 0xc0000000, least significant byte first
    expect([...bytes.subarray(8 + n)]).toEqual([0x00, 0x00, 0x80, 0x3f, 0x00, 0x00, 0x00, 0xc0]);
  });

  it("reads from a Uint8Array at an odd offset and copies the data out", () => {
    const bytes = encodeSafetensors(sample, {});
    const shifted = new Uint8Array(bytes.length + 1);
    shifted.set(bytes, 1);
    const view = shifted.subarray(1);
    const back = decodeSafetensors(view, SOURCE);
    const a = back.tensors.get("a.weight")!.data;
    expect(Array.from(a)).toEqual(Array.from(sample[0].data));
    shifted.fill(0); // the decoded data must not alias the file's bytes
    expect(a[0]).toBe(1);
  });

  it("refuses bad input to the encoder", () => {
    expect(() => encodeSafetensors([{ name: "x", shape: [2, 2], data: new Float32Array(3) }], {})).toThrow(
      /tensor x has shape \[2,2\] \(4 values\) but 3 values/,
    );
    const twice = [sample[1], sample[1]];
    expect(() => encodeSafetensors(twice, {})).toThrow(/scalar is given twice/);
    expect(() => encodeSafetensors([], { step: 3 as unknown as string })).toThrow(/"step" must be a string/);
  });
});

describe("decodeSafetensors refuses broken files, naming the file", () => {
  const good = encodeSafetensors(sample, { k: "v" });

  const refusals: [string, () => Uint8Array, RegExp][] = [
    ["shorter than 8 bytes", () => good.subarray(0, 5), /file is 5 bytes, shorter than the 8-byte header length/],
    ["header length beyond the file", () => handMade({}, [], 1000n), /header length 1000 is larger than the \d+ bytes after it/],
    ["a 2^64-1 header length", () => handMade({}, [], 2n ** 64n - 1n), /header length 18446744073709551615 is larger/],
    [
      "header not JSON",
      () => {
        const b = good.slice();
        b[8] = "x".charCodeAt(0);
        return b;
      },
      /header is not valid UTF-8 JSON/,
    ],
    ["header an array", () => handMade([1, 2], []), /header is not a JSON object/],
    ["metadata not strings", () => handMade({ __metadata__: { step: 3 } }, []), /__metadata__\.step must be a string, got 3/],
    ["entry not an object", () => handMade({ x: 5 }, []), /tensor x: entry is not a JSON object/],
    [
      "unknown dtype",
      () => handMade({ x: { dtype: "F31", shape: [1], data_offsets: [0, 4] } }, [0, 0, 0, 0]),
      /tensor x: unknown dtype "F31"/,
    ],
    [
      "unsupported dtype",
      () => handMade({ x: { dtype: "I64", shape: [1], data_offsets: [0, 8] } }, new Uint8Array(8)),
      /tensor x: dtype I64 is not supported/,
    ],
    [
      "negative dimension",
      () => handMade({ x: { dtype: "F32", shape: [-1], data_offsets: [0, 4] } }, [0, 0, 0, 0]),
      /tensor x: invalid shape \[-1\]/,
    ],
    [
      "fractional dimension",
      () => handMade({ x: { dtype: "F32", shape: [1.5], data_offsets: [0, 4] } }, [0, 0, 0, 0]),
      /tensor x: invalid shape/,
    ],
    [
      "offsets reversed",
      () => handMade({ x: { dtype: "F32", shape: [1], data_offsets: [4, 0] } }, [0, 0, 0, 0]),
      /tensor x: invalid data_offsets \[4,0\]/,
    ],
    [
      "offsets not a pair",
      () => handMade({ x: { dtype: "F32", shape: [1], data_offsets: [0] } }, [0, 0, 0, 0]),
      /tensor x: invalid data_offsets \[0\]/,
    ],
    [
      "size not shape × dtype",
      () => handMade({ x: { dtype: "F32", shape: [2], data_offsets: [0, 4] } }, [0, 0, 0, 0]),
      /tensor x: data_offsets \[0,4\] hold 4 bytes, shape \[2\] of F32 needs 8/,
    ],
    [
      "offsets past the data",
      () => handMade(f32("x", [2], 0), [0, 0, 0, 0]),
      /data section is truncated: tensor x needs bytes \[0,8\) but the data section has 4 bytes/,
    ],
    [
      "overlapping tensors",
      () => handMade({ ...f32("x", [2], 0), ...f32("y", [2], 4) }, new Uint8Array(12)),
      /tensor y at bytes \[4,12\) overlaps/,
    ],
    [
      "a hole between tensors",
      () => handMade({ ...f32("x", [1], 0), ...f32("y", [1], 8) }, new Uint8Array(12)),
      /data bytes \[4,8\) belong to no tensor/,
    ],
    ["trailing bytes", () => handMade(f32("x", [1], 0), new Uint8Array(8)), /data section has 8 bytes but the tensors cover only 4/],
  ];
  for (const [what, make, message] of refusals) {
    it(what, () => {
      expect(() => decodeSafetensors(make(), SOURCE)).toThrow(message);
      expect(() => decodeSafetensors(make(), SOURCE)).toThrow(/^weights\.safetensors: /);
    });
  }

  it("refuses the file cut at any point", () => {
    const headerEnd = 8 + Number(new DataView(good.buffer).getBigUint64(0, true));
    for (const cut of [0, 3, 8, 9, headerEnd - 1, headerEnd, headerEnd + 5, good.length - 1]) {
      expect(() => decodeSafetensors(good.subarray(0, cut), SOURCE), `cut at ${cut}`).toThrow(/^weights\.safetensors: /);
    }
  });
});

describe("decoding other float dtypes to float32", () => {
  /** little-endian bytes of 16-bit words */
  const words = (ws: number[]) => ws.flatMap((w) => [w & 0xff, w >> 8]);

  it("F16, including subnormals, infinities, NaN and -0", () => {
    const halfs = [0x3c00, 0xc000, 0x3555, 0x0001, 0x7bff, 0x7c00, 0xfc00, 0x7e00, 0x8000, 0x0400];
    const file = handMade({ h: { dtype: "F16", shape: [2, 5], data_offsets: [0, 20] } }, words(halfs));
    const t = decodeSafetensors(file, SOURCE).tensors.get("h")!;
    expect(t.dtype).toBe("F16");
    expect(t.shape).toEqual([2, 5]);
    expect(Array.from(t.data)).toEqual([1, -2, 0.333251953125, 2 ** -24, 65504, Infinity, -Infinity, NaN, -0, 2 ** -14]);
    expect(Object.is(t.data[8], -0)).toBe(true);
    expect(halfToFloat(0x3bff)).toBe(1 - 2 ** -11);
  });

  it("BF16: the top 16 bits of a float32", () => {
    const file = handMade({ b: { dtype: "BF16", shape: [5], data_offsets: [0, 10] } }, words([0x3f80, 0xc040, 0x4049, 0x0000, 0x7f80]));
    const t = decodeSafetensors(file, SOURCE).tensors.get("b")!;
    expect(Array.from(t.data)).toEqual([1, -3, 3.140625, 0, Infinity]);
  });

  it("F64, rounded to float32", () => {
    const data = new Uint8Array(16);
    const view = new DataView(data.buffer);
    view.setFloat64(0, 0.1, true);
    view.setFloat64(8, -1e300, true);
    const file = handMade({ d: { dtype: "F64", shape: [2], data_offsets: [0, 16] } }, data);
    const t = decodeSafetensors(file, SOURCE).tensors.get("d")!;
    expect(Array.from(t.data)).toEqual([Math.fround(0.1), -Infinity]);
  });

  it("mixed dtypes laid out in any header order", () => {
    // y (F16) first in the data, x (F32) after it, header lists x first
    const data = [...words([0x4000]), 0, 0, 0, 0, 0, 0, 0x80, 0x3f];
    const file = handMade(
      { x: { dtype: "F32", shape: [2], data_offsets: [2, 10] }, y: { dtype: "F16", shape: [1], data_offsets: [0, 2] } },
      data,
    );
    const back = decodeSafetensors(file, SOURCE).tensors;
    expect(Array.from(back.get("x")!.data)).toEqual([0, 1]);
    expect(Array.from(back.get("y")!.data)).toEqual([2]);
  });
});
