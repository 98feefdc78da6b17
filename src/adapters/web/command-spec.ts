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
import type { ModelRegistry } from "../../app/model-registry.ts";
import type { TrainingService } from "../../app/training-service.ts";
import type { HeavyQueue } from "../../app/heavy-queue.ts";
import { InputError } from "../../app/prompt.ts";
import type { Store } from "../../store/index.ts";
import { expectedInEnglish, type Lang } from "./texts.ts";

export type Bilingual = { en: string; ja: string };

export interface OptionSpec {
  name: string;
  type: "string" | "integer" | "number" | "boolean";
  description: Bilingual;
  required?: boolean;
  min?: number;
  max?: number;
  maxLength?: number;
  choices?: { value: string; label: Bilingual }[];
}

export interface CommandSpec {
  name: string;
  description: Bilingual;
  options: OptionSpec[];
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

/** A typed line or a request the playground refuses; `values` go into the translated sentence. */
export class RequestError extends InputError {}

/** Splits "/name rest" and checks every option against the command's spec. */
export function parseCommandLine(line: string, specs: readonly CommandSpec[]): { spec: CommandSpec; options: CommandOptions } {
  const match = /^\/(\S*)\s*([\s\S]*)$/.exec(line.trim());
  if (!match) throw new RequestError(`a command starts with "/", got "${line.slice(0, 20)}"`, "not-a-command", { line });
  const name = match[1].toLowerCase();
  const spec = specs.find((s) => s.name === name);
  const commands = specs.map((s) => `/${s.name}`).join(" ");
  if (!spec) throw new RequestError(`there is no /${name}; the commands are ${commands}`, "unknown-command", { name, commands });
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
    if (!first)
      throw new RequestError(`/${spec.name} takes no text; its options are ${optionList(spec)}`, "unexpected-text", {
        command: spec.name,
        options: optionList(spec),
      });
    raw.push([first.name, leading]);
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
    if (name in options) throw new RequestError(`${name} is given twice`, "option-twice", { option: name });
    options[name] = checkOption(option, value);
  }
  for (const option of spec.options) {
    if (option.required && !(option.name in options)) {
      throw new RequestError(`/${spec.name} needs ${option.name}`, "option-missing", { command: spec.name, option: option.name });
    }
  }
  return options;
}

/** A value from the page (text, or already a number/boolean from JSON) checked against its option. */
export function checkOption(option: OptionSpec, value: unknown): OptionValue {
  const shown = String(value).slice(0, 40);
  const fail = (kind: "text" | "choice" | "integer" | "number" | "boolean") => {
    const values = {
      option: option.name,
      value: shown,
      kind,
      min: option.min ?? null,
      max: option.max ?? null,
      choices: option.choices?.map((c) => c.value).join(", ") ?? null,
    };
    return new RequestError(`${option.name} must be ${expectedInEnglish(values)}, got "${shown}"`, "bad-option", values);
  };
  const text = typeof value === "string" ? value.trim() : value;
  switch (option.type) {
    case "string": {
      if (typeof text !== "string") throw fail("text");
      if (option.choices) {
        const choice = option.choices.find((c) => c.value.toLowerCase() === text.toLowerCase());
        if (!choice) throw fail("choice");
        return choice.value;
      }
      if (option.maxLength !== undefined && text.length > option.maxLength) {
        throw new RequestError(`${option.name} is too long: ${text.length} characters, at most ${option.maxLength}`, "too-long", {
          length: text.length,
          limit: option.maxLength,
        });
      }
      return text;
    }
    case "integer":
    case "number": {
      const n = typeof text === "number" ? text : typeof text === "string" && text !== "" ? Number(text) : NaN;
      const outOfRange = (option.min !== undefined && n < option.min) || (option.max !== undefined && n > option.max);
      if (!Number.isFinite(n) || (option.type === "integer" && !Number.isInteger(n)) || outOfRange) throw fail(option.type);
      return n;
    }
    case "boolean": {
      if (typeof text === "boolean") return text;
      const word = String(text).toLowerCase();
      if (["true", "yes", "on", "1"].includes(word)) return true;
      if (["false", "no", "off", "0"].includes(word)) return false;
      throw fail("boolean");
    }
  }
}

function optionList(spec: CommandSpec): string {
  return spec.options.length === 0 ? "(none)" : spec.options.map((o) => `${o.name}:`).join(" ");
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
