/**
 * The `derivative` numbers: the back-propagated value is the engine's own gradient, the
 * central difference at h = 1e-3 agrees with it (in float32, to CENTRAL_TOLERANCE), the
 * estimates behave as the text says, and the weight is put back exactly.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { CENTRAL_TOLERANCE, derivativeNumbers, TABLE_STEPS } from "../../src/app/explain/derivative.ts";
import { explainText, explanationText } from "../../src/app/explain/index.ts";
import { textWindow } from "../../src/app/explain/common.ts";
import type { ModelHandle } from "../../src/app/model-handle.ts";
import { GPT } from "../../src/model/gpt.ts";
import { sig } from "../../src/explain/format.ts";
import { loadHandle, trainTestModel } from "./helpers.ts";

const SENTENCES = [
  "昨日は雨だったけど、今日は晴れだった。",
  "It rained yesterday, but today it is sunny.",
  "The model predicts the next token.",
];

let handle: ModelHandle;
beforeAll(() => {
  handle = loadHandle(trainTestModel());
});

const relative = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe("derivative: numerical differentiation vs back-propagation", () => {
  it.each(SENTENCES)("“%s”: back-propagation is the engine's gradient; the central difference at h = 1e-3 agrees", (sentence) => {
    const n = derivativeNumbers(handle, sentence);
    // the engine, asked directly
    const model = handle.model;
    const w = textWindow(handle, sentence);
    model.zeroGrad();
    const loss = model.forward(w.x, 1, w.T, w.y).loss!;
    model.backward();
    expect(n.backprop).toBe(model.grads[n.index]);
    expect(n.loss).toBe(loss);
    expect(n.name).toBe("transformer.h.0.attn.c_attn.weight");
    expect(Math.abs(n.backprop)).toBeGreaterThan(1e-4); // a gradient worth measuring
    const at1e3 = n.table.find((r) => r.h === 1e-3)!;
    expect(relative(at1e3.central, n.backprop)).toBeLessThan(CENTRAL_TOLERANCE);
  });

  it("in float64 the central difference of the same weight matches far more closely: float32 rounding is the limit", () => {
    const sentence = SENTENCES[1];
    const n = derivativeNumbers(handle, sentence);
    const exact = new GPT(handle.model.config, { dtype: "float64" }).loadParams(handle.model.params);
    const w = textWindow(handle, sentence);
    exact.zeroGrad();
    exact.forward(w.x, 1, w.T, w.y);
    exact.backward();
    const original = exact.params[n.index];
    const h = 1e-5;
    exact.params[n.index] = original + h;
    const above = exact.forward(w.x, 1, w.T, w.y).loss!;
    exact.params[n.index] = original - h;
    const below = exact.forward(w.x, 1, w.T, w.y).loss!;
    const central64 = (above - below) / (2 * h);
    expect(relative(central64, exact.grads[n.index])).toBeLessThan(1e-6);
    // the float32 engine's gradient is the float64 one to float32 precision
    expect(relative(n.backprop, exact.grads[n.index])).toBeLessThan(1e-3);
  });

  it("the estimates converge first, then fall apart for tiny h, as the text says", () => {
    const n = derivativeNumbers(handle, SENTENCES[1]);
    expect(n.table.map((r) => r.h)).toEqual(TABLE_STEPS);
    const error = (h: number, kind: "forward" | "central") => relative(n.table.find((r) => r.h === h)![kind], n.backprop);
    // forward difference: error of order h, so 1e-3 beats 1e-1
    expect(error(1e-3, "forward")).toBeLessThan(error(1e-1, "forward"));
    // central is better than forward at a moderate step
    expect(error(1e-2, "central")).toBeLessThan(error(1e-2, "forward"));
    // at the smallest steps float32 rounding wins: off by more than 10 % (or exactly 0)
    expect(Math.min(error(1e-9, "central"), error(1e-10, "central"))).toBeGreaterThan(0.1);
  });

  it("puts the weight back exactly", () => {
    const before = Float32Array.from(handle.model.params);
    derivativeNumbers(handle, SENTENCES[0]);
    expect(handle.model.params).toEqual(before);
  });

  it("states the numbers it computed", () => {
    const e = explainText(handle, "derivative", { lang: "en" });
    const n = derivativeNumbers(handle, "It rained yesterday, but today it is sunny.");
    expect(explanationText(e)).toContain(`${n.name}[${n.row}, ${n.col}]`);
    expect(explanationText(e)).toContain(sig(n.backprop, 5));
    expect(e.table!.join("\n")).toContain(sig(n.table[2].central, 4));
    expect(explanationText(explainText(handle, "derivative", { lang: "ja" }))).toContain("誤差逆伝播法");
  });
});
