/**
 * /lens, /why and /ablate as use cases (issue #20): on a model trained here from scratch and on
 * an imported nanoGPT-layout safetensors the test writes, each result checked against the
 * engine computed independently (full forward passes, one shortened text at a time, one head
 * at a time), the catalogue's checks of bad input, and the ablation grid's picture on a model
 * whose weights were edited so that one head decides the prediction.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ablateNext, parseHeads, predictAblated } from "../../src/app/ablate.ts";
import { attributeNext } from "../../src/app/attribute.ts";
import { loadImportedModel } from "../../src/app/import-model.ts";
import { lensOf } from "../../src/app/lens.ts";
import { explainAblation, explainAttribution, explainLens } from "../../src/app/explain/look.ts";
import { textsFor } from "../../src/explain/index.ts";
import { logitLens } from "../../src/model/lens.ts";
import { ablationPicture, attributionPicture, lensPicture } from "../../src/app/look-pictures.ts";
import { handleFromCheckpoint, type ModelHandle } from "../../src/app/model-handle.ts";
import { predictNext } from "../../src/app/predict.ts";
import { encodePrompt, InputError } from "../../src/app/prompt.ts";
import { trainModel } from "../../src/app/train-model.ts";
import { gradientTimesInput } from "../../src/model/attribution.ts";
import { loadCheckpointBytes } from "../../src/model/checkpoint.ts";
import { GPT } from "../../src/model/gpt.ts";
import { paramSpecs } from "../../src/model/params.ts";
import { encodeSafetensors } from "../../src/model/safetensors.ts";
import { ablationCellRect, ablationLayout } from "../../src/render/ablation.ts";
import { luminance } from "../../src/render/colormap.ts";
import { topCandidates } from "../../src/sample/sampling.ts";
import { seededRandom } from "../../src/tensor/random.ts";
import { smallCorpus } from "../helpers/corpus.ts";
import { decodePng } from "../render/fixtures.ts";

/** log p(id) after ids under the whole model (or with heads off), by one plain forward pass. */
function logProbAfter(handle: ModelHandle, ids: number[], id: number, ablate: { layer: number; head: number }[] = []): number {
  const V = handle.model.config.vocabSize;
  const logits = handle.model.forward(Int32Array.from(ids), 1, ids.length, null, { ablate }).logits;
  const row = Array.from(logits.subarray((ids.length - 1) * V, ids.length * V));
  const max = Math.max(...row);
  return row[id] - max - Math.log(row.reduce((s, v) => s + Math.exp(v - max), 0));
}

/** The InputError a call throws (fails the test when it throws nothing or something else). */
function inputErrorOf(call: () => unknown): InputError {
  try {
    call();
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return err as InputError;
  }
  throw new Error("no error was thrown");
}

const CHARS = [..."\nabcdefghijklmnopqrstuvwxyz .,"];

/** meta.pkl as nanoGPT's prepare.py writes it (protocol 2, by hand): {"vocab_size": n, "itos": {i: ch}}. */
function metaPkl(chars: string[]): Uint8Array {
  const bytes: number[] = [0x80, 0x02, 0x7d, 0x28];
  const str = (s: string) => {
    const utf8 = [...Buffer.from(s, "utf8")];
    bytes.push(0x8c, utf8.length, ...utf8);
  };
  str("vocab_size");
  bytes.push(0x4b, chars.length);
  str("itos");
  bytes.push(0x7d, 0x28);
  chars.forEach((ch, i) => {
    bytes.push(0x4b, i);
    str(ch);
  });
  bytes.push(0x75, 0x75, 0x2e);
  return Uint8Array.from(bytes);
}

let trained: ModelHandle;
let imported: ModelHandle;
let dir: string;

beforeAll(() => {
  const run = trainModel(smallCorpus(), { preset: "tiny", tokenizer: "bpe", vocabSize: 300, steps: 30, seed: 1, evalInterval: 15 });
  trained = handleFromCheckpoint(loadCheckpointBytes(run.checkpoint, "test"), "test model");
  // a nanoGPT-layout model: its tensors by nanoGPT's names, n_head in the metadata, meta.pkl beside it
  dir = mkdtempSync(path.join(tmpdir(), "look-"));
  const config = { vocabSize: CHARS.length, blockSize: 32, nLayer: 2, nHead: 2, nEmbd: 16, bias: true };
  const model = new GPT(config).init(seededRandom(5));
  const rng = seededRandom(6);
  for (let i = 0; i < model.params.length; i++) model.params[i] = model.params[i] * 8 + 0.05 * rng.normal();
  const tensors = paramSpecs(config).map((s) => ({
    name: s.name,
    shape: s.shape,
    data: Float32Array.from(model.params.subarray(s.offset, s.offset + s.size)),
  }));
  const file = path.join(dir, "model.safetensors");
  writeFileSync(file, encodeSafetensors(tensors, { n_head: "2" }));
  writeFileSync(path.join(dir, "meta.pkl"), metaPkl(CHARS));
  imported = loadImportedModel(file, "nanogpt-safetensors", "imported model");
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const TEXTS = { trained: "It rained yesterday and the", imported: "the cat sat on a mat." };

for (const which of ["trained", "imported"] as const) {
  const handleOf = () => (which === "trained" ? trained : imported);
  const text = TEXTS[which];

  describe(`on the ${which} model`, () => {
    it("lens: depths 0…L, every position, top k; the output depth's last position is /predict", () => {
      const handle = handleOf();
      const { nLayer, vocabSize: V } = handle.model.config;
      const lens = lensOf(handle, text, { k: 4 });
      const T = lens.inputIds.length;
      expect(lens.layers.map((d) => d.layer)).toEqual(Array.from({ length: nLayer + 1 }, (_, d) => d));
      for (const d of lens.layers) {
        expect(d.positions).toHaveLength(T);
        for (const p of d.positions) {
          expect(p.top).toHaveLength(4);
          for (let i = 1; i < 4; i++) expect(p.top[i].prob).toBeLessThanOrEqual(p.top[i - 1].prob);
        }
      }
      // the output depth is the model's forward, sorted as topCandidates sorts it, number for number
      const logits = handle.model.forward(Int32Array.from(lens.inputIds), 1, T).logits;
      for (const t of [0, T - 1]) {
        const expected = topCandidates(logits.subarray(t * V, (t + 1) * V), 4, 1);
        expect(lens.layers[nLayer].positions[t].top.map(({ id, prob, logit }) => ({ id, prob, logit }))).toEqual(expected);
      }
      // and /predict (the KV-cached path) names the same tokens with the same probabilities
      const predicted = predictNext(handle, text, { k: 4 });
      const last = lens.layers[nLayer].positions[T - 1].top;
      expect(last.map((c) => c.id)).toEqual(predicted.candidates.map((c) => c.id));
      last.forEach((c, i) => expect(Math.abs(c.prob - predicted.candidates[i].prob)).toBeLessThan(1e-5));
      // the embeddings depth reads another stream
      expect(lens.layers[0].positions[T - 1].top[0].prob).not.toBe(last[0].prob);
    });

    it("attribute: gradient × input from the backward pass, occlusion from each shortened text, one score per position", () => {
      const handle = handleOf();
      const result = attributeNext(handle, text);
      const ids = result.inputIds;
      expect(result.gradient).toHaveLength(ids.length);
      expect(result.occlusion).toHaveLength(ids.length);
      expect(result.target.predicted).toBe(true);
      expect(result.target.id).toBe(predictNext(handle, text, { k: 1 }).candidates[0].id);
      expect(result.gradient).toEqual(gradientTimesInput(handle.model, Int32Array.from(ids), result.target.id).scores);
      const whole = logProbAfter(handle, ids, result.target.id);
      expect(result.target.logProb).toBeCloseTo(whole, 4);
      ids.forEach((_, r) => {
        const without = logProbAfter(handle, [...ids.slice(0, r), ...ids.slice(r + 1)], result.target.id);
        expect(result.occlusion[r]).toBeCloseTo(result.target.logProb - without, 4);
        expect(result.occludedProb[r]).toBeCloseTo(Math.exp(without), 6);
      });
      expect(new Set(result.occlusion.map((s) => s.toFixed(6))).size).toBeGreaterThan(1);
    });

    it("attribute: a target the user names, as one token; more than one token is refused with the count", () => {
      const handle = handleOf();
      const predicted = attributeNext(handle, text).target.id;
      // a one-token target other than the predicted one
      const other = Array.from({ length: handle.tokenizer.vocabSize }, (_, id) => id).find((id) => {
        if (id === predicted || id === handle.tokenizer.eotId) return false;
        const piece = handle.tokenizer.decode([id]);
        const back = handle.tokenizer.encode(piece).ids;
        return piece.trim() !== "" && back.length === 1 && back[0] === id;
      })!;
      const chosen = attributeNext(handle, text, { target: handle.tokenizer.decode([other]) });
      expect(chosen.target.id).toBe(other);
      expect(chosen.target.predicted).toBe(false);
      expect(chosen.target.logProb).toBeCloseTo(logProbAfter(handle, chosen.inputIds, other), 4);
      const err = inputErrorOf(() => attributeNext(handle, text, { target: "abc def" }));
      expect(err.code).toBe("target-tokens");
      expect(err.values).toEqual({ target: "abc def", count: handle.tokenizer.encode("abc def").ids.length });
    });

    it("ablate: the grid is each head alone switched off, before/after are the whole and the ablated model", () => {
      const handle = handleOf();
      const { nLayer, nHead } = handle.model.config;
      const result = ablateNext(handle, text, { heads: "1.0,0", k: 5 });
      expect(result.heads).toEqual([...Array.from({ length: nHead }, (_, head) => ({ layer: 0, head })), { layer: 1, head: 0 }]);
      const ids = encodePrompt(handle, text).ids;
      const top = result.before[0].id;
      expect(result.top.id).toBe(top);
      expect(result.grid).toHaveLength(nLayer);
      for (let l = 0; l < nLayer; l++) {
        expect(result.grid[l]).toHaveLength(nHead);
        for (let h = 0; h < nHead; h++) {
          const expected = logProbAfter(handle, ids, top, [{ layer: l, head: h }]) - logProbAfter(handle, ids, top);
          expect(result.grid[l][h]).toBeCloseTo(expected, 4);
        }
      }
      result.beforeTokensAfter.forEach((c, i) => {
        expect(c.id).toBe(result.before[i].id);
        expect(Math.log(c.prob)).toBeCloseTo(logProbAfter(handle, ids, c.id, result.heads), 4);
      });
      // predict --ablate: the same heads give the same after-candidates
      const predicted = predictAblated(handle, text, { heads: "0,1.0", k: 5 });
      expect(predicted.candidates.map((c) => c.id)).toEqual(result.after.map((c) => c.id));
      // without heads: the single head whose removal lowers log p(top) most
      const auto = ablateNext(handle, text);
      const flat = auto.grid.flat();
      const worst = flat.indexOf(Math.min(...flat));
      expect(auto.chosenFromGrid).toBe(true);
      expect(auto.heads).toEqual([{ layer: Math.floor(worst / nHead), head: worst % nHead }]);
    });

    it("bad heads are InputErrors with their values; heads out of range name the model's counts", () => {
      const handle = handleOf();
      const { nLayer, nHead } = handle.model.config;
      for (const bad of ["1.x", "a", "1.0,,2", "-1", "1.2.3"]) {
        const err = inputErrorOf(() => parseHeads(handle, bad));
        expect(err.code).toBe("bad-heads");
        expect(err.values.heads).toBe(bad);
      }
      const layer = inputErrorOf(() => ablateNext(handle, text, { heads: `${nLayer}.0` }));
      expect(layer.code).toBe("bad-layer");
      expect(layer.values).toEqual({ layer: nLayer, layers: nLayer });
      expect(layer.message).toBe(`layer ${nLayer} does not exist: this model has layers 0–${nLayer - 1}`);
      const head = inputErrorOf(() => predictAblated(handle, text, { heads: `0.${nHead}` }));
      expect(head.code).toBe("bad-head");
      expect(head.values).toEqual({ head: nHead, heads: nHead });
      expect(inputErrorOf(() => lensOf(handle, text, { k: 11 })).code).toBe("bad-option");
      expect(inputErrorOf(() => ablateNext(handle, text, { k: 0 })).code).toBe("bad-option");
    });

    it("draws the three pictures in both languages", async () => {
      const handle = handleOf();
      for (const lang of ["en", "ja"] as const) {
        for (const png of [
          await lensPicture(lensOf(handle, text), lang, handle.name),
          await attributionPicture(attributeNext(handle, text), lang, handle.name),
          await ablationPicture(ablateNext(handle, text, { heads: "0.1" }), lang, handle.name),
        ]) {
          const picture = await decodePng(png);
          expect(picture.width).toBeGreaterThan(1000);
          expect(picture.distinctColours()).toBeGreaterThan(50);
        }
      }
    });
  });
}

describe("a head made decisive by editing its weights", () => {
  it("is the grid's largest drop and its brightest cell", async () => {
    const handle = imported;
    const { nEmbd: C, nHead } = handle.model.config;
    const HS = C / nHead;
    const saved = Float32Array.from(handle.model.params);
    try {
      // head 1.1 made to write one token's embedding, whatever it attends to:
      // 1. its value rows of c_attn [3C, C] zero, their bias 1, so its output is ones [HS];
      // 2. its columns of c_proj [C, C] map those ones to 50 × wte[target] / |wte[target]|
      const target = handle.tokenizer.encode("z").ids[0];
      const block = handle.model.views.blocks[1];
      for (let r = 2 * C + HS; r < 2 * C + 2 * HS; r++) {
        block.attnW.fill(0, r * C, (r + 1) * C);
        block.attnB![r] = 1;
      }
      const e = Array.from({ length: C }, (_, c) => handle.model.views.wte[target * C + c]);
      const norm = Math.hypot(...e);
      for (let o = 0; o < C; o++) for (let i = HS; i < 2 * HS; i++) block.projW[o * C + i] = (50 * e[o]) / norm / HS;
      const result = ablateNext(handle, TEXTS.imported);
      const flat = result.grid.flat();
      expect(result.top.id).toBe(target);
      expect(flat.indexOf(Math.min(...flat))).toBe(1 * nHead + 1);
      expect(result.heads).toEqual([{ layer: 1, head: 1 }]);
      // in the picture: the cell of 1.1 is the brightest of the grid
      const input = {
        bars: result.before.map((c, i) => ({ token: c.token, before: c.prob, after: result.beforeTokensAfter[i].prob })),
        afterTop: result.after[0],
        heads: result.heads,
        chosenFromGrid: true,
        topToken: result.top.token,
        grid: result.grid,
        modelName: handle.name,
        lang: "en" as const,
      };
      const layout = ablationLayout(input);
      const picture = await decodePng(await ablationPicture(result, "en", handle.name));
      const brightness = result.grid.map((row, l) =>
        row.map((_, h) => {
          const r = ablationCellRect(layout, l, h);
          return luminance(picture.pixel(r.x + 8, r.y + r.h - 6));
        }),
      );
      const cells = brightness.flat();
      expect(cells.indexOf(Math.max(...cells))).toBe(1 * nHead + 1);
      expect(Math.max(...cells)).toBeGreaterThan(0.5);
    } finally {
      handle.model.params.set(saved);
    }
  });
});

describe("the explanation topics' numbers are the commands' numbers", () => {
  const input = (handle: ModelHandle) => ({ handle, lang: "en" as const, texts: textsFor("en"), text: TEXTS.trained, redactor: null });

  it("lens: the last position's top guess at every depth, where the output's guess settles, its probability at depth 0", () => {
    const { facts } = explainLens(input(trained));
    const lens = lensOf(trained, TEXTS.trained, { k: 1 });
    const T = lens.inputIds.length;
    const tops = lens.layers.map((d) => d.positions[T - 1].top[0]);
    expect(facts.depths).toEqual(tops.map((c, layer) => ({ layer, token: c.token, prob: c.prob })));
    const out = tops[tops.length - 1];
    let settled = tops.length - 1;
    while (settled > 0 && tops[settled - 1].id === out.id) settled--;
    expect(facts.settledAt).toBe(settled);
    const V = trained.model.config.vocabSize;
    const row = Array.from(logitLens(trained.model, Int32Array.from(lens.inputIds))[0].subarray((T - 1) * V, T * V));
    const max = Math.max(...row);
    expect(facts.outputTokenAtStart).toBeCloseTo(Math.exp(row[out.id] - max) / row.reduce((s, v) => s + Math.exp(v - max), 0), 10);
  });

  it("attribution and ablation: the scores and the decisive head of /why and /ablate", () => {
    const why = explainAttribution(input(trained)).facts;
    const scores = attributeNext(trained, TEXTS.trained);
    for (const r of why.rows) {
      expect(r.gradient).toBe(scores.gradient[r.position]);
      expect(r.occlusion).toBe(scores.occlusion[r.position]);
    }
    expect(why.target).toEqual({ token: scores.target.token, prob: scores.target.prob });
    expect(why.occlusionTop.position).toBe(scores.occlusion.indexOf(Math.max(...scores.occlusion)));
    const ablation = explainAblation(input(trained)).facts;
    const grid = ablateNext(trained, TEXTS.trained).grid;
    const flat = grid.flat();
    const worst = flat.indexOf(Math.min(...flat));
    const { nHead } = trained.model.config;
    expect(ablation.decisive).toEqual({ layer: Math.floor(worst / nHead), head: worst % nHead, delta: flat[worst] });
    expect(ablation.quiet).toBe(flat.filter((d) => Math.abs(d) < 0.05).length);
  });
});
