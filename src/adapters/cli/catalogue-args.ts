/**
 * The console's flags, derived from the command catalogue: `--top-k` for the option top_k,
 * `--json` for a boolean, a positional first word where the catalogue says so (`explain TOPIC`).
 * A value that is not of its type, a missing required flag or an unknown choice is a usage
 * mistake (exit 2); a number out of its range is the catalogue's InputError (exit 1), the same
 * sentence the bot and the playground say.
 */
import { parseArgs } from "node:util";
import { checkOption } from "../../app/catalogue/check.ts";
import { commandSpec, type OptionSpec, type OptionValue, optionDescription, optionsOn } from "../../app/catalogue/index.ts";
import { InputError } from "../../app/prompt.ts";
import { UsageError } from "./usage-error.ts";

/** The flag of an option: `--top-k` for top_k, or the catalogue's cliFlag. */
export function flagOf(option: OptionSpec): string {
  return option.cliFlag ?? option.name.replace(/_/g, "-");
}

/** The console's options of a catalogue command. */
export function cliOptions(command: string): OptionSpec[] {
  return optionsOn(commandSpec(command, "cli"), "cli");
}

/** The defaults of a console command's options (the console's own entry, not a same-named command of another surface). */
export function cliDefaults(command: string): Record<string, OptionValue> {
  return Object.fromEntries(cliOptions(command).flatMap((o) => (o.default === undefined ? [] : [[o.name, o.default]])));
}

/** Parses argv against the command's catalogue options: values by option name, absent ones undefined. */
export function parseCatalogueArgs(argv: string[], command: string): Record<string, OptionValue | undefined> {
  const options = cliOptions(command);
  const positional = options.find((o) => o.cliPositional);
  let parsed: { values: Record<string, string | boolean | undefined>; positionals: string[] };
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: true,
      options: Object.fromEntries(
        options.filter((o) => !o.cliPositional).map((o) => [flagOf(o), { type: o.type === "boolean" ? "boolean" : "string" } as const]),
      ),
    }) as typeof parsed;
  } catch (err) {
    // node's messages can run over several lines: keep one
    const message = (err as Error).message
      .replace(/\. To specify a positional argument.*$/s, "")
      .replace(/ argument is ambiguous\..*$/s, " needs a value; for a value starting with a dash write it as --option=-1");
    throw new UsageError(`${command}: ${message}`);
  }
  const [first, extra] = parsed.positionals;
  if (extra !== undefined || (first !== undefined && !positional)) {
    throw new UsageError(`${command}: unexpected argument "${extra ?? first}"`);
  }
  const values: Record<string, OptionValue | undefined> = {};
  for (const option of options) {
    const raw = option.cliPositional ? first : parsed.values[flagOf(option)];
    if (raw === undefined) {
      if (option.required) throw new UsageError(`${command}: ${flagText(option)} is required`);
      values[option.name] = undefined;
      continue;
    }
    // a text the command needs cannot be empty (the README's "empty input is an error")
    if (option.required && option.type === "string" && typeof raw === "string" && raw.trim() === "")
      throw new UsageError(
        `${command}: ${flagText(option)} is empty; give it some text, e.g. ${option.cliPositional ? "" : `--${flagOf(option)} `}"The cat sat"`,
      );
    values[option.name] = cliValue(option, raw, command);
  }
  return values;
}

/** One flag's value checked: its type first (a usage mistake), then the catalogue's range. */
function cliValue(option: OptionSpec, raw: string | boolean, command: string): OptionValue {
  if (option.type === "integer" || option.type === "number") {
    const n = Number(raw);
    const kind = option.type === "integer" ? "a whole number" : "a number";
    if (typeof raw !== "string" || raw.trim() === "" || !Number.isFinite(n) || (option.type === "integer" && !Number.isInteger(n))) {
      throw new UsageError(`--${flagOf(option)} must be ${kind}, got "${String(raw)}"`);
    }
  }
  try {
    return checkOption(option, raw);
  } catch (err) {
    // an unknown choice is a mistake in how the command was typed
    if (err instanceof InputError && err.values.kind === "choice") throw new UsageError(`${command}: ${err.message}`);
    throw err;
  }
}

/** `--text TEXT`, `--lang ja|en`, `--json`, `[TOPIC]`. */
function flagText(option: OptionSpec): string {
  const value = option.choices
    ? option.choices.map((c) => c.value).join("|")
    : option.type === "string"
      ? (option.cliValue ?? option.name.toUpperCase())
      : "N";
  if (option.cliPositional) return option.name.toUpperCase();
  return option.type === "boolean" ? `--${flagOf(option)}` : `--${flagOf(option)} ${value}`;
}

/** The usage line of a catalogue command: `predict --text TEXT [--k N] [--json]`. */
export function cliUsage(command: string): string {
  const words = cliOptions(command).map((o) => {
    const text = o.cliPositional && o.choices ? o.name.toUpperCase() : flagText(o);
    return o.required ? text : `[${text}]`;
  });
  return [command, ...words].join(" ");
}

/** The command's help: its description and every flag's, with ranges and defaults (the catalogue's words). */
export function cliHelp(command: string): string {
  const spec = commandSpec(command, "cli");
  const options = cliOptions(command);
  const width = Math.max(0, ...options.map((o) => flagText(o).length));
  return [
    `usage: npm run cli -- ${cliUsage(command)}`,
    "",
    spec.description.en,
    "",
    ...options.map((o) => {
      const choices = o.choices && o.cliPositional ? ` (${o.choices.map((c) => c.value).join(", ")})` : "";
      return `  ${flagText(o).padEnd(width)}  ${optionDescription(o, "en")}${o.required ? " (required)" : ""}${choices}`;
    }),
  ].join("\n");
}
