import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  CHECKPOINT_FORMAT,
  loadCheckpointBytes,
  saveCheckpointBytes,
  sealCheckpoint,
  type CheckpointMeta,
} from "../../src/model/checkpoint.ts";
import { loadCheckpoint, saveCheckpoint } from "../../src/store/checkpoint-file.ts";
import type { GPTConfig } from "../../src/model/config.ts";
import { countParams, paramSpecs } from "../../src/model/params.ts";
import { decodeSafetensors, encodeSafetensors, type TensorToWrite } from "../../src/model/safetensors.ts";
import { seededRandom as projectRandom } from "../../src/tensor/random.ts";

const SOURCE = "model.safetensors";
const withBias: GPTConfig = { vocabSize: 11, blockSize: 8, nLayer: 2, nHead: 2, nEmbd: 8, bias: true };
const noBias: GPTConfig = { ...withBias, bias: false };

/** The project's seeded generator (src/tensor/random.ts), as a plain uniform [0, 1) function. */
function seeded(seed: number): () => number {
  const random = projectRandom(seed);
  return () => random.next();
}

function randomParams(config: GPTConfig, seed: number): Float32Array {
  const next = seeded(seed);
  const params = new Float32Array(countParams(config));
  for (let i = 0; i < params.length; i++) params[i] = (next() - 0.5) * 2 ** Math.floor(next() * 10 - 5);
  return params;
}

const meta: CheckpointMeta = {
  tokenizer: { kind: "char", vocab: ["a", "b", "日"], merges: [] },
  step: 1234,
  valLoss: 1.4821,
  trainLoss: 0.1 + 0.2,
  createdAt: "2024-05-01T12:00:00.000Z",
  preset: "tiny",
  extra: { lr: 1e-3, note: "hello" },
};

const bytesOf = (a: Float32Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/** Decodes a checkpoint, lets `edit` change its tensors/metadata, encodes it with correct checksums. */
function reencode(file: Uint8Array, edit: (tensors: TensorToWrite[], metadata: Record<string, string>) => void): Uint8Array {
  const decoded = decodeSafetensors(file, "reencode");
  const tensors = [...decoded.tensors].map(([name, t]) => ({ name, shape: t.shape, data: t.data }));
  const metadata = { ...decoded.metadata };
  edit(tensors, metadata);
  return sealCheckpoint(tensors, metadata);
}

/** Decodes, lets `edit` change it, encodes with exactly the metadata `edit` leaves (no checksum recomputed). */
function tamper(file: Uint8Array, edit: (tensors: TensorToWrite[], metadata: Record<string, string>) => void): Uint8Array {
  const decoded = decodeSafetensors(file, "tamper");
  const tensors = [...decoded.tensors].map(([name, t]) => ({ name, shape: t.shape, data: t.data }));
  const metadata = { ...decoded.metadata };
  edit(tensors, metadata);
  return encodeSafetensors(tensors, metadata);
}

/** checksum_all as the module comment defines it, computed here from the file's parts. */
function expectedChecksumAll(file: Uint8Array): string {
  const decoded = decodeSafetensors(file, "expected");
  const { checksum_all: _all, ...rest } = decoded.metadata;
  const pairs = Object.keys(rest)
    .sort()
    .map((k) => [k, rest[k]]);
  return createHash("sha256")
    .update("minigpt-checksum-v2\n")
    .update(`${JSON.stringify(pairs)}\n`)
    .update(`${JSON.stringify([...decoded.tensors].map(([name, t]) => [name, t.dtype, t.shape]))}\n`)
    .update(decoded.dataSection)
    .digest("hex");
}

describe("saveCheckpointBytes → loadCheckpointBytes", () => {
  for (const config of [withBias, noBias, { ...noBias, gelu: "erf" } as GPTConfig]) {
    it(`is bit-exact with bias=${config.bias}${config.gelu ? `, gelu=${config.gelu}` : ""}`, () => {
      const params = randomParams(config, 42);
      const loaded = loadCheckpointBytes(saveCheckpointBytes(config, params, meta), SOURCE);
      expect(loaded.config).toEqual(config);
      expect(bytesOf(loaded.params)).toEqual(bytesOf(params));
      expect(loaded.meta).toEqual(meta);
    });
  }

  it("round-trips minimal metadata: missing losses come back null", () => {
    const params = randomParams(noBias, 1);
    const loaded = loadCheckpointBytes(saveCheckpointBytes(noBias, params, { tokenizer: null, step: 0 }), SOURCE);
    expect(loaded.meta.step).toBe(0);
    expect(loaded.meta.tokenizer).toBeNull();
    expect(loaded.meta.valLoss).toBeNull();
    expect(loaded.meta.trainLoss).toBeNull();
    expect(Number.isNaN(Date.parse(loaded.meta.createdAt!))).toBe(false); // filled in at save time
    expect(loaded.meta.preset).toBeUndefined();
    expect(loaded.meta.extra).toBeUndefined();
  });

  it("writes nanoGPT's tensor names and shapes, lm_head as a copy of wte, and string metadata", () => {
    const params = randomParams(withBias, 7);
    const file = decodeSafetensors(saveCheckpointBytes(withBias, params, meta), SOURCE);
    const specs = paramSpecs(withBias);
    expect([...file.tensors.keys()].sort()).toEqual([...specs.map((s) => s.name), "lm_head.weight"].sort());
    expect(file.tensors.get("transformer.h.1.mlp.c_fc.weight")!.shape).toEqual([32, 8]);
    expect(file.tensors.get("lm_head.weight")!.shape).toEqual([11, 8]);
    expect(bytesOf(file.tensors.get("lm_head.weight")!.data)).toEqual(bytesOf(params.subarray(0, 11 * 8)));
    const md = file.metadata;
    expect(md.format).toBe(CHECKPOINT_FORMAT);
    expect(JSON.parse(md.config)).toEqual(withBias);
    expect(JSON.parse(md.tokenizer)).toEqual(meta.tokenizer);
    expect(md.step).toBe("1234");
    expect(Number(md.val_loss)).toBe(1.4821);
    expect(md.checksum).toBe(createHash("sha256").update(file.dataSection).digest("hex"));
    // always written, over the metadata, the tensor index and the data
    expect(md.checksum_all).toMatch(/^[0-9a-f]{64}$/);
    expect(md.checksum_all).toBe(expectedChecksumAll(saveCheckpointBytes(withBias, params, meta)));
  });

  it("refuses params that do not fit the config, and a bad step", () => {
    expect(() => saveCheckpointBytes(withBias, new Float32Array(10), meta)).toThrow(/params has 10 values, config .* needs \d+/);
    expect(() => saveCheckpointBytes(withBias, randomParams(withBias, 1), { ...meta, step: -1 })).toThrow(
      /step must be a non-negative integer, got -1/,
    );
  });
});

describe("loadCheckpointBytes refuses bad checkpoints, naming the file", () => {
  const good = saveCheckpointBytes(withBias, randomParams(withBias, 3), meta);
  const expectRefused = (bytes: Uint8Array, message: RegExp) => {
    expect(() => loadCheckpointBytes(bytes, SOURCE)).toThrow(/^model\.safetensors: /);
    expect(() => loadCheckpointBytes(bytes, SOURCE)).toThrow(message);
  };

  it("accepts the re-encoded good file (the helper itself is sound)", () => {
    expect(() =>
      loadCheckpointBytes(
        reencode(good, () => {}),
        SOURCE,
      ),
    ).not.toThrow();
  });

  it("a file truncated at several points", () => {
    for (const cut of [0, 7, 8, 100, 300, Math.floor(good.length / 2), good.length - 4, good.length - 1]) {
      expect(() => loadCheckpointBytes(good.subarray(0, cut), SOURCE), `cut at ${cut}`).toThrow(/^model\.safetensors: /);
    }
    expectRefused(good.subarray(0, good.length - 1), /data section is truncated/);
  });

  it("a header length larger than the file", () => {
    const b = good.slice();
    new DataView(b.buffer).setBigUint64(0, BigInt(b.length), true);
    expectRefused(b, /header length \d+ is larger than/);
  });

  it("a header that is not JSON", () => {
    const b = good.slice();
    b[9] = 0x7d; // '{"' becomes '{}' followed by garbage
    expectRefused(b, /header is not valid UTF-8 JSON/);
  });

  it("a missing tensor", () => {
    const b = reencode(good, (ts) =>
      ts.splice(
        ts.findIndex((t) => t.name === "transformer.h.1.mlp.c_fc.bias"),
        1,
      ),
    );
    expectRefused(b, /tensor transformer\.h\.1\.mlp\.c_fc\.bias is missing .*needs shape \[32\]/);
  });

  it("a tensor with the wrong shape for the config", () => {
    const transposed = reencode(good, (ts) => {
      ts.find((t) => t.name === "transformer.h.0.attn.c_attn.weight")!.shape = [8, 24];
    });
    expectRefused(transposed, /tensor transformer\.h\.0\.attn\.c_attn\.weight has shape \[8,24\], config says \[24,8\]/);
    const longerBlock = reencode(good, (_ts, md) => {
      md.config = JSON.stringify({ ...withBias, blockSize: 16 });
    });
    expectRefused(longerBlock, /tensor transformer\.wpe\.weight has shape \[8,8\], config says \[16,8\]/);
  });

  it("a config without biases for a file with biases: the bias tensors are unexpected", () => {
    const b = reencode(good, (_ts, md) => {
      md.config = JSON.stringify(noBias);
    });
    expectRefused(b, /unexpected tensors .*transformer\.h\.0\.ln_1\.bias/);
  });

  it("an extra tensor, by name", () => {
    const b = reencode(good, (ts) => ts.push({ name: "transformer.h.0.attn.rotary", shape: [2], data: new Float32Array(2) }));
    expectRefused(b, /unexpected tensors for config .*: transformer\.h\.0\.attn\.rotary/);
  });

  it("tolerates nanoGPT's causal-mask buffers attn.bias (any config), but not for a layer the model lacks", () => {
    const mask = (layer: number) => ({ name: `transformer.h.${layer}.attn.bias`, shape: [1, 1, 8, 8], data: new Float32Array(64).fill(1) });
    for (const config of [withBias, noBias]) {
      const params = randomParams(config, 5);
      const withMasks = reencode(saveCheckpointBytes(config, params, meta), (ts) => ts.push(mask(0), mask(1)));
      expect(bytesOf(loadCheckpointBytes(withMasks, SOURCE).params)).toEqual(bytesOf(params));
    }
    expectRefused(
      reencode(good, (ts) => ts.push(mask(2))),
      /unexpected tensors .*transformer\.h\.2\.attn\.bias/,
    );
  });

  it("a checksum mismatch (one data byte flipped)", () => {
    for (const at of [good.length - 1, good.length - 300]) {
      const b = good.slice();
      b[at] ^= 0x01;
      expectRefused(b, /checksum mismatch: the file is corrupt/);
    }
  });

  it("metadata edited behind the checksum's back (tokenizer, step, preset): refused, naming checksum_all", () => {
    const edits: ((ts: TensorToWrite[], md: Record<string, string>) => void)[] = [
      (_ts, md) => {
        md.tokenizer = JSON.stringify({ kind: "char", vocab: ["x", "b", "日"], merges: [] });
      },
      (_ts, md) => {
        md.step = "99999";
      },
      (_ts, md) => {
        md.preset = "baby";
      },
    ];
    for (const e of edits)
      expectRefused(tamper(good, e), /checksum mismatch: .*checksum_all in the header is [0-9a-f]{64}, .* hash to [0-9a-f]{64}/);
  });

  it("two tensors of the same shape swapped in the index (data and data checksum unchanged): refused", () => {
    const swapped = tamper(good, (ts) => {
      const a = ts.find((t) => t.name === "transformer.h.0.attn.c_proj.weight")!;
      const b = ts.find((t) => t.name === "transformer.h.1.attn.c_proj.weight")!;
      [a.name, b.name] = [b.name, a.name];
    });
    expectRefused(swapped, /checksum mismatch: .*checksum_all/);
  });

  it("a file saved before checksum_all (data checksum only) still loads; its data is still checked", () => {
    const legacy = tamper(good, (_ts, md) => {
      delete md.checksum_all;
    });
    expect(() => loadCheckpointBytes(legacy, SOURCE)).not.toThrow();
    const flipped = legacy.slice();
    flipped[flipped.length - 1] ^= 0x01;
    expectRefused(flipped, /checksum mismatch: the file is corrupt/);
  });

  it("lm_head.weight different from wte; accepts it missing", () => {
    const different = reencode(good, (ts) => {
      const lm = ts.find((t) => t.name === "lm_head.weight")!;
      lm.data = lm.data.slice();
      lm.data[17] += 1;
    });
    expectRefused(different, /tensor lm_head\.weight differs from transformer\.wte\.weight \(element 17: .*\); this engine ties them/);
    const missing = reencode(good, (ts) =>
      ts.splice(
        ts.findIndex((t) => t.name === "lm_head.weight"),
        1,
      ),
    );
    expect(bytesOf(loadCheckpointBytes(missing, SOURCE).params)).toEqual(bytesOf(loadCheckpointBytes(good, SOURCE).params));
  });

  it("a config without gelu is the tanh form (files saved before it existed); an unknown gelu is refused", () => {
    const loaded = loadCheckpointBytes(good, SOURCE);
    expect(loaded.config.gelu).toBeUndefined();
    expect(JSON.parse(decodeSafetensors(good, SOURCE).metadata.config)).not.toHaveProperty("gelu");
    expectRefused(
      reencode(good, (_ts, md) => (md.config = JSON.stringify({ ...withBias, gelu: "relu" }))),
      /gelu must be absent \(tanh form\) or "erf", got relu/,
    );
  });

  it("an invalid, non-JSON or missing config in the metadata", () => {
    expectRefused(
      reencode(good, (_ts, md) => (md.config = JSON.stringify({ ...withBias, nHead: 3 }))),
      /__metadata__\.config: invalid model config: nEmbd 8 is not divisible by nHead 3/,
    );
    expectRefused(
      reencode(good, (_ts, md) => (md.config = JSON.stringify({ ...withBias, nLayer: 0 }))),
      /nLayer must be a positive integer, got 0/,
    );
    expectRefused(
      reencode(good, (_ts, md) => (md.config = "{vocab")),
      /__metadata__\.config is not JSON/,
    );
    expectRefused(
      reencode(good, (_ts, md) => delete md.config),
      /__metadata__ has no "config"/,
    );
  });

  it("bad metadata values and a foreign format tag", () => {
    expectRefused(
      reencode(good, (_ts, md) => (md.step = "12.5")),
      /__metadata__\.step is "12\.5", expected a non-negative integer/,
    );
    expectRefused(
      reencode(good, (_ts, md) => (md.val_loss = "low")),
      /__metadata__\.val_loss is "low", not a number/,
    );
    expectRefused(
      reencode(good, (_ts, md) => (md.tokenizer = "{")),
      /__metadata__\.tokenizer is not JSON/,
    );
    expectRefused(
      reencode(good, (_ts, md) => (md.extra = "[1]")),
      /__metadata__\.extra is not a JSON object/,
    );
    expectRefused(
      reencode(good, (_ts, md) => (md.format = "pt")),
      /format is "pt", expected "minigpt-v1"/,
    );
  });
});

describe("saveCheckpoint / loadCheckpoint (files)", () => {
  const dir = mkdtempSync(join(tmpdir(), "checkpoint-test-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("saves atomically, leaves no temporary file, and replaces an existing file", async () => {
    const path = join(dir, "model.safetensors");
    writeFileSync(path, "an old, unrelated file");
    const first = randomParams(noBias, 10);
    await saveCheckpoint(path, noBias, first, meta);
    expect(readdirSync(dir)).toEqual(["model.safetensors"]);
    expect(bytesOf((await loadCheckpoint(path)).params)).toEqual(bytesOf(first));

    const second = randomParams(noBias, 11);
    await saveCheckpoint(path, noBias, second, { ...meta, step: 2000 });
    expect(readdirSync(dir)).toEqual(["model.safetensors"]);
    const loaded = await loadCheckpoint(path);
    expect(bytesOf(loaded.params)).toEqual(bytesOf(second));
    expect(loaded.meta.step).toBe(2000);
  });

  it("leaves the old file untouched when the params are bad", async () => {
    const path = join(dir, "keep.safetensors");
    const params = randomParams(withBias, 12);
    await saveCheckpoint(path, withBias, params, meta);
    await expect(saveCheckpoint(path, withBias, new Float32Array(3), meta)).rejects.toThrow(/params has 3 values/);
    expect(bytesOf((await loadCheckpoint(path)).params)).toEqual(bytesOf(params));
    expect(readdirSync(dir).filter((f) => f.includes(".tmp-"))).toEqual([]);
  });

  it("names the path when the file is missing, or its directory is", async () => {
    const missing = join(dir, "nope.safetensors");
    await expect(loadCheckpoint(missing)).rejects.toThrow(`checkpoint file not found: ${missing}`);
    const noDir = join(dir, "no-such-dir", "m.safetensors");
    await expect(saveCheckpoint(noDir, noBias, randomParams(noBias, 1), meta)).rejects.toThrow(`${noDir}: cannot save checkpoint`);
  });

  it("names the path when the file is corrupt", async () => {
    const path = join(dir, "corrupt.safetensors");
    writeFileSync(path, "not a checkpoint at all");
    await expect(loadCheckpoint(path)).rejects.toThrow(new RegExp(`^${path.replace(/[.\\/]/g, "\\$&")}: header length`));
  });
});
