/**
 * Looking commands up in the catalogue, and what every surface derives from an entry: the
 * options a surface shows, and an option's description with its range and default.
 */
import { CATALOGUE } from "./commands.ts";
import type { Bilingual, CommandSpec, Lang, OptionSpec, OptionValue, SubcommandSpec, Surface } from "./types.ts";

export * from "./types.ts";
export { CATALOGUE } from "./commands.ts";

/** The commands a surface offers, in the catalogue's order. */
export function commandsOn(surface: Surface, catalogue: readonly CommandSpec[] = CATALOGUE): CommandSpec[] {
  return catalogue.filter((c) => c.on.includes(surface));
}

/** A command's name on a surface: the console may call it otherwise (`attribute` for /why). */
export function surfaceName(spec: CommandSpec, surface: Surface): string {
  return surface === "cli" ? (spec.cliName ?? spec.name) : spec.name;
}

/** A command of a surface by name; an error naming the known ones when there is none. */
export function commandSpec(name: string, surface: Surface, catalogue: readonly CommandSpec[] = CATALOGUE): CommandSpec {
  const spec = catalogue.find((c) => surfaceName(c, surface) === name && c.on.includes(surface));
  if (!spec) {
    const known = commandsOn(surface, catalogue).map((c) => surfaceName(c, surface));
    throw new Error(`the catalogue has no ${surface} command "${name}"; it has ${known.join(", ")}`);
  }
  return spec;
}

/** The options of a command (or of one of its subcommands) that a surface shows. */
export function optionsOn(spec: CommandSpec | SubcommandSpec, surface: Surface): OptionSpec[] {
  return (spec.options ?? []).filter((o) => o.on === undefined || o.on.includes(surface));
}

/** The subcommands a surface shows. */
export function subcommandsOn(spec: CommandSpec, surface: Surface): SubcommandSpec[] {
  return (spec.subcommands ?? []).filter((s) => s.on === undefined || s.on.includes(surface));
}

/** One option of a command (or of `command subcommand`), for checking a value against it. */
export function optionSpec(command: string, name: string, catalogue: readonly CommandSpec[] = CATALOGUE): OptionSpec {
  const [commandName, subName] = command.split(" ");
  const spec = catalogue.find((c) => c.name === commandName && (subName === undefined || c.subcommands !== undefined));
  const owner = subName === undefined ? spec : spec?.subcommands?.find((s) => s.name === subName);
  const option = owner?.options?.find((o) => o.name === name);
  if (!option) throw new Error(`the catalogue's /${command} has no option "${name}"`);
  return option;
}

/** The default values of a command's options that have one: `{ k: 10, temperature: 1 }`. */
export function defaultsOf(command: string, catalogue: readonly CommandSpec[] = CATALOGUE): Record<string, OptionValue> {
  const [commandName, subName] = command.split(" ");
  const spec = catalogue.find((c) => c.name === commandName);
  const owner = subName === undefined ? spec : spec?.subcommands?.find((s) => s.name === subName);
  if (!owner) throw new Error(`the catalogue has no command /${command}`);
  return Object.fromEntries((owner.options ?? []).filter((o) => o.default !== undefined).map((o) => [o.name, o.default!]));
}

/** The default of one option (an error when it has none: a caller relies on it). */
export function defaultOf<T extends OptionValue>(command: string, name: string): T {
  const option = optionSpec(command, name);
  if (option.default === undefined) throw new Error(`/${command}'s option ${name} has no default`);
  return option.default as T;
}

/**
 * An option's description as every surface shows it: the catalogue's words, then its range and
 * default in brackets when it has them: "How many candidates to show (1–9, default 3)".
 */
export function optionDescription(option: OptionSpec, lang: Lang): string {
  const parts: string[] = [];
  if (option.min !== undefined && option.max !== undefined)
    parts.push(lang === "ja" ? `${option.min}〜${option.max}` : `${option.min}–${option.max}`);
  if (option.default !== undefined) parts.push(lang === "ja" ? `既定 ${option.default}` : `default ${option.default}`);
  if (parts.length === 0) return option.description[lang];
  return lang === "ja" ? `${option.description.ja}（${parts.join("、")}）` : `${option.description.en} (${parts.join(", ")})`;
}

/** Both languages of optionDescription. */
export function optionDescriptions(option: OptionSpec): Bilingual {
  return { en: optionDescription(option, "en"), ja: optionDescription(option, "ja") };
}
