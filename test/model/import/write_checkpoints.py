# Writes random-weight models in every layout the importers read, with PyTorch, and the logits
# PyTorch computes for the same ids. Run by import-pytorch.test.ts with Debian's /usr/bin/python3:
#   write_checkpoints.py OUT_DIR IDS_JSON GPT2_ENCODER_JSON GPT2_VOCAB_BPE
# Exit code 77: no torch on this machine (the test skips).
import json, math, os, pickle, shutil, struct, sys

try:
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
except ImportError:
    sys.exit(77)

out, ids, encoder_json, vocab_bpe = sys.argv[1], json.loads(sys.argv[2]), sys.argv[3], sys.argv[4]
torch.manual_seed(0)


def gelu_tanh(x):  # GPT-2's gelu_new
    return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x ** 3)))


# ---- nanoGPT's module tree (names and shapes of model.py), with its MLP's nn.GELU() (the exact, erf form)
class LayerNorm(nn.Module):
    def __init__(self, n, bias):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(n))
        self.bias = nn.Parameter(torch.zeros(n)) if bias else None

    def forward(self, x):
        return F.layer_norm(x, self.weight.shape, self.weight, self.bias, 1e-5)


class Attention(nn.Module):
    def __init__(self, c, mask):
        super().__init__()
        self.n_head = c["n_head"]
        self.c_attn = nn.Linear(c["n_embd"], 3 * c["n_embd"], bias=c["bias"])
        self.c_proj = nn.Linear(c["n_embd"], c["n_embd"], bias=c["bias"])
        if mask:  # nanoGPT without flash attention (PyTorch < 2.0) keeps its causal mask as "bias"
            T = c["block_size"]
            self.register_buffer("bias", torch.tril(torch.ones(T, T)).view(1, 1, T, T))

    def forward(self, x):
        B, T, C = x.shape
        q, k, v = self.c_attn(x).split(C, dim=2)
        q, k, v = (t.view(B, T, self.n_head, C // self.n_head).transpose(1, 2) for t in (q, k, v))
        att = (q @ k.transpose(-2, -1)) / math.sqrt(k.size(-1))
        att = att.masked_fill(torch.tril(torch.ones(T, T)) == 0, float("-inf")).softmax(dim=-1)
        return self.c_proj((att @ v).transpose(1, 2).contiguous().view(B, T, C))


class MLP(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.c_fc = nn.Linear(c["n_embd"], 4 * c["n_embd"], bias=c["bias"])
        self.gelu = nn.GELU()
        self.c_proj = nn.Linear(4 * c["n_embd"], c["n_embd"], bias=c["bias"])

    def forward(self, x):
        return self.c_proj(self.gelu(self.c_fc(x)))


class Block(nn.Module):
    def __init__(self, c, mask):
        super().__init__()
        self.ln_1 = LayerNorm(c["n_embd"], c["bias"])
        self.attn = Attention(c, mask)
        self.ln_2 = LayerNorm(c["n_embd"], c["bias"])
        self.mlp = MLP(c)

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        return x + self.mlp(self.ln_2(x))


class GPT(nn.Module):
    def __init__(self, c, mask):
        super().__init__()
        self.transformer = nn.ModuleDict(dict(
            wte=nn.Embedding(c["vocab_size"], c["n_embd"]), wpe=nn.Embedding(c["block_size"], c["n_embd"]),
            h=nn.ModuleList([Block(c, mask) for _ in range(c["n_layer"])]), ln_f=LayerNorm(c["n_embd"], c["bias"])))
        self.lm_head = nn.Linear(c["n_embd"], c["vocab_size"], bias=False)
        self.transformer.wte.weight = self.lm_head.weight

    def forward(self, idx):
        t = self.transformer
        x = t.wte(idx) + t.wpe(torch.arange(idx.shape[1]))
        for block in t.h:
            x = block(x)
        return self.lm_head(t.ln_f(x))


def randomize(model, scale=0.3):
    with torch.no_grad():
        for p in model.parameters():
            p.normal_(0.0, scale)


def write_safetensors(path, tensors, metadata):
    header, chunks, at = ({"__metadata__": metadata} if metadata is not None else {}), [], 0
    for name, t in tensors.items():
        t = t.detach().contiguous().to(torch.float32)
        raw = t.numpy().tobytes()
        chunks.append(raw)
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [at, at + len(raw)]}
        at += len(raw)
    text = json.dumps(header).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(chunks))


logits = {}
chars = sorted(set("\nabcdefghijklmnopqrstuvwxyz ,.!?'ABCDEFGHIJKLMNOPQRSTUVWXYZ:;-"))


def logits_of(model, key, vocab):
    model.eval()
    with torch.no_grad():
        logits[key] = model(torch.tensor([[i % vocab for i in ids]])).reshape(-1).tolist()


# ---- 1. nanoGPT ckpt.pt as train.py writes it, with and without torch.compile's prefix / mask buffers
for name, compiled, mask, vocab in [("ckpt-plain", False, True, len(chars)), ("ckpt-compiled", True, False, len(chars)), ("ckpt-gpt2", True, False, 50304)]:
    args = dict(n_layer=2, n_head=2, n_embd=16, block_size=16, bias=False, vocab_size=vocab, dropout=0.0)
    model = GPT(args, mask)
    randomize(model)
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
    model(torch.tensor([[1, 2, 3]])).sum().backward()
    optimizer.step()  # the optimizer's state now holds exp_avg / exp_avg_sq tensors
    state = model.state_dict()
    if compiled:
        state = {"_orig_mod." + k: v for k, v in state.items()}
    folder = os.path.join(out, name)
    os.makedirs(folder, exist_ok=True)
    torch.save({
        "model": state, "optimizer": optimizer.state_dict(), "model_args": args, "iter_num": 250,
        "best_val_loss": torch.tensor(1.4821), "config": {"dataset": "shakespeare_char", "learning_rate": 1e-3, "compile": compiled},
    }, os.path.join(folder, "ckpt.pt"))
    if vocab == len(chars):  # a char dataset's vocabulary; the GPT-2-token model has none (sample.py then uses GPT-2's)
        with open(os.path.join(folder, "meta.pkl"), "wb") as f:
            pickle.dump({"vocab_size": len(chars), "itos": dict(enumerate(chars)), "stoi": {c: i for i, c in enumerate(chars)}}, f)
    logits_of(model, name, vocab)

# ---- 2. nanoGPT safetensors with foreign metadata (no config of ours), bias on, heads in model_args or nowhere
args = dict(n_layer=3, n_head=4, n_embd=16, block_size=12, bias=True, vocab_size=40, dropout=0.0)
model = GPT(args, mask=True)
randomize(model)
state = model.state_dict()
folder = os.path.join(out, "st")
os.makedirs(folder, exist_ok=True)
write_safetensors(os.path.join(folder, "with-args.safetensors"), state, {"format": "pt", "model_args": json.dumps(args)})
write_safetensors(os.path.join(folder, "no-heads.safetensors"), {k: v for k, v in state.items() if not k.endswith(".attn.bias")}, {"producer": "someone else"})
st_chars = chars[:40]
with open(os.path.join(folder, "meta.pkl"), "wb") as f:
    pickle.dump({"vocab_size": 40, "itos": dict(enumerate(st_chars)), "stoi": {c: i for i, c in enumerate(st_chars)}}, f)
logits_of(model, "st", 40)


# ---- 3. GPT-2 in the Hugging Face layout: Conv1D weights [in, out], biases, mask buffers, GPT-2's vocabulary
class Conv1D(nn.Module):
    def __init__(self, nx, nf):
        super().__init__()
        self.weight = nn.Parameter(torch.empty(nx, nf))  # [in, out]
        self.bias = nn.Parameter(torch.empty(nf))

    def forward(self, x):
        return x @ self.weight + self.bias


class HfBlock(nn.Module):
    def __init__(self, C, H, T):
        super().__init__()
        self.H = H
        self.ln_1 = nn.LayerNorm(C, eps=1e-5)
        self.attn = nn.Module()
        self.attn.c_attn = Conv1D(C, 3 * C)
        self.attn.c_proj = Conv1D(C, C)
        self.attn.register_buffer("bias", torch.tril(torch.ones(T, T, dtype=torch.uint8)).view(1, 1, T, T).to(torch.float32))
        self.attn.register_buffer("masked_bias", torch.tensor(-1e4))
        self.ln_2 = nn.LayerNorm(C, eps=1e-5)
        self.mlp = nn.Module()
        self.mlp.c_fc = Conv1D(C, 4 * C)
        self.mlp.c_proj = Conv1D(4 * C, C)

    def forward(self, x):
        B, T, C = x.shape
        q, k, v = self.attn.c_attn(self.ln_1(x)).split(C, dim=2)
        q, k, v = (t.view(B, T, self.H, C // self.H).transpose(1, 2) for t in (q, k, v))
        att = (q @ k.transpose(-2, -1)) / math.sqrt(k.size(-1))
        att = att.masked_fill(torch.tril(torch.ones(T, T)) == 0, float("-inf")).softmax(dim=-1)
        x = x + self.attn.c_proj((att @ v).transpose(1, 2).contiguous().view(B, T, C))
        return x + self.mlp.c_proj(gelu_tanh(self.mlp.c_fc(self.ln_2(x))))


class HfGPT2(nn.Module):
    def __init__(self, V, T, C, H, L):
        super().__init__()
        self.wte = nn.Embedding(V, C)
        self.wpe = nn.Embedding(T, C)
        self.h = nn.ModuleList([HfBlock(C, H, T) for _ in range(L)])
        self.ln_f = nn.LayerNorm(C, eps=1e-5)

    def forward(self, idx):
        x = self.wte(idx) + self.wpe(torch.arange(idx.shape[1]))
        for block in self.h:
            x = block(x)
        return self.ln_f(x) @ self.wte.weight.T


V, T, C, H, L = 50257, 20, 16, 4, 2
gpt2 = HfGPT2(V, T, C, H, L)
randomize(gpt2, 0.2)
config = {"model_type": "gpt2", "activation_function": "gelu_new", "layer_norm_epsilon": 1e-05, "n_ctx": T, "n_positions": T,
          "n_embd": C, "n_head": H, "n_layer": L, "vocab_size": V, "architectures": ["GPT2LMHeadModel"]}
state = gpt2.state_dict()
for name, prefixed in [("hf-plain", False), ("hf-prefixed", True)]:
    folder = os.path.join(out, name)
    os.makedirs(folder, exist_ok=True)
    tensors = {("transformer." + k if prefixed else k): v for k, v in state.items()}
    if prefixed:
        tensors["lm_head.weight"] = state["wte.weight"]
    write_safetensors(os.path.join(folder, "model.safetensors"), tensors, {"format": "pt"})
    with open(os.path.join(folder, "config.json"), "w") as f:
        json.dump(config, f)
    shutil.copy(encoder_json, os.path.join(folder, "vocab.json"))
    shutil.copy(vocab_bpe, os.path.join(folder, "merges.txt"))
logits_of(gpt2, "hf", V)

print(json.dumps(logits))
