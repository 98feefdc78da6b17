/**
 * The console's commands, one table: `/predict The cat k:5`, `/tokens 今日は`, `/explain
 * topic:attention` … are the playground's commands, with the same names and options, typed the
 * same way (src/app/catalogue/command-line.ts) and answered by the same Reply use cases; the
 * console adds the settings of its continuation (`/length N`, `/temperature T`, `/seed S`, the
 * catalogue's /generate options), `/help` and `/quit`. Another file adds its commands by
 * putting them in CONSOLE_COMMANDS (e.g. console-models.ts: `/model`).
 */
import { type CommandOptions, parseOptions, type TypedCommandSpec, typedCommandSpecs } from "../../app/catalogue/command-line.ts";
import { checkOption } from "../../app/catalogue/check.ts";
import { type Bilingual, CATALOGUE, optionDescription, optionSpec, surfaceName } from "../../app/catalogue/index.ts";
import type { GenerateTextOptions } from "../../app/generate-text.ts";
import { explainReply } from "../../app/replies/explain.ts";
import { generateReply, traceReply } from "../../app/replies/generate.ts";
import { ablateReply, lensReply, whyReply } from "../../app/replies/look.ts";
import { neuronsReply } from "../../app/replies/neurons.ts";
import type { ReplyUseCase } from "../../app/replies/options.ts";
import { predictReply } from "../../app/replies/predict.ts";
import { sourcesReply } from "../../app/replies/sources.ts";
import { tokensReply } from "../../app/replies/tokens.ts";
import { attentionReply } from "../../app/replies/attention.ts";
import { runNow } from "../../app/reply.ts";
import type { Lang } from "../../lang.ts";
import type { ModelHandle } from "../../app/model-handle.ts";
import { visibleToken } from "../../render/text.ts";
import { tokenPieces } from "../../tokenizer/pieces.ts";
import type { ConsoleSpace } from "./console-space.ts";
import { CONSOLE_SENTENCES } from "./console-sentences.ts";
import { modelCommand } from "./console-models.ts";
import { terminalText } from "./reply-format.ts";

/** What a command may use and change: the store's space, the reader's language, the continuation's settings, the terminal. */
export interface ConsoleSession {
  space: ConsoleSpace;
  lang: Lang;
  settings: GenerateTextOptions;
  write(text: string): void;
}

export interface ConsoleCommand {
  /** typed as `/name` */
  name: string;
  /** how /help shows it: `/length N` */
  usage: string;
  description: Bilingual;
  /** `rest`: everything after the name; "quit" ends the console */
  run(rest: string, session: ConsoleSession): Promise<"quit" | undefined>;
}

/** The playground's Reply commands the console answers, by catalogue name. */
const REPLY_USE_CASES: Record<string, ReplyUseCase> = {
  predict: predictReply,
  attention: attentionReply,
  lens: lensReply,
  why: whyReply,
  neurons: neuronsReply,
  ablate: ablateReply,
  sources: sourcesReply,
  generate: generateReply,
  trace: traceReply,
  tokens: tokensReply,
  explain: explainReply,
};

/**
 * What a picture shows that the terminal must say in words, by command: /tokens' picture is the
 * cut itself, so the console lists the tokens (whitespace made visible) and their ids.
 */
const PICTURE_IN_WORDS: Record<string, (handle: ModelHandle, options: CommandOptions) => string> = {
  tokens: (handle, options) => {
    const { ids } = handle.tokenizer.encode(String(options.text));
    // the picture's labels: a character cut across tokens shows as its bytes (<e6>…)
    const labels = tokenPieces(handle.tokenizer, ids).map((p) => visibleToken(p.label));
    return `  ${labels.join(" | ")}\n  ids: ${ids.join(" ")}\n`;
  },
};

/** A playground command in the console: its options parsed as the page parses them, its Reply as terminal text. */
function replyCommand(spec: TypedCommandSpec, present: ReplyUseCase): ConsoleCommand {
  const first = spec.options.find((o) => o.type === "string");
  return {
    name: spec.name,
    usage: `/${spec.name}${first ? ` ${first.name.toUpperCase()}` : ""}${spec.options.length > (first ? 1 : 0) ? " [option:value …]" : ""}`,
    description: spec.description,
    async run(rest, session) {
      const options: CommandOptions = parseOptions(rest, spec);
      const { space, lang } = session;
      const handle = await space.handle();
      const rc = { handle, lang, heavy: runNow, redactor: await space.redactor(), sources: space.sources() };
      const reply = await present(rc, options)();
      const { out, notes } = terminalText(reply);
      session.write(out + (PICTURE_IN_WORDS[spec.name]?.(handle, options) ?? "") + notes);
      if (reply.pictures.length > 0) {
        const cli = CATALOGUE.find((c) => c.name === spec.name);
        session.write(`${CONSOLE_SENTENCES[lang].pictures(reply.pictures.length, cli ? surfaceName(cli, "cli") : spec.name)}\n`);
      }
      return undefined;
    },
  };
}

/** A setting of the continuation, checked against the catalogue's /generate option it stands for. */
function settingCommand(name: string, option: string, key: "maxTokens" | "temperature" | "seed"): ConsoleCommand {
  // the catalogue's option under the console's name, so its errors say "/length", not "tokens"
  const spec = { ...optionSpec("generate", option), name };
  return {
    name,
    usage: `/${name} ${spec.type === "number" ? "T" : "N"}`,
    description: { en: optionDescription(spec, "en"), ja: optionDescription(spec, "ja") },
    async run(rest, session) {
      // the catalogue's range and the sentence every surface says
      session.settings[key] = checkOption(spec, rest.trim()) as number;
      session.write(`${CONSOLE_SENTENCES[session.lang].settings(session.settings)}\n`);
      return undefined;
    },
  };
}

const help: ConsoleCommand = {
  name: "help",
  usage: "/help",
  description: { en: "This list", ja: "この一覧" },
  async run(_rest, session) {
    session.write(`${helpText(session.lang)}\n`);
    return undefined;
  },
};

const quit: ConsoleCommand = {
  name: "quit",
  usage: "/quit",
  description: { en: "Leave the console (Ctrl-D too)", ja: "コンソールを終了（Ctrl-D でも）" },
  async run() {
    return "quit";
  },
};

/** The settings of the continuation, first in /help. */
export const SETTING_COMMANDS: ConsoleCommand[] = [
  settingCommand("length", "tokens", "maxTokens"),
  settingCommand("temperature", "temperature", "temperature"),
  settingCommand("seed", "seed", "seed"),
];

/** Every console command: the settings, the playground's commands in the catalogue's order, /help and /quit. */
export const CONSOLE_COMMANDS: ConsoleCommand[] = [
  ...SETTING_COMMANDS,
  ...typedCommandSpecs("web")
    .filter((spec) => spec.name in REPLY_USE_CASES)
    .map((spec) => replyCommand(spec, REPLY_USE_CASES[spec.name])),
  modelCommand,
  help,
  quit,
];

/** /help: the settings, then the commands, each with its catalogue description in the reader's language. */
export function helpText(lang: Lang): string {
  const s = CONSOLE_SENTENCES[lang];
  const width = Math.max(...CONSOLE_COMMANDS.map((c) => c.usage.length));
  const line = (c: ConsoleCommand) => `  ${c.usage.padEnd(width)}  ${c.description[lang]}`;
  const settings = new Set(SETTING_COMMANDS);
  return [
    s.helpIntro,
    s.helpSettings,
    ...SETTING_COMMANDS.map(line),
    s.helpCommands,
    ...CONSOLE_COMMANDS.filter((c) => !settings.has(c)).map(line),
  ].join("\n");
}

/** The command a line names (`/predict …` → predict and "…"), or undefined when it names none. */
export function findConsoleCommand(line: string): { command: ConsoleCommand; rest: string } | { unknown: string } {
  const match = /^\/(\S*)\s*([\s\S]*)$/.exec(line.trim())!;
  const name = match[1].toLowerCase();
  const command = CONSOLE_COMMANDS.find((c) => c.name === name);
  return command ? { command, rest: match[2] } : { unknown: `/${match[1]}` };
}
