/**
 * The playground's slash commands: what each one takes (for autocompletion in the page and for
 * checking on the server) and how a typed line becomes its options.
 *
 *   /predict The cat sat k:5 temperature:0.8
 *     → { command: "predict", options: { text: "The cat sat", k: 5, temperature: 0.8 } }
 *
 * Options are written `name:value` (or `name=value`), like Discord shows them; the words before
 * the first option fill the command's first text option, so `/tokens hello` needs no `text:`.
 * A value runs until the next known option name of that command, so it may hold spaces.
 */
import { checkOption } from "../../app/catalogue/check.ts";
import {
  type Bilingual,
  CATALOGUE,
  type CommandSpec as CatalogueCommand,
  commandSpec,
  commandsOn,
  type OptionSpec as CatalogueOption,
  optionDescriptions,
  optionsOn,
  subcommandsOn,
} from "../../app/catalogue/index.ts";
import type { HeavyQueue } from "../../app/heavy-queue.ts";
import { inputError } from "../../app/input-messages.ts";
import type { ModelRegistry } from "../../app/model-registry.ts";
import type { TrainingService } from "../../app/training-service.ts";
import type { Store } from "../../store/index.ts";
import type { Lang } from "./texts.ts";

export type { Bilingual };

/** An option as the page shows it: the catalogue's, with its description already carrying the range and default. */
export type OptionSpec = CatalogueOption;

/** A command as `GET /api/commands` serves it (derived from the catalogue by webCommandSpec). */
export interface CommandSpec {
  name: string;
  description: Bilingual;
  options: OptionSpec[];
}

/**
 * The playground's form of a catalogue command: its web options with their descriptions
 * spelled out; a command with subcommands takes the subcommand as its first option, `action`
 * (`/train status`), followed by the options of every subcommand.
 */
export function webCommandSpec(spec: CatalogueCommand): CommandSpec {
  const subcommands = subcommandsOn(spec, "web");
  const own = (options: readonly CatalogueOption[]) => options.map((o) => ({ ...o, description: optionDescriptions(o) }));
  if (subcommands.length === 0) return { name: spec.name, description: spec.description, options: own(optionsOn(spec, "web")) };
  const names = subcommands.map((s) => s.name).join(", ");
  const action: CatalogueOption = {
    name: "action",
    type: "string",
    description: { en: `What to do: ${names}`, ja: `すること: ${names}` },
    choices: subcommands.map((s) => ({
      value: s.name,
      label: { en: `${s.name}: ${s.description.en}`, ja: `${s.name}: ${s.description.ja}` },
    })),
    ...(spec.defaultSubcommand !== undefined && { default: spec.defaultSubcommand }),
  };
  // each option once (`ref` of use, rename and delete), required only by its subcommand's use case
  const flat = new Map<string, CatalogueOption>();
  for (const o of subcommands.flatMap((s) => optionsOn(s, "web"))) if (!flat.has(o.name)) flat.set(o.name, { ...o, required: false });
  return { name: spec.name, description: spec.description, options: own([action, ...flat.values()]) };
}

/** Every playground command, in the catalogue's order. */
export function webCommandSpecs(catalogue: readonly CatalogueCommand[] = CATALOGUE): CommandSpec[] {
  return commandsOn("web", catalogue).map(webCommandSpec);
}

/** One playground command's spec by name. */
export function webSpec(name: string): CommandSpec {
  return webCommandSpec(commandSpec(name, "web"));
}

export type OptionValue = string | number | boolean;
export type CommandOptions = Record<string, OptionValue>;

/** What a command answers: text (with **bold** marks, shown as text, never as HTML) and pictures. */
export interface WebReply {
  text: string;
  images?: { name: string; png: Uint8Array }[];
  /** ask the page to show the training panel (text to paste or upload, preset, minutes) */
  panel?: "train";
  /** a training started or is running: the page follows its live events */
  training?: boolean;
  /** the playground's models changed (one chosen, renamed, deleted): the page's picker reads them again */
  models?: boolean;
}

/** What every command may use: the same use cases and store the bot has, for the "local" space. */
export interface WebContext {
  lang: Lang;
  registry: ModelRegistry;
  store: Store;
  training: TrainingService;
  /** the store's space of the playground (the bot's spaces are guild ids) */
  space: string;
  heavy: HeavyQueue;
}

export interface WebCommand {
  spec: CommandSpec;
  run(options: CommandOptions, ctx: WebContext): Promise<WebReply>;
}

/** Splits "/name rest" and checks every option against the command's spec. */
export function parseCommandLine(line: string, specs: readonly CommandSpec[]): { spec: CommandSpec; options: CommandOptions } {
  const match = /^\/(\S*)\s*([\s\S]*)$/.exec(line.trim());
  if (!match) throw inputError("not-a-command", { line: line.slice(0, 20) });
  const name = match[1].toLowerCase();
  const spec = specs.find((s) => s.name === name);
  const commands = specs.map((s) => `/${s.name}`).join(" ");
  if (!spec) throw inputError("unknown-command", { name, commands });
  return { spec, options: parseOptions(match[2], spec) };
}

/** `rest` is everything after the command's name. */
export function parseOptions(rest: string, spec: CommandSpec): CommandOptions {
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

export { checkOption };

function optionList(spec: CommandSpec): string {
  return spec.options.length === 0 ? "(none)" : spec.options.map((o) => `${o.name}:`).join(" ");
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
