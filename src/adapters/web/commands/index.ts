/** Every slash command of the playground, in the order the page lists them. */
import type { WebCommand } from "../command-spec.ts";
import { attention } from "./attention.ts";
import { explain } from "./explain.ts";
import { generate } from "./generate.ts";
import { model } from "./model.ts";
import { predict } from "./predict.ts";
import { tokens } from "./tokens.ts";
import { trace } from "./trace.ts";
import { train } from "./train.ts";

export const WEB_COMMANDS: readonly WebCommand[] = [predict, attention, generate, trace, tokens, model, explain, train];
