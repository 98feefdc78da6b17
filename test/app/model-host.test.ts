/**
 * The model host thread (src/app/model-host.ts): the same answers as the model on the main
 * thread (logits, a generation, a chat reply), a file it cannot load refused with its reason,
 * a closed host refusing work; the registry giving large imported models one, whose weights are
 * in memory once (the main thread's model views the host's buffer) and whose /neurons and
 * /explain answers come from the host, equal to the main thread's.
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateChatReply } from "../../src/app/chat.ts";
import { GENERATE_DEFAULTS, generateText } from "../../src/app/generate-text.ts";
import { fastestKernels } from "../../src/app/kernels.ts";
import { type Kernels, referenceKernels } from "../../src/tensor/kernels.ts";
import { loadModelFile } from "../../src/app/load-model.ts";
import type { ModelHandle } from "../../src/app/model-handle.ts";
import { type ModelHost, startModelHost } from "../../src/app/model-host.ts";
import { ModelRegistry } from "../../src/app/model-registry.ts";
import { predictReply } from "../../src/app/replies/predict.ts";
import { generateReply } from "../../src/app/replies/generate.ts";
import { ablateReply, lensReply, whyReply } from "../../src/app/replies/look.ts";
import { attentionReply } from "../../src/app/replies/attention.ts";
import { neuronsReply } from "../../src/app/replies/neurons.ts";
import { explainReply } from "../../src/app/replies/explain.ts";
import { explainsInHost } from "../../src/app/explain/hosted.ts";
import { loadHostedModel } from "../../src/app/hosted-model.ts";
import { type PendingReply, type ReplyContext, runNow } from "../../src/app/reply.ts";
import type { ReplyOptions } from "../../src/app/replies/options.ts";
import { asyncSqliteStore } from "../../src/store/async-store.ts";
import { openStore, type Store } from "../../src/store/index.ts";
import { writeTinyGpt2 } from "../helpers/tiny-gpt2.ts";

let dir: string;
let folder: string;
let handle: ModelHandle;
let host: ModelHost;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "model-host-"));
  folder = writeTinyGpt2(path.join(dir, "models", "tiny-gpt2"));
  handle = await loadModelFile(folder, "tiny-gpt2", fastestKernels());
  host = await startModelHost(folder, "tiny-gpt2");
});

afterAll(async () => {
  await host?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("the model host thread", () => {
  it("gives the main thread's logits for the same ids, also when a prompt extends the last one (its KV cache)", async () => {
    for (const text of ["Hello, my", "Hello, my name", "猫"]) {
      const ids = handle.tokenizer.encode(text).ids;
      const here = handle.source.nextLogits(Int32Array.from(ids));
      const there = await host.nextLogits(ids);
      expect(there.length).toBe(50257);
      let worst = 0;
      for (let i = 0; i < here.length; i++) worst = Math.max(worst, Math.abs(here[i] - there[i]));
      expect(worst, text).toBeLessThan(1e-5);
    }
  });

  it("writes the same continuation and the same chat reply as the main thread", async () => {
    const options = { ...GENERATE_DEFAULTS, maxTokens: 6, seed: 3, stopAtEnd: false };
    const there = await host.generateText("Once upon", options);
    const here = generateText(handle, "Once upon", options);
    expect(there.ids).toEqual(here.ids);
    expect(there.text).toBe(here.text);
    expect(there.steps.map((s) => s.chosen)).toEqual(here.steps.map((s) => s.chosen));
    const ids = handle.tokenizer.encode("hi there").ids;
    const chatThere = await host.chatReply(ids, { seed: 5, maxTokens: 5 });
    const chatHere = await generateChatReply(handle, ids, { seed: 5, maxTokens: 5 });
    expect(chatThere).toEqual(chatHere);
  });

  it("says why when the thread's work fails, and keeps answering", async () => {
    await expect(host.nextLogits([])).rejects.toThrow("the context has no tokens");
    expect((await host.nextLogits([1, 2])).length).toBe(50257);
  });

  it("refuses a file it cannot load with loading's reason", async () => {
    const empty = path.join(dir, "not-a-model");
    mkdirSync(empty);
    await expect(startModelHost(path.join(empty, "ckpt.pt"), "missing")).rejects.toThrow(/ckpt\.pt/);
  });

  it("refuses work once closed", async () => {
    const other = await startModelHost(folder, "tiny-gpt2");
    await other.close();
    await expect(other.nextLogits([1])).rejects.toThrow("the model host of tiny-gpt2 was closed");
  });
});

describe("the registry and the replies", () => {
  let store: Store;
  beforeAll(() => {
    store = openStore(path.join(dir, "bot.db"));
    store.models.choose("g1", { kind: "imported", name: "tiny-gpt2" });
  });
  afterAll(() => store.close());

  it("gives an imported model a host thread from hostMinParams parameters, and none below", async () => {
    const small = new ModelRegistry({
      models: asyncSqliteStore(store).models,
      modelsDir: path.join(dir, "models"),
      kernels: fastestKernels(),
    });
    expect((await small.forGuild("g1")).host).toBeUndefined();
    const hosted = new ModelRegistry({
      models: asyncSqliteStore(store).models,
      modelsDir: path.join(dir, "models"),
      kernels: fastestKernels(),
      hostMinParams: 0,
    });
    const h = await hosted.forGuild("g1");
    expect(h.host).toBeDefined();
    // /predict and /generate from the host: the same replies as from the main thread's model
    const rc = (hh: ModelHandle): ReplyContext => ({ handle: hh, lang: "en", heavy: runNow, redactor: null });
    const o = { text: "The cat sat on the", k: 7 };
    const [fromHost, fromHere] = [await predictReply(rc(h), o)(), await predictReply(rc({ ...h, host: undefined }), o)()];
    expect(fromHost.body).toEqual(fromHere.body);
    expect(Buffer.from(fromHost.pictures[0].png).equals(Buffer.from(fromHere.pictures[0].png))).toBe(true);
    const g = { prompt: "Once upon", tokens: 5, seed: 2 };
    expect((await generateReply(rc(h), g)()).body).toEqual((await generateReply(rc({ ...h, host: undefined }), g)()).body);
    // /ablate's passes and /predict heads: from the host too
    const a = { text: "The cat sat on the", heads: "0.1" };
    expect((await ablateReply(rc(h), a)()).body).toEqual((await ablateReply(rc({ ...h, host: undefined }), a)()).body);
    const grid = { text: "The cat sat" };
    const [gridHost, gridHere] = [await ablateReply(rc(h), grid)(), await ablateReply(rc({ ...h, host: undefined }), grid)()];
    expect(gridHost.body).toEqual(gridHere.body);
    expect(Buffer.from(gridHost.pictures[0].png).equals(Buffer.from(gridHere.pictures[0].png))).toBe(true);
    const p = { text: "The cat sat on the", heads: "0" };
    expect((await predictReply(rc(h), p)()).body).toEqual((await predictReply(rc({ ...h, host: undefined }), p)()).body);
    // the looks at the insides: from the host too, the same replies and pictures
    const looks: [(r: ReplyContext, o: ReplyOptions) => PendingReply, ReplyOptions][] = [
      [attentionReply, { text: "The cat sat" }],
      [attentionReply, { text: "The cat sat", layer: 0, head: 1 }],
      [attentionReply, { text: "The cat sat", view: "rollout" }],
      [attentionReply, { text: "The cat sat", view: "next" }],
      [lensReply, { text: "The cat sat" }],
      [whyReply, { text: "The cat sat" }],
      [neuronsReply, { text: "The cat sat" }],
      [neuronsReply, { text: "The cat sat on", position: 2, neuron: "0.5", k: 3 }],
      [explainReply, { topic: "neural-network", language: "en" }],
      [explainReply, { topic: "loss", language: "ja", text: "猫が座った" }],
      [explainReply, { topic: "embeddings", language: "en" }],
      [explainReply, { topic: "lens", language: "en" }],
      [explainReply, { topic: "neurons", language: "ja" }],
      [explainReply, { topic: "attention", language: "en", text: "The cat sat" }],
      [explainReply, { topic: "parameters", language: "en" }],
    ];
    // each of them asks the host (a look or an explanation), none runs on this thread's model
    const asked: string[] = [];
    const host = h.host!;
    const counted: ModelHandle = {
      ...h,
      host: {
        ...host,
        look: (...a) => {
          asked.push("look");
          return host.look(...a);
        },
        explain: (...a) => {
          asked.push("explain");
          return host.explain(...a);
        },
      },
    };
    for (const [reply, options] of looks) {
      asked.length = 0;
      const [there, here] = [await reply(rc(counted), options)(), await reply(rc({ ...h, host: undefined }), options)()];
      expect(asked.length, JSON.stringify(options)).toBe(1);
      expect(there.body, JSON.stringify(options)).toEqual(here.body);
      expect(there.pictures.length, JSON.stringify(options)).toBe(here.pictures.length);
      there.pictures.forEach((picture, i) =>
        expect(Buffer.from(picture.png).equals(Buffer.from(here.pictures[i].png)), JSON.stringify(options)).toBe(true),
      );
    }
    // a refused input comes back from the thread as the same refusal (its code and values, for the user's language)
    const past = { text: "The cat", position: 9 };
    await expect(neuronsReply(rc(h), past)()).rejects.toMatchObject({ code: "bad-position", values: { value: 9 } });
    await expect(neuronsReply(rc({ ...h, host: undefined }), past)()).rejects.toMatchObject({ code: "bad-position", values: { value: 9 } });
    // bad options are refused before any work, as without a host
    expect(() => predictReply(rc(h), { text: "x", k: 0 })).toThrow(/k/);
    expect(() => predictReply(rc(h), { text: "x", heads: "0.9" })).toThrow(/head 9 does not exist/i);
    await h.host!.close();
  });

  it("keeps a hosted model's weights once: the main thread's model views the host's shared buffer", async () => {
    const hosted = await loadHostedModel(folder, "tiny-gpt2", fastestKernels());
    try {
      // 1. one buffer object, shared memory (the thread's copy is the only one)
      expect(hosted.model.params).toBe(hosted.host.params);
      expect(hosted.model.params.buffer).toBeInstanceOf(SharedArrayBuffer);
      expect(hosted.model.params.length).toBe(handle.model.params.length);
      expect(Array.from(hosted.model.params.subarray(0, 64))).toEqual(Array.from(handle.model.params.subarray(0, 64)));
      // 2. the same bytes: a change made on the main thread is what the host's next pass reads
      const ids = hosted.tokenizer.encode("The cat sat").ids;
      const [before] = await hosted.host.lastLogits(ids, [[]]);
      const bias = hosted.model.views.lnfb!;
      const kept = Float32Array.from(bias);
      bias.fill(0.5);
      const [changed] = await hosted.host.lastLogits(ids, [[]]);
      bias.set(kept);
      const [after] = await hosted.host.lastLogits(ids, [[]]);
      expect(Array.from(changed)).not.toEqual(Array.from(before));
      expect(Array.from(after)).toEqual(Array.from(before));
    } finally {
      await hosted.host.close();
    }
  });

  it("makes an imported handle's KV cache (its transposed weight copies) on the first next-token request, not when the handle is copied", async () => {
    let allocated = 0;
    const alloc = (n: number) => {
      allocated += n;
      return new Float32Array(n);
    };
    const counting: Kernels = { ...referenceKernels, alloc };
    const h = await loadModelFile(folder, "tiny-gpt2", counting);
    const atLoad = allocated;
    const copy = { ...h, name: "a copy" };
    expect(allocated).toBe(atLoad);
    copy.source.nextLogits(Int32Array.from([1, 2]));
    expect(allocated - atLoad).toBeGreaterThan(h.model.params.length / 2);
  });

  it("tells in the host only the topics that need nothing of the main thread", () => {
    const h = { ...handle, host: host };
    const redactor = { redact: (t: string) => t } as never;
    expect(explainsInHost(handle, "derivative", { lang: "en" })).toBe(false);
    expect(explainsInHost(h, "derivative", { lang: "en" })).toBe(true);
    expect(explainsInHost(h, "generation", { lang: "en" })).toBe(true);
    expect(explainsInHost(h, "generation", { lang: "en", redactor })).toBe(false);
    expect(explainsInHost(h, "sources", { lang: "en", sources: { kind: "guild" } as never })).toBe(false);
    expect(explainsInHost(h, "neurons", { lang: "en", neuronIndex: () => ({ state: "none" }) })).toBe(true);
    expect(explainsInHost(h, "neurons", { lang: "en", neuronIndex: () => ({ state: "building" }) as never })).toBe(false);
  });
});
