/**
 * The one place every surface's generated text goes through before anyone sees it: the text,
 * and what the trace picture draws of it (each step's text so far, the token chosen and the
 * candidates). A run copied from a stored message (src/app/verbatim.ts) becomes "[…]" in all of
 * them, so a picture cannot hand back what the text left out.
 */
import { labelAfter } from "../tokenizer/pieces.ts";
import type { GeneratedText } from "./generate-text.ts";
import type { ModelHandle } from "./model-handle.ts";
import { type MessageSource, MIN_RUN, verbatimIndexFor } from "./verbatim.ts";

/** What finds copied runs: [start, end) ranges, in code points, of a text. */
export interface Redactor {
  copiedRuns(text: string): [number, number][];
}

/** The stored messages of a space as a Redactor (null where nothing of anyone's is stored). */
export async function redactorFor(store: MessageSource | undefined, space: string | null): Promise<Redactor | null> {
  return store ? verbatimIndexFor(store, space) : null;
}

/** One step of a generation as pictures show it. */
export interface ShownStep {
  /** the prompt and what was written before this step */
  context: string;
  candidates: { token: string; prob: number }[];
  chosen: string;
  chosenProb: number;
}

/** A generation as every surface may show it: its continuation and its steps, already redacted. */
export interface ShownGeneration extends GeneratedText {
  /** some part was cut as a copy of a stored message */
  cut: boolean;
  shownSteps: ShownStep[];
}

export const CUT_MARK = "[…]";

/**
 * 1. the copied runs of the whole continuation (none without a redactor);
 * 2. the continuation with each run replaced by CUT_MARK;
 * 3. each step: its text so far cut the same way (runs clipped to what was written by then),
 *    and, when the token it chose lies in a run, the token and its candidates shown as CUT_MARK.
 */
export function redactGeneration(handle: ModelHandle, generated: GeneratedText, redactor: Redactor | null): ShownGeneration {
  const t = handle.tokenizer;
  const runs = redactor?.copiedRuns(generated.text) ?? [];
  const chosen = generated.steps.map((s) => s.chosen);
  const promptIds = t.encode(generated.prompt).ids;
  const shownSteps = generated.steps.map((s, i) => {
    // decode everything so far at once: a character split over several byte tokens stays whole
    const before = t.decode(chosen.slice(0, i));
    const start = [...before].length;
    const end = [...t.decode(chosen.slice(0, i + 1))].length;
    const hidden = runs.some(([a, b]) => a < Math.max(end, start + 1) && b > start);
    // a byte piece is labelled as part of its character ("猫 1/3"), read after what came before
    const label = (id: number) => (hidden ? CUT_MARK : labelAfter(t, [...promptIds, ...chosen.slice(0, i)], id).label);
    return {
      context: generated.prompt + cutRuns(before, runs),
      candidates: s.candidates.map((c) => ({ token: label(c.id), prob: c.prob })),
      chosen: label(s.chosen),
      chosenProb: s.chosenProb,
    };
  });
  return { ...generated, text: cutRuns(generated.text, runs), cut: runs.length > 0, shownSteps };
}

/**
 * `text` with each run (clipped to its length) replaced by CUT_MARK. A run clipped below
 * MIN_RUN is cut too: its end comes later, and the rest of it must not be readable before.
 */
function cutRuns(text: string, runs: readonly [number, number][]): string {
  const chars = [...text];
  let out = "";
  let at = 0;
  for (const [start, end] of runs) {
    if (start >= chars.length) break;
    out += `${chars.slice(at, start).join("")}${CUT_MARK}`;
    at = Math.min(end, chars.length);
  }
  return out + chars.slice(at).join("");
}

/** A text (a chat reply) with its copied runs cut; `cut` says whether anything was. */
export function redactText(text: string, redactor: Redactor | null): { text: string; cut: boolean } {
  const runs = redactor?.copiedRuns(text) ?? [];
  return { text: cutRuns(text, runs), cut: runs.length > 0 };
}

export { MIN_RUN };
