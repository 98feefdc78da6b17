/**
 * The scriptable console: `npm run cli -- <command> [options]`.
 * Mistakes (unknown command or option, missing file, empty input, corrupt model) get one line
 * on stderr and exit code 2 (usage) or 1 (failure); never a stack trace.
 */
import { InputError } from "../../app/prompt.ts";
import { UsageError } from "./usage-error.ts";
import * as chat from "./commands/chat.ts";
import * as generate from "./commands/generate.ts";
import * as predict from "./commands/predict.ts";
import * as train from "./commands/train.ts";
import * as info from "./commands/info.ts";
import * as attention from "./commands/attention.ts";
import * as trace from "./commands/trace.ts";
import * as tokens from "./commands/tokens.ts";
import * as embeddings from "./commands/embeddings.ts";
import * as card from "./commands/card.ts";
import * as explain from "./commands/explain.ts";
import * as fetchModel from "./commands/fetch-model.ts";
import * as evaluate from "./commands/eval.ts";
import * as commands from "./commands/commands.ts";
import * as models from "./commands/models.ts";
import * as lens from "./commands/lens.ts";
import * as attribute from "./commands/attribute.ts";
import * as ablate from "./commands/ablate.ts";
import * as neurons from "./commands/neurons.ts";
import * as sources from "./commands/sources.ts";
import { commandSpec } from "../../app/catalogue/index.ts";
import { cliHelp } from "./catalogue-args.ts";

interface CliCommand {
  usage: string;
  run(argv: string[]): Promise<void>;
  /** its own --help text (a command with subcommands) */
  help?: () => string;
}

export const COMMANDS: Record<string, CliCommand> = {
  chat,
  generate,
  predict,
  train,
  info,
  attention,
  lens,
  attribute,
  ablate,
  neurons,
  sources,
  trace,
  tokens,
  embeddings,
  card,
  explain,
  "fetch-model": fetchModel,
  eval: evaluate,
  commands,
  models,
};

export function helpText(): string {
  return [
    "usage: npm run cli -- <command> [options]   (npm run cli -- <command> --help: its flags)",
    "",
    ...Object.values(COMMANDS).map((c) => `  ${c.usage}`),
  ].join("\n");
}

export async function runCli(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "help" || name === "--help" || name === "-h") {
    process.stdout.write(`${helpText()}\n`);
    return 0;
  }
  const command = COMMANDS[name];
  // `predict --help`: the flags of a catalogue command, with their ranges and defaults
  if (command && (rest.includes("--help") || rest.includes("-h")) && hasCatalogueEntry(name)) {
    process.stdout.write(`${command.help?.() ?? cliHelp(name)}\n`);
    return 0;
  }
  try {
    if (!command) throw new UsageError(`unknown command "${name}"; commands: ${Object.keys(COMMANDS).join(", ")}`);
    await command.run(rest);
    return 0;
  } catch (err) {
    const usage = err instanceof UsageError;
    const known = usage || err instanceof InputError || err instanceof Error;
    process.stderr.write(`error: ${known ? (err as Error).message : String(err)}\n`);
    return usage ? 2 : 1;
  }
}

function hasCatalogueEntry(name: string): boolean {
  try {
    commandSpec(name, "cli");
    return true;
  } catch {
    return false;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = await runCli(process.argv.slice(2));
}
