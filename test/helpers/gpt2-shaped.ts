/**
 * A model with GPT-2 small's structure in the Hugging Face layout, random weights: 12 layers ×
 * 12 heads, GPT-2's 50,257-token vocabulary (its real files) and 1,024 positions. Tests use a
 * narrower width (C = 48, head size 4: ~2.9 M parameters, a pass in milliseconds); GPT2_FULL=1
 * gives GPT-2 small's own 768 (124,439,808 parameters, a 475 MiB file) for a check by hand.
 */
import { writeModel } from "../../scripts/bench/import-memory.ts";

export const GPT2_SHAPE = { V: 50257, T: 1024, L: 12, H: 12, C: process.env.GPT2_FULL === "1" ? 768 : 48 };

/** Writes the folder into `dir` (which must exist) and returns it. */
export function writeGpt2Shaped(dir: string): string {
  writeModel(dir, GPT2_SHAPE);
  return dir;
}
