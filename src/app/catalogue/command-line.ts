/**
 * A command typed on one line, as the playground and the console take it:
 *
 *   /predict The cat sat k:5 temperature:0.8
 *     → { command: "predict", options: { text: "The cat sat", k: 5, temperature: 0.8 } }
 *
 * Options are written `name:value` (or `name=value`), like Discord shows them; the words before
 * the first option fill the command's first text option, so `/tokens hello` needs no `text:`.
 * A value runs until the next known option name of that command, so it may hold spaces.
 * The command's form (typedCommandSpec) is derived from its catalogue entry for one surface.
 */
import { checkOption } from "./check.ts";
import {
  type Bilingual,
  type CommandSpec as CatalogueCommand,
  commandsOn,
  type OptionSpec,
  type OptionValue,
  optionDescriptions,
  optionsOn,
  subcommandsOn,
  type Surface,
} from "./index.ts";
import { CATALOGUE } from "./commands.ts";
import { inputError } from "../input-messages.ts";

/** A command as a typed line takes it: its options on the surface, descriptions spelled out with range and default. */
export interface TypedCommandSpec {
  name: string;
  description: Bilingual;
  options: OptionSpec[];
}

export type CommandOptions = Record<string, OptionValue>;

/**
 * The typed form of a catalogue command on a surface: its options with their descriptions
 * spelled out; a command with subcommands takes the subcommand as its first option, `action`
 * (`/train status`), followed by the options of every subcommand, each once.
 */
export function typedCommandSpec(spec: CatalogueCommand, surface: Surface): TypedCommandSpec {
  const subcommands = subcommandsOn(spec, surface);
  const own = (options: readonly OptionSpec[]) => options.map((o) => ({ ...o, description: optionDescriptions(o) }));
  if (subcommands.length === 0) return { name: spec.name, description: spec.description, options: own(optionsOn(spec, surface)) };
  const names = subcommands.map((s) => s.name).join(", ");
  const action: OptionSpec = {
    name: "action",
    type: "string",
    description: { en: `What to do: ${names}`, ja: `すること: ${names}` },
    choices: subcommands.map((s) => ({
      value: s.name,
      label: { en: `${s.name}: ${s.description.en}`, ja: `${s.name}: ${s.description.ja}` },
    })),
    ...(spec.defaultSubcommand !== undefined && { default: spec.defaultSubcommand }),
  };
  // each option once (`ref` of /model use, rename and delete), required only by its subcommand's use case
  const flat = new Map<string, OptionSpec>();
  for (const o of subcommands.flatMap((s) => optionsOn(s, surface))) if (!flat.has(o.name)) flat.set(o.name, { ...o, required: false });
  return { name: spec.name, description: spec.description, options: own([action, ...flat.values()]) };
}

/** Every command of a surface in its typed form, in the catalogue's order. */
export function typedCommandSpecs(surface: Surface, catalogue: readonly CatalogueCommand[] = CATALOGUE): TypedCommandSpec[] {
  return commandsOn(surface, catalogue).map((spec) => typedCommandSpec(spec, surface));
}

/** Splits "/name rest" and checks every option against the command's spec. */
export function parseCommandLine(line: string, specs: readonly TypedCommandSpec[]): { spec: TypedCommandSpec; options: CommandOptions } {
  const match = /^\/(\S*)\s*([\s\S]*)$/.exec(line.trim());
  if (!match) throw inputError("not-a-command", { line: line.slice(0, 20) });
  const name = match[1].toLowerCase();
  const spec = specs.find((s) => s.name === name);
  const commands = specs.map((s) => `/${s.name}`).join(" ");
  if (!spec) throw inputError("unknown-command", { name, commands });
  return { spec, options: parseOptions(match[2], spec) };
}

/** `rest` is everything after the command's name. */
export function parseOptions(rest: string, spec: TypedCommandSpec): CommandOptions {
  // 1. find every "name:" of this command's options (at the start or after a space)
  const names = spec.options.map((o) => o.name);
  const marker = new RegExp(`(^|\\s)(${names.map(escapeRegExp).join("|")})[:=]`, "gi");
  const marks = names.length === 0 ? [] : [...rest.matchAll(marker)];
  const raw: [string, string][] = [];
  // 2. the words before the first option: the first text option's value
  const leading = (marks.length > 0 ? rest.slice(0, marks[0].index) : rest).trim();
  if (leading !== "") {
    const first = spec.options.find((o) => o.type === "string");
    if (!first) throw inputError("unexpected-text", { command: spec.name, options: optionList(spec) });
    // a subcommand's name, then its first text (`/model use #2`: action use, ref #2)
    const [word, ...rest] = leading.split(/\s+/);
    const next = spec.options.find((o) => o !== first && o.type === "string" && o.choices === undefined);
    if (first.name === "action" && rest.length > 0 && next && first.choices?.some((c) => c.value === word.toLowerCase()))
      raw.push([first.name, word], [next.name, rest.join(" ")]);
    else raw.push([first.name, leading]);
  }
  marks.forEach((m, i) => {
    const start = m.index! + m[0].length;
    const end = i + 1 < marks.length ? marks[i + 1].index! : rest.length;
    raw.push([m[2].toLowerCase(), rest.slice(start, end).trim()]);
  });
  // 3. each value checked against its option
  const options: CommandOptions = {};
  for (const [name, value] of raw) {
    const option = spec.options.find((o) => o.name === name)!;
    if (name in options) throw inputError("option-twice", { option: name });
    options[name] = checkOption(option, value);
  }
  for (const option of spec.options) {
    if (option.required && !(option.name in options)) {
      throw inputError("option-missing", { command: spec.name, option: option.name });
    }
  }
  return options;
}

function optionList(spec: TypedCommandSpec): string {
  return spec.options.length === 0 ? "(none)" : spec.options.map((o) => `${o.name}:`).join(" ");
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
