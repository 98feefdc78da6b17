/**
 * /neurons (issue #20 item 6): the neurons at a token against the MLP computed independently
 * from the weights; the neuron index against a brute-force search with one plain forward pass
 * per document; a build stopped and continued equal to one run; the privacy of contexts read
 * from a space's stored messages (forgotten, edited, another space's, short, no author); the
 * reply while the index is being read and when ready, in both languages; and the picture's cells
 * coloured by their values.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { handleFromCheckpoint, type ModelHandle } from "../../src/app/model-handle.ts";
import { storedModel } from "../../src/app/model-identity.ts";
import { contextsOf, emptyIndex, indexBatch, textHash } from "../../src/app/neuron-index.ts";
import { NeuronIndexer } from "../../src/app/neuron-indexer.ts";
import { messageTexts, showContexts, textsNow } from "../../src/app/neuron-texts.ts";
import { neuronsOf, parseNeuron, strongest } from "../../src/app/neurons.ts";
import { InputError } from "../../src/app/prompt.ts";
import { neuronsReply } from "../../src/app/replies/neurons.ts";
import { allParts, runNow } from "../../src/app/reply.ts";
import { trainModel } from "../../src/app/train-model.ts";
import { MIN_RUN } from "../../src/app/verbatim.ts";
import { loadCheckpointBytes } from "../../src/model/checkpoint.ts";
import { heatRgb } from "../../src/render/colormap.ts";
import { neuronCellRect, neuronsLayout, renderNeurons } from "../../src/render/neurons.ts";
import { asyncSqliteStore } from "../../src/store/async-store.ts";
import { openStore, type Store } from "../../src/store/index.ts";
import { smallCorpus } from "../helpers/corpus.ts";
import { decodePng } from "../render/fixtures.ts";

let handle: ModelHandle;
let dir: string;

beforeAll(() => {
  const run = trainModel(smallCorpus(), { preset: "tiny", tokenizer: "bpe", vocabSize: 300, steps: 20, seed: 3, evalInterval: 10 });
  handle = handleFromCheckpoint(loadCheckpointBytes(run.checkpoint, "test"), "test model");
  dir = mkdtempSync(path.join(tmpdir(), "neurons-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** h = GELU(ln_2(x)·W_fcᵀ + b_fc) of layer l at position t, from the weights and ln_2's output, with GELU's tanh form written here. */
function mlpValue(h: ModelHandle, l: number, t: number, j: number): number {
  const { nEmbd: C } = h.model.config;
  const ln2 = h.model.activations!.layers[l].ln2;
  const w = h.model.views.blocks[l].fcW; // [4C, C]
  const b = h.model.views.blocks[l].fcB;
  let x = b ? b[j] : 0;
  for (let c = 0; c < C; c++) x += ln2[t * C + c] * w[j * C + c];
  return 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3)));
}

describe("the neurons at a token", () => {
  it("are each layer's largest MLP values there, computed from the weights", () => {
    const text = "It rained yesterday, but";
    const result = neuronsOf(handle, text, { k: 4 });
    const { nLayer: L, nEmbd: C } = handle.model.config;
    expect(result.position).toBe(result.inputIds.length - 1);
    handle.model.forward(Int32Array.from(result.inputIds), 1, result.inputIds.length);
    for (let l = 0; l < L; l++) {
      const values = Array.from({ length: 4 * C }, (_, j) => mlpValue(handle, l, result.position, j));
      const order = values.map((v, j) => [v, j]).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
      expect(result.layers[l].map((n) => n.index)).toEqual(order.slice(0, 4).map(([, j]) => j));
      result.layers[l].forEach((n) => expect(n.value).toBeCloseTo(values[n.index], 4));
    }
  });

  it("follow one named neuron along the text, and read any position", () => {
    const result = neuronsOf(handle, "The model predicts", { position: 2, neuron: "1.7" });
    expect(result.position).toBe(2);
    handle.model.forward(Int32Array.from(result.inputIds), 1, result.inputIds.length);
    expect(result.along!.values).toHaveLength(result.inputIds.length);
    result.along!.values.forEach((v, t) => expect(v).toBeCloseTo(mlpValue(handle, 1, t, 7), 4));
  });

  it("refuse a bad neuron, position or k, naming the value", () => {
    const { nLayer: L, nEmbd: C } = handle.model.config;
    const codeOf = (call: () => unknown) => {
      try {
        call();
      } catch (err) {
        expect(err).toBeInstanceOf(InputError);
        return (err as InputError).code;
      }
      throw new Error("nothing thrown");
    };
    expect(codeOf(() => parseNeuron(handle, `${L}.0`))).toBe("bad-neuron");
    expect(codeOf(() => parseNeuron(handle, `0.${4 * C}`))).toBe("bad-neuron");
    expect(codeOf(() => parseNeuron(handle, "two"))).toBe("bad-neuron");
    expect(codeOf(() => neuronsOf(handle, "abc", { position: 99 }))).toBe("bad-position");
    expect(codeOf(() => neuronsOf(handle, "abc", { k: 0 }))).toBe("bad-option");
    expect(codeOf(() => neuronsOf(handle, "   "))).toBe("empty");
  });

  it("strongest() orders like a sort (ties: the lower index)", () => {
    const row = [0.5, 2, -1, 2, 7, 0.5, 3];
    expect(strongest(row, 4)).toEqual([4, 6, 1, 3]);
    expect(strongest(row, 10)).toEqual([4, 6, 1, 3, 0, 5, 2]);
  });
});

/** Documents of several lengths: short ones, and ones longer than two windows. */
function documents(): { ref: string; text: string }[] {
  const texts = smallCorpus().slice(0, 30);
  texts.push("The model predicts the next token, again and again. ".repeat(6), "昨日は雨だった。".repeat(12));
  return texts.map((text, i) => ({ ref: String(i).padStart(4, "0"), text })).sort((a, b) => (a.ref < b.ref ? -1 : 1));
}

describe("the neuron index", () => {
  it("keeps, for each neuron, the documents where it fired most, as a plain forward per window finds them", () => {
    const docs = documents();
    const state = emptyIndex(handle, 3);
    while (indexBatch(handle, state, docs, 7) > 0);
    expect(state.documents).toBe(docs.length);
    // brute force: each document's windows one at a time, B = 1
    const { blockSize: T, nLayer: L, nEmbd: C } = handle.model.config;
    const F = 4 * C;
    const maxima = docs.map((d) => {
      const ids = [handle.tokenizer.eotId, ...handle.tokenizer.encode(d.text).ids];
      const best = Array.from({ length: L * F }, () => ({ v: Number.NEGATIVE_INFINITY, at: 0 }));
      for (let start = 0; start < ids.length; start += T) {
        const window = ids.slice(start, start + T);
        handle.model.forward(Int32Array.from(window), 1, window.length);
        for (let l = 0; l < L; l++) {
          const h = handle.model.activations!.layers[l].fchGelu;
          for (let t = 0; t < window.length; t++)
            for (let j = 0; j < F; j++) if (h[t * F + j] > best[l * F + j].v) best[l * F + j] = { v: h[t * F + j], at: start + t };
        }
      }
      return best;
    });
    for (let l = 0; l < L; l++) {
      for (let j = 0; j < F; j++) {
        const expected = docs
          .map((d, i) => ({ ref: d.ref, ...maxima[i][l * F + j] }))
          .sort((a, b) => b.v - a.v)
          .slice(0, 3);
        const got = contextsOf(state, l, j);
        expect(got.map((c) => c.ref)).toEqual(expected.map((e) => e.ref));
        expect(got.map((c) => c.position)).toEqual(expected.map((e) => e.at));
        got.forEach((c, i) => expect(c.value).toBeCloseTo(expected[i].v, 4));
        got.forEach((c) => expect(c.hash).toBe(textHash(docs.find((d) => d.ref === c.ref)!.text)));
      }
    }
  });

  it("continues a stopped build where it stopped: the same index as one run", async () => {
    const store = openStore(":memory:");
    const shared = asyncSqliteStore(store);
    writeFileSync(
      path.join(dir, "corpus.txt"),
      documents()
        .map((d) => d.text)
        .join("\n\n"),
    );
    const shipped = { ...handle, identity: { kind: "shipped" as const, id: "default", displayName: "default model" } };
    // one whole run
    const options = { corpusDir: path.join(dir, "corpus.txt"), batchDocuments: 5 };
    const whole = (await new NeuronIndexer(asyncSqliteStore(openStore(":memory:")), options).build("local", shipped))!;
    // a run stopped after its first batch (the progress callback throws, as a kill would end it) …
    const first = new NeuronIndexer(shared, options);
    await expect(
      first.build("local", shipped, () => {
        throw new Error("killed");
      }),
    ).rejects.toThrow("killed");
    const saved = store.neuronIndexes.get("shipped", `shipped@${shipped.meta.createdAt ?? ""}`)!;
    expect(saved.finished).toBe(false);
    expect(saved.documents).toBeGreaterThan(0);
    expect(saved.documents).toBeLessThan(whole.documents);
    // … and continued by another indexer on the same store
    const resumed = (await new NeuronIndexer(shared, options).build("local", shipped))!;
    expect(resumed.documents).toBe(whole.documents);
    expect(resumed.slots).toEqual(whole.slots);
    expect(resumed.refs).toEqual(whole.refs);
  });
});

describe("contexts from a space's stored messages", () => {
  let store: Store;
  let space: ModelHandle;
  const GUILD = "100";
  const message = (id: string, author: string, text: string, guildId = GUILD) => ({
    id,
    guildId,
    channelId: "c",
    authorId: author,
    text,
    createdAt: 1000,
  });

  beforeAll(() => {
    store = openStore(":memory:");
    const docs = documents();
    store.messages.addMany(docs.map((d, i) => message(`m${d.ref}`, i % 2 === 0 ? "alice" : "bob", d.text)));
    store.messages.addMany([message("other", "carol", "Only the other server has this sentence about zebras.", "200")]);
    // the space's own model, stored as a training would store it (its index is deleted with it)
    const stored = store.models.add({ guildId: GUILD, checkpoint: new Uint8Array(8), config: handle.model.config, step: 20 });
    space = { ...handle, identity: storedModel(GUILD, stored.id), meta: { ...handle.meta, createdAt: new Date(5000).toISOString() } };
  });

  it("shows no forgotten or edited message, nothing of another space, nothing as long as a verbatim run", async () => {
    const texts = messageTexts(asyncSqliteStore(store), GUILD, 5000);
    const docs = await texts.documents();
    expect(docs.map((d) => d.ref)).not.toContain("other");
    const state = emptyIndex(space, 5);
    while (indexBatch(space, state, docs) > 0);
    const { nLayer: L, nEmbd: C } = space.model.config;
    const all = () => Array.from({ length: L }, (_, l) => Array.from({ length: 4 * C }, (_, j) => contextsOf(state, l, j))).flat(2);
    const before = showContexts(space, textsNow(texts.kind, docs), all(), Number.POSITIVE_INFINITY);
    expect(before.length).toBeGreaterThan(0);
    for (const c of before) expect([...`${c.before}${c.token}${c.after}`].length).toBeLessThan(MIN_RUN);
    // bob forgets himself; one of alice's messages is edited
    const bobs = store.messages.writtenBefore(GUILD, 5000).filter((m) => m.authorId === "bob");
    store.messages.deleteAuthor(GUILD, "bob");
    const edited = store.messages.writtenBefore(GUILD, 5000).find((m) => m.authorId === "alice")!;
    store.messages.updateText(GUILD, edited.id, "Something else entirely now.");
    const gone = new Set([...bobs.map((m) => m.id), edited.id]);
    const referenced = all().filter((c) => gone.has(c.ref));
    expect(referenced.length).toBeGreaterThan(0); // the index did point at them
    // the texts as a later request reads them
    const after = showContexts(space, textsNow(texts.kind, await texts.documents()), referenced, Number.POSITIVE_INFINITY);
    expect(after).toEqual([]);
  });

  it("the reply says the index is being read, then shows contexts, and never names an author", async () => {
    const indexer = new NeuronIndexer(asyncSqliteStore(store), { inWorker: false });
    for (const lang of ["en", "ja"] as const) {
      const rc = { handle: space, lang, heavy: runNow, redactor: null, neuronIndex: (h: ModelHandle) => indexer.status(GUILD, h) };
      const reply = await neuronsReply(rc, { text: "It rained yesterday" })();
      if (lang === "en") expect(reply.notices.map((n) => n.kind)).toContain("index-building");
      await indexer.settled(GUILD, space);
      const ready = await neuronsReply(rc, { text: "It rained yesterday", neuron: "0.3" })();
      expect(ready.notices.map((n) => n.kind)).not.toContain("index-building");
      const shown = allParts(ready).map((p) => ("text" in p ? p.text : ""));
      expect(shown.some((s) => s.includes("⟦"))).toBe(true);
      expect(shown.join(" ")).not.toMatch(/alice|bob|carol/);
      expect(ready.pictures[0].name).toBe("neurons.png");
    }
  });
});

describe("the neurons picture", () => {
  it("fills each neuron's cell by its value against the largest shown", async () => {
    const input = {
      tokens: ["<eot>", "The", "␣cat"],
      position: 2,
      layers: [
        [
          { index: 5, value: 4 },
          { index: 9, value: 1 },
        ],
        [
          { index: 2, value: 2 },
          { index: 0, value: -0.1 },
        ],
      ],
      contexts: [{ before: "a ", token: "cat", after: " sat" }, null],
      along: null,
      contextNote: null,
      modelName: "test",
      lang: "en" as const,
    };
    const png = await decodePng(await renderNeurons(input));
    const layout = neuronsLayout(input);
    const colourAt = (l: number, i: number) => {
      const r = neuronCellRect(layout, l, i);
      // a corner of the cell, away from its label
      return png.pixel(Math.round(r.x + 3), Math.round(r.y + 3));
    };
    const near = (got: number[], want: readonly number[]) =>
      got.slice(0, 3).forEach((v, i) => expect(Math.abs(v - want[i])).toBeLessThan(6));
    near(colourAt(0, 0), heatRgb(1));
    near(colourAt(0, 1), heatRgb(0.25));
    near(colourAt(1, 0), heatRgb(0.5));
    near(colourAt(1, 1), heatRgb(0));
  });
});
