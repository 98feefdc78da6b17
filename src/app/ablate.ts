/**
 * `/ablate` and `/predict heads:`: switching attention heads off (their output zeroed before
 * the block's c_proj, src/model/gpt.ts) and seeing what the model predicts without them.
 *
 *   heads "2.1,3.0"  head 1 of layer 2 and head 0 of layer 3;  "2"  every head of layer 2.
 *
 * The grid: for every head alone, the change in log p(top token) at the last position, where
 * the top token is the whole model's likeliest next token. A large negative change = the
 * prediction leant on that head.
 */
import type { HeadMask } from "../model/gpt.ts";
import type { ModelHost } from "./model-host.ts";
import { labelAfter } from "../tokenizer/pieces.ts";
import { checkValues } from "./catalogue/check.ts";
import { defaultOf } from "./catalogue/index.ts";
import { inputError } from "./input-messages.ts";
import type { ModelHandle } from "./model-handle.ts";
import { checkText, encodePrompt, InputError, promptFacts } from "./prompt.ts";
import { logProbOf, softmaxStats, topTokens } from "./top-tokens.ts";
import { PREDICT_DEFAULTS, type PredictOptions, type PredictResult, predictFromLogits } from "./predict.ts";
import { withDefaults } from "./options.ts";

export interface HeadRef {
  layer: number;
  head: number;
}

/** "2.1, 3.0" or "2" → the heads, checked against the model (each head once, in layer order). */
export function parseHeads(handle: ModelHandle, spec: string): HeadRef[] {
  checkValues("ablate", { heads: spec });
  const { nLayer, nHead } = handle.model.config;
  const items = spec.split(",").map((s) => s.trim());
  const heads = new Map<string, HeadRef>();
  for (const item of items) {
    const match = /^(\d+)(?:\.(\d+))?$/.exec(item);
    if (!match) throw inputError("bad-heads", { heads: spec.slice(0, 40), item: item.slice(0, 20) });
    const layer = Number(match[1]);
    if (layer >= nLayer) {
      throw new InputError(`layer ${layer} does not exist: this model has layers 0–${nLayer - 1}`, "bad-layer", { layer, layers: nLayer });
    }
    const chosen = match[2] === undefined ? Array.from({ length: nHead }, (_, h) => h) : [Number(match[2])];
    for (const head of chosen) {
      if (head >= nHead) {
        throw new InputError(`head ${head} does not exist: this model has heads 0–${nHead - 1}`, "bad-head", { head, heads: nHead });
      }
      heads.set(`${layer}.${head}`, { layer, head });
    }
  }
  return [...heads.values()].sort((a, b) => a.layer - b.layer || a.head - b.head);
}

/** "2.1,3.0" for heads (a whole layer stays a list of its heads). */
export function headsText(heads: readonly HeadRef[]): string {
  return heads.map((h) => `${h.layer}.${h.head}`).join(",");
}

export interface NextCandidate {
  id: number;
  token: string;
  prob: number;
  logit: number;
}

/** The next-token logits [V] after ids, with `ablate` switched off (a full forward, not the KV cache). */
export function lastLogits(handle: ModelHandle, ids: readonly number[], ablate: HeadMask = []): Float32Array | Float64Array {
  const T = ids.length;
  const V = handle.model.config.vocabSize;
  const logits = handle.model.forward(Int32Array.from(ids), 1, T, null, { ablate }).logits;
  return logits.slice((T - 1) * V, T * V);
}

/** The top k of a row of next-token logits, labelled after the context. */
export function candidatesOf(handle: ModelHandle, context: readonly number[], row: ArrayLike<number>, k: number): NextCandidate[] {
  return topTokens(row, k).map((c) => ({ ...c, token: labelAfter(handle.tokenizer, context, c.id).label }));
}

export interface AblationResult {
  text: string;
  inputIds: number[];
  inputTokens: string[];
  unknown: number;
  dropped: number;
  /** the heads switched off for `after` (the most decisive single head when none were given) */
  heads: HeadRef[];
  /** whether `heads` was chosen from the grid because the user named none */
  chosenFromGrid: boolean;
  /** the whole model's top k */
  before: NextCandidate[];
  /** the same tokens' probabilities with the heads off: after[i] is before[i]'s token */
  beforeTokensAfter: NextCandidate[];
  /** the ablated model's own top k */
  after: NextCandidate[];
  /** the whole model's likeliest next token, which the grid follows */
  top: { id: number; token: string; logProb: number };
  /** [layer][head]: log p(top) with that head alone off − log p(top) of the whole model */
  grid: number[][];
}

export const ABLATE_DEFAULT_K: number = defaultOf("ablate", "k");

export function ablateNext(handle: ModelHandle, text: string, options: { heads?: string; k?: number } = {}): AblationResult {
  const steps = ablationSteps(handle, text, options);
  let step = steps.next();
  while (!step.done) {
    const { ids, masks } = step.value;
    step = steps.next(masks.map((mask) => lastLogits(handle, ids, mask)));
  }
  return step.value;
}

/** ablateNext with its forward passes in the model's host thread (src/app/model-host.ts): the event loop only compares. */
export async function ablateOnHost(
  handle: ModelHandle,
  host: ModelHost,
  text: string,
  options: { heads?: string; k?: number } = {},
): Promise<AblationResult> {
  const steps = ablationSteps(handle, text, options);
  let step = steps.next();
  while (!step.done) step = steps.next(await host.lastLogits(step.value.ids, step.value.masks));
  return step.value;
}

/** The next-token logits of `ids` with each of `masks` switched off: what ablationSteps asks for, one row per mask. */
interface LogitsWanted {
  ids: number[];
  masks: HeadMask[];
}

/**
 * /ablate's steps, the forward passes left to the caller: it yields the passes it needs and is
 * given their rows back (in the masks' order), then returns the result.
 *   1. the whole model and 2. each head alone switched off (one request: 1 + L × NH passes);
 *   3. the heads asked for (or the one whose removal lowers log p(top) most), switched off together
 */
function* ablationSteps(
  handle: ModelHandle,
  text: string,
  options: { heads?: string; k?: number },
): Generator<LogitsWanted, AblationResult, ArrayLike<number>[]> {
  const k = options.k ?? ABLATE_DEFAULT_K;
  checkText(text, true);
  checkValues("ablate", { k });
  const given = options.heads !== undefined && options.heads.trim() !== "" ? parseHeads(handle, options.heads) : null;
  const prompt = encodePrompt(handle, text);
  const { nLayer, nHead } = handle.model.config;

  // 1–2. the whole model, then each head alone switched off: the change in log p(top)
  const singles = Array.from({ length: nLayer * nHead }, (_, i): HeadMask => [{ layer: Math.floor(i / nHead), head: i % nHead }]);
  const [whole, ...alone] = yield { ids: prompt.ids, masks: [[], ...singles] };
  const before = candidatesOf(handle, prompt.ids, whole, k);
  const topId = before[0].id;
  const topLogProb = logProbOf(whole, topId);
  const grid = Array.from({ length: nLayer }, (_, layer) =>
    Array.from({ length: nHead }, (_, head) => logProbOf(alone[layer * nHead + head], topId) - topLogProb),
  );

  // 3. the heads asked for (or the one whose removal lowers log p(top) most), switched off together
  let heads = given;
  if (heads === null) {
    let best: HeadRef = { layer: 0, head: 0 };
    for (let l = 0; l < nLayer; l++)
      for (let h = 0; h < nHead; h++) if (grid[l][h] < grid[best.layer][best.head]) best = { layer: l, head: h };
    heads = [best];
  }
  const [ablated] = yield { ids: prompt.ids, masks: [heads] };
  const stats = softmaxStats(ablated);
  const probAfter = (id: number) => Math.exp(ablated[id] - stats.max) / stats.sum;
  return {
    ...promptFacts(handle, text, prompt),
    heads,
    chosenFromGrid: given === null,
    before,
    beforeTokensAfter: before.map((c) => ({ ...c, prob: probAfter(c.id), logit: ablated[c.id] })),
    after: candidatesOf(handle, prompt.ids, ablated, k),
    top: { id: topId, token: before[0].token, logProb: topLogProb },
    grid,
  };
}

/**
 * `/predict` with heads switched off: the same result as predictNext (src/app/predict.ts), from
 * the ablated model's full forward pass.
 */
export function predictAblated(
  handle: ModelHandle,
  text: string,
  options: Partial<PredictOptions> & { heads: string },
): PredictResult & { heads: HeadRef[] } {
  const { k, temperature } = withDefaults(PREDICT_DEFAULTS, options);
  checkText(text, true);
  checkValues("predict", { k, temperature });
  const heads = parseHeads(handle, options.heads);
  return { ...predictFromLogits(handle, text, { k, temperature }, (ids) => lastLogits(handle, ids, heads)), heads };
}
