/**
 * The playground's slash commands: what each one takes (for autocompletion in the page and for
 * checking on the server). How a typed line becomes its options is shared with the console:
 * src/app/catalogue/command-line.ts (`/predict The cat sat k:5` → { text: "The cat sat", k: 5 }).
 */
import { checkOption } from "../../app/catalogue/check.ts";
import {
  type Bilingual,
  CATALOGUE,
  type CommandSpec as CatalogueCommand,
  commandSpec,
  commandsOn,
  type OptionSpec as CatalogueOption,
} from "../../app/catalogue/index.ts";
import { parseCommandLine, parseOptions, typedCommandSpec } from "../../app/catalogue/command-line.ts";
import type { HeavyQueue } from "../../app/heavy-queue.ts";
import type { ModelRegistry } from "../../app/model-registry.ts";
import type { TrainingService } from "../../app/training-service.ts";
import type { AsyncStore } from "../../store/async-store.ts";
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

/** The playground's form of a catalogue command (src/app/catalogue/command-line.ts, for the web surface). */
export function webCommandSpec(spec: CatalogueCommand): CommandSpec {
  return typedCommandSpec(spec, "web");
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
/** A part of a reply's body as the page lays it out: text with the page's markup, or a table of such cells. */
export type WebBlock = { text: string } | { table: string[][] };

export interface WebReply {
  /** the whole reply as text (a table's rows as lines of their cells) */
  text: string;
  /** the same reply in order, its tables as rows of cells, for the page to show as tables */
  blocks?: WebBlock[];
  /** fine: drawn with small labels, shown at its own size (src/app/reply.ts Picture) */
  images?: { name: string; png: Uint8Array; fine?: boolean }[];
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
  store: AsyncStore;
  training: TrainingService;
  /** the store's space of the playground (the bot's spaces are guild ids) */
  space: string;
  heavy: HeavyQueue;
}

export interface WebCommand {
  spec: CommandSpec;
  run(options: CommandOptions, ctx: WebContext): Promise<WebReply>;
}

export { checkOption, parseCommandLine, parseOptions };
