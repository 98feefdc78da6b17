/**
 * The shape of the command catalogue: every command once, with its options, ranges and
 * bilingual names. The Discord slash-command JSON, the playground's command list, the console's
 * options and `--help`, and the checking of every value are all derived from it.
 */
import type { Lang } from "../../lang.ts";

export type { Lang };

/** A text in both languages. */
export type Bilingual = Record<Lang, string>;

/** Where a command or option exists. */
export type Surface = "discord" | "web" | "cli";
export const SURFACES: readonly Surface[] = ["discord", "web", "cli"];

export type OptionType = "string" | "integer" | "number" | "boolean";
export type OptionValue = string | number | boolean;

export interface OptionChoice {
  value: string;
  label: Bilingual;
}

export interface OptionSpec {
  /** as Discord shows it (lower case, `_` between words); the console writes `--top-k` */
  name: string;
  type: OptionType;
  /** the name in Japanese (Discord shows it to Japanese users) */
  localName?: string;
  description: Bilingual;
  required?: boolean;
  /** numbers: the smallest and largest value allowed (inclusive) */
  min?: number;
  max?: number;
  /** strings: at most this many characters */
  maxLength?: number;
  choices?: readonly OptionChoice[];
  /** the value used when the option is absent (shown in the description) */
  default?: OptionValue;
  /** only on these surfaces (default: every surface of its command) */
  on?: readonly Surface[];
  /** the console's flag when it is not the name in kebab case (`--text` for /trace's prompt) */
  cliFlag?: string;
  /** the console's word for the value in `--help` (`FILE.png`; default: the name in capitals) */
  cliValue?: string;
  /** the console takes it as the first word without a flag (`explain TOPIC`) */
  cliPositional?: boolean;
  /** Discord asks the bot for suggestions as the user types (`/model use ref:`); never with `choices` */
  autocomplete?: boolean;
}

export interface SubcommandSpec {
  name: string;
  localName?: string;
  description: Bilingual;
  options: readonly OptionSpec[];
  /** only on these surfaces (default: every surface of its command) */
  on?: readonly Surface[];
  /** only server managers may run this subcommand (Discord: Manage Server), checked by the dispatcher */
  adminOnly?: boolean;
}

export interface CommandSpec {
  name: string;
  localName?: string;
  description: Bilingual;
  on: readonly Surface[];
  /** the console's name for it when it is not the name (`attribute` for /why) */
  cliName?: string;
  options?: readonly OptionSpec[];
  /** a command with subcommands (Discord: `/train start`; the playground: `/train start` too) */
  subcommands?: readonly SubcommandSpec[];
  /** the subcommand run when none is named (the playground and the console) */
  defaultSubcommand?: string;
  /** only server managers may use it (Discord: Manage Server) */
  adminOnly?: boolean;
  /** only inside a server, never in direct messages */
  guildOnly?: boolean;
}
