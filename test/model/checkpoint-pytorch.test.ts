/**
 * Interop with PyTorch/nanoGPT, both ways. Needs Debian's /usr/bin/python3 with torch
 * (`apt-get install -y python3-torch`); skips cleanly without them. The Python side parses the
 * safetensors format by hand (json + struct + torch.frombuffer): no `safetensors` package needed.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadCheckpoint, saveCheckpoint } from "../../src/store/checkpoint-file.ts";
import type { GPTConfig } from "../../src/model/config.ts";
import { countParams, paramSpecs } from "../../src/model/params.ts";

const PYTHON = "/usr/bin/python3";
const TORCH_MISSING = 77;

const SCRIPT = `
import json, struct, sys
try:
    import torch
    import torch.nn as nn
except ImportError:
    sys.exit(${TORCH_MISSING})
assert sys.byteorder == "little"

# a nanoGPT-shaped module tree: the names and shapes load_state_dict checks
class LayerNorm(nn.Module):
    def __init__(self, n, bias):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(n))
        self.bias = nn.Parameter(torch.zeros(n)) if bias else None

class Attention(nn.Module):
    def __init__(self, c, mask):
        super().__init__()
        self.c_attn = nn.Linear(c["nEmbd"], 3 * c["nEmbd"], bias=c["bias"])
        self.c_proj = nn.Linear(c["nEmbd"], c["nEmbd"], bias=c["bias"])
        if mask:  # older nanoGPT (no flash attention) keeps its causal mask as a buffer named "bias"
            T = c["blockSize"]
            self.register_buffer("bias", torch.tril(torch.ones(T, T)).view(1, 1, T, T))

class MLP(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.c_fc = nn.Linear(c["nEmbd"], 4 * c["nEmbd"], bias=c["bias"])
        self.c_proj = nn.Linear(4 * c["nEmbd"], c["nEmbd"], bias=c["bias"])

class Block(nn.Module):
    def __init__(self, c, mask):
        super().__init__()
        self.ln_1 = LayerNorm(c["nEmbd"], c["bias"]); self.attn = Attention(c, mask)
        self.ln_2 = LayerNorm(c["nEmbd"], c["bias"]); self.mlp = MLP(c)

class GPT(nn.Module):
    def __init__(self, c, mask):
        super().__init__()
        self.transformer = nn.ModuleDict(dict(
            wte=nn.Embedding(c["vocabSize"], c["nEmbd"]), wpe=nn.Embedding(c["blockSize"], c["nEmbd"]),
            h=nn.ModuleList([Block(c, mask) for _ in range(c["nLayer"])]), ln_f=LayerNorm(c["nEmbd"], c["bias"])))
        self.lm_head = nn.Linear(c["nEmbd"], c["vocabSize"], bias=False)
        self.transformer.wte.weight = self.lm_head.weight  # tied, as in nanoGPT

def read_safetensors(path):
    raw = open(path, "rb").read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n].decode("utf-8"))
    metadata = header.pop("__metadata__", {})
    data = bytearray(raw[8 + n:])
    tensors = {}
    for name, e in header.items():
        assert e["dtype"] == "F32", (name, e["dtype"])
        begin, end = e["data_offsets"]
        t = torch.frombuffer(data, dtype=torch.float32, count=(end - begin) // 4, offset=begin)
        tensors[name] = t.reshape(e["shape"]).clone()
    return tensors, metadata

def write_safetensors(path, tensors, metadata):
    header, chunks, at = {"__metadata__": metadata}, [], 0
    for name, t in tensors.items():
        values = t.detach().reshape(-1).tolist()
        chunks.append(struct.pack("<%df" % len(values), *values))
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [at, at + 4 * len(values)]}
        at += 4 * len(values)
    text = json.dumps(header).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(chunks))

def dump(state):
    return {k: {"shape": list(v.shape), "values": v.reshape(-1).tolist()} for k, v in state.items()}

ours, theirs = sys.argv[1], sys.argv[2]

# 1. our checkpoint into the module tree, strictly: every name and shape must match
tensors, metadata = read_safetensors(ours)
config = json.loads(metadata["config"])
model = GPT(config, mask=False)
model.load_state_dict(tensors, strict=True)
assert model.lm_head.weight is model.transformer.wte.weight
loaded = dump(model.state_dict())

# 2. a PyTorch model with causal-mask buffers, saved for the project to load
torch.manual_seed(0)
model = GPT(config, mask=True)
with torch.no_grad():
    for p in model.parameters():
        p.normal_(0.0, 0.5)
state = model.state_dict()
write_safetensors(theirs, state, {"config": json.dumps(config), "step": "7"})
print(json.dumps({"loaded": loaded, "saved": dump(state)}))
`;

interface Dumped {
  [name: string]: { shape: number[]; values: number[] };
}

const config: GPTConfig = { vocabSize: 11, blockSize: 8, nLayer: 2, nHead: 2, nEmbd: 8, bias: true };
const bitsOf = (values: ArrayLike<number>) => new Uint32Array(Float32Array.from(values).buffer);

describe.skipIf(!existsSync(PYTHON))("checkpoints and PyTorch (nanoGPT names)", () => {
  const dir = mkdtempSync(join(tmpdir(), "checkpoint-torch-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  for (const bias of [true, false]) {
    it(`PyTorch loads ours strictly and we load theirs, bias=${bias}`, async (ctx) => {
      const cfg = { ...config, bias };
      const params = new Float32Array(countParams(cfg)).map((_, i) => Math.sin(i * 0.7) * (1 + (i % 5)));
      const ours = join(dir, `ours-${bias}.safetensors`);
      const theirs = join(dir, `theirs-${bias}.safetensors`);
      const script = join(dir, "interop.py");
      await saveCheckpoint(ours, cfg, params, { tokenizer: { kind: "char" }, step: 3 });
      writeFileSync(script, SCRIPT);

      // 1. run Python; exit code 77 means no torch on this machine
      const run = spawnSync(PYTHON, [script, ours, theirs], { encoding: "utf8", maxBuffer: 64 << 20, timeout: 60_000 });
      if (run.status === TORCH_MISSING) ctx.skip();
      expect(run.status, run.stderr).toBe(0);
      const { loaded, saved } = JSON.parse(run.stdout) as { loaded: Dumped; saved: Dumped };

      // 2. what PyTorch loaded is bit-exact with our params, under nanoGPT's names and shapes
      for (const s of paramSpecs(cfg)) {
        expect(loaded[s.name]?.shape, s.name).toEqual(s.shape);
        expect(bitsOf(loaded[s.name].values), s.name).toEqual(bitsOf(params.subarray(s.offset, s.offset + s.size)));
      }
      expect(loaded["lm_head.weight"].values).toEqual(loaded["transformer.wte.weight"].values);

      // 3. what PyTorch saved (with attn.bias mask buffers and lm_head) loads here bit-exactly
      expect(Object.keys(saved)).toContain("transformer.h.1.attn.bias");
      const back = await loadCheckpoint(theirs);
      expect(back.config).toEqual(cfg);
      expect(back.meta.step).toBe(7);
      for (const s of paramSpecs(cfg)) {
        expect(bitsOf(back.params.subarray(s.offset, s.offset + s.size)), s.name).toEqual(bitsOf(saved[s.name].values));
      }
    });
  }
});
