/**
 * The `neurons` explanation with live numbers: each layer's strongest neuron at the last token
 * and how many fire are the use case's (neuronsOf and the forward's h); with a neuron index the
 * last layer's strongest neuron's best training context is quoted; without one (an imported
 * model) it says so; other weights give other numbers.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { explainText } from "../../src/app/explain/index.ts";
import { FIRING_AT } from "../../src/app/explain/neurons.ts";
import type { ModelHandle } from "../../src/app/model-handle.ts";
import type { IndexStatus } from "../../src/app/neuron-indexer.ts";
import { emptyIndex, indexBatch, type IndexDocument } from "../../src/app/neuron-index.ts";
import { textsNow } from "../../src/app/neuron-texts.ts";
import { neuronsOf } from "../../src/app/neurons.ts";
import { textsFor } from "../../src/explain/index.ts";
import { fixed } from "../../src/explain/format.ts";
import { loadHandle, perturbedHandle, trainTestModel } from "./helpers.ts";

const wholeText = (e: { modelLine: string; title: string; paragraphs: string[]; table?: string[] }) =>
  [e.modelLine, e.title, ...e.paragraphs, ...(e.table ?? [])].join("\n");

let checkpoint: Uint8Array;
let handle: ModelHandle;
beforeAll(() => {
  checkpoint = trainTestModel();
  handle = loadHandle(checkpoint);
});

/** A finished index over a few documents, as the indexer would hand it to /neurons. */
function readyIndex(model: ModelHandle, docs: string[]): IndexStatus {
  const documents: IndexDocument[] = docs.map((text, i) => ({ ref: String(i).padStart(3, "0"), text }));
  const state = emptyIndex(model);
  while (indexBatch(model, state, documents) > 0);
  const texts = textsNow("corpus", documents);
  return { state: "ready", documents: state.documents, total: documents.length, index: state, texts };
}

/** Each layer's strongest neuron at the last token, and how many are above FIRING_AT there. */
function expected(model: ModelHandle, sentence: string) {
  const F = 4 * model.model.config.nEmbd;
  const r = neuronsOf(model, sentence, { k: 1 });
  return r.layers.map(([c], l) => {
    const row = model.model.activations!.layers[l].fchGelu.subarray(r.position * F, (r.position + 1) * F);
    return { index: c.index, value: c.value, firing: row.filter((v) => v > FIRING_AT).length, F };
  });
}

describe("neurons", () => {
  it("quotes each layer's strongest neuron, its h and how many fire, in both languages", () => {
    for (const lang of ["en", "ja"] as const) {
      const want = expected(handle, textsFor(lang).defaults.sentence);
      const e = explainText(handle, "neurons", { lang });
      const whole = wholeText(e);
      want.forEach((w) => {
        expect(
          e.table!.some((row) => row.includes(`#${w.index}`) && row.includes(fixed(w.value, 2)) && row.includes(`${w.firing} / ${w.F}`)),
        ).toBe(true);
      });
      const last = want[want.length - 1];
      expect(whole).toContain(`${want.length - 1}.${last.index}`);
    }
  });

  it("quotes the last layer's strongest neuron's best training context from the index, or says none is known", () => {
    const docs = ["the cat sat on the mat", "a dog ran in the park", "the bird sang a song", "rain fell all day long"];
    const status = readyIndex(handle, docs);
    for (const lang of ["en", "ja"] as const) {
      const e = explainText(handle, "neurons", { lang, neuronIndex: () => status });
      const whole = wholeText(e);
      expect(whole).toMatch(/\*\*[^*]+\*\*/);
      // the context is a stretch of one of the documents, its token in bold
      const bold = /…([^*…]*)\*\*([^*]+)\*\*([^*…]*)…/.exec(whole)!;
      expect(docs.some((d) => d.includes(`${bold[1]}${bold[2]}${bold[3]}`.replace(/\\/g, "")))).toBe(true);
      const none = wholeText(explainText(handle, "neurons", { lang }));
      expect(none).not.toMatch(/…[^…]*\*\*[^*]+\*\*[^…]*…/);
      expect(none).toContain(lang === "en" ? "No training text is known" : "学習テキストがわからない");
    }
  });

  it("follows the weights: another model, other numbers", () => {
    const other = perturbedHandle(checkpoint);
    const a = explainText(handle, "neurons", { lang: "en" }).table!.join("\n");
    const b = explainText(other, "neurons", { lang: "en" }).table!.join("\n");
    expect(b).not.toBe(a);
    const want = expected(other, textsFor("en").defaults.sentence);
    expect(b).toContain(fixed(want[0].value, 2));
  });
});
