/** Every slash command of the playground, in the order the page lists them. */
import { type WebCommand, webCommandSpecs } from "../command-spec.ts";
import { ablate } from "./ablate.ts";
import { attention } from "./attention.ts";
import { explain } from "./explain.ts";
import { generate } from "./generate.ts";
import { lens } from "./lens.ts";
import { model } from "./model.ts";
import { neurons } from "./neurons.ts";
import { predict } from "./predict.ts";
import { sources } from "./sources.ts";
import { tokens } from "./tokens.ts";
import { trace } from "./trace.ts";
import { train } from "./train.ts";
import { why } from "./why.ts";

const RUNNERS: readonly WebCommand[] = [
  predict,
  attention,
  lens,
  why,
  neurons,
  ablate,
  sources,
  generate,
  trace,
  tokens,
  model,
  explain,
  train,
];

/** In the catalogue's order; a catalogue command of the playground without a runner here is an error at start. */
export const WEB_COMMANDS: readonly WebCommand[] = webCommandSpecs().map((spec) => {
  const runner = RUNNERS.find((r) => r.spec.name === spec.name);
  if (!runner) throw new Error(`the catalogue lists /${spec.name} for the playground, but src/adapters/web/commands has no runner for it`);
  return runner;
});
