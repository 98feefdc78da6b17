/**
 * `chat [--model FILE] [--temperature T] [--tokens N] [--lang ja|en]` (`npm run console`): a
 * prompt that continues what you type, with the model of the playground's store (or --model's
 * file). A line starting with `/` is a command of the console's table (console-commands.ts):
 * the playground's commands by their names, the continuation's settings, /help, /quit.
 *
 *   1. the store's space and its model; the banner and the settings
 *   2. each line: a command (its reply, or its error in the reader's language) or a continuation
 *   3. Ctrl-D, Ctrl-C or /quit: close the store
 */
import { createInterface } from "node:readline/promises";
import { GENERATE_DEFAULTS, type GenerateTextOptions, generateText } from "../../../app/generate-text.ts";
import { inputErrorSentence } from "../../../app/input-messages.ts";
import { modelInfo } from "../../../app/model-info.ts";
import { identityOf, modelName } from "../../../app/model-identity.ts";
import type { ModelHandle } from "../../../app/model-handle.ts";
import { InputError } from "../../../app/prompt.ts";
import { redactGeneration } from "../../../app/redaction.ts";
import type { Lang } from "../../../lang.ts";
import { cliUsage, parseCatalogueArgs } from "../catalogue-args.ts";
import { type ConsoleSession, findConsoleCommand } from "../console-commands.ts";
import { CONSOLE_SENTENCES } from "../console-sentences.ts";
import { consoleEnvironment, openConsoleSpace } from "../console-space.ts";
import { langOption } from "../lang.ts";
import { modelFromOption } from "../model-option.ts";

export const usage = cliUsage("chat");

export async function run(argv: string[]): Promise<void> {
  // 1. the store's space (or --model's file), the language, the settings
  const v = parseCatalogueArgs(argv, "chat");
  const lang = langOption(v.lang as string | undefined);
  const fixed = v.model === undefined ? undefined : await modelFromOption(v);
  const space = await openConsoleSpace(consoleEnvironment(), fixed);
  const settings: GenerateTextOptions = {
    ...GENERATE_DEFAULTS,
    temperature: (v.temperature as number | undefined) ?? GENERATE_DEFAULTS.temperature,
    maxTokens: (v.tokens as number | undefined) ?? GENERATE_DEFAULTS.maxTokens,
  };
  const out = process.stdout;
  const session: ConsoleSession = { space, lang, settings, write: (t) => out.write(t) };
  const s = CONSOLE_SENTENCES[lang];
  try {
    out.write(`${banner(await space.handle(), lang, space.location)}\n${s.settings(settings)}\n${s.hint}\n`);
    await readLines(session);
  } finally {
    await space.close();
  }
}

/** "minigpt console — your model #2: baby model, 1,320,064 parameters, … (store: data/bot.db)" */
function banner(handle: ModelHandle, lang: Lang, store: string): string {
  const info = modelInfo(handle);
  const s = CONSOLE_SENTENCES[lang];
  const details = s.modelDetails(
    info.preset ?? "custom",
    info.params.total.toLocaleString("en-US"),
    info.tokenizer.kind,
    info.tokenizer.vocabSize,
    info.valLoss?.toFixed(3) ?? "?",
  );
  return s.banner(modelName(identityOf(handle), lang), details, store);
}

// 2. each line, until Ctrl-D, Ctrl-C or /quit
async function readLines(session: ConsoleSession): Promise<void> {
  const out = process.stdout;
  const color = out.isTTY === true;
  const s = CONSOLE_SENTENCES[session.lang];
  const rl = createInterface({ input: process.stdin, output: out, terminal: process.stdin.isTTY, prompt: "> " });
  rl.on("SIGINT", () => rl.close());
  try {
    rl.prompt();
    // the line iterator (not question()) keeps every line when input is piped in
    for await (const line of rl) {
      const text = line.trimEnd();
      try {
        if (text.startsWith("/")) {
          const found = findConsoleCommand(text);
          if ("unknown" in found) {
            if (found.unknown === "/exit") break;
            out.write(`${s.unknownCommand(found.unknown)}\n`);
          } else if ((await found.command.run(found.rest, session)) === "quit") break;
        } else if (text.trim() !== "") {
          const handle = await session.space.handle();
          // never hand a stored text back word for word (the playground's texts, as on the page)
          const r = redactGeneration(handle, generateText(handle, text, session.settings), await session.space.redactor());
          out.write(`${text}${color ? "\x1b[36m" : ""}${r.text}${color ? "\x1b[0m" : ""}\n`);
          if (r.unknown > 0) out.write(`${s.unknownCharacters(r.unknown)}\n`);
          session.settings.seed += 1;
        }
      } catch (err) {
        const message = err instanceof InputError ? inputErrorSentence(session.lang, err) : (err as Error).message;
        out.write(`${s.error}: ${message}\n`);
      }
      rl.prompt();
    }
  } finally {
    rl.close();
  }
}
