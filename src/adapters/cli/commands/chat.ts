/**
 * `chat [--model FILE] [--temperature T] [--tokens N]`: a prompt that continues what you type.
 * Inside: /predict TEXT, /temperature T, /tokens N, /seed S, /model list|use REF, /help, /quit (or Ctrl-D).
 */
import { createInterface } from "node:readline/promises";
import { checkGenerateOptions, generateText, GENERATE_DEFAULTS, type GenerateTextOptions } from "../../../app/generate-text.ts";
import { predictNext } from "../../../app/predict.ts";
import { modelInfo } from "../../../app/model-info.ts";
import { visibleToken } from "../../../render/text.ts";
import { cliUsage, parseCatalogueArgs } from "../catalogue-args.ts";
import { consoleModelLine } from "../console-models.ts";
import { langOption } from "../lang.ts";
import { modelFromOption } from "../model-option.ts";

export const usage = cliUsage("chat");

const HELP = [
  "Type any text and the model continues it. Commands:",
  "  /predict TEXT      the most likely next tokens after TEXT",
  "  /temperature T     0 = always the most likely token; 1 = the model's own odds",
  "  /tokens N          how many tokens to write at most",
  "  /seed S            the random seed of the next reply",
  "  /model list, /model use REF   the playground's models; answer with one of them",
  "  /help, /quit       (Ctrl-D quits too)",
].join("\n");

export async function run(argv: string[]): Promise<void> {
  const v = parseCatalogueArgs(argv, "chat");
  let handle = await modelFromOption(v);
  const settings: GenerateTextOptions = {
    ...GENERATE_DEFAULTS,
    temperature: (v.temperature as number | undefined) ?? GENERATE_DEFAULTS.temperature,
    maxTokens: (v.tokens as number | undefined) ?? GENERATE_DEFAULTS.maxTokens,
  };
  const info = modelInfo(handle);
  const out = process.stdout;
  const color = out.isTTY === true;
  out.write(
    `minigpt console — ${info.name}: ${info.preset ?? "custom"} model, ${info.params.total.toLocaleString("en-US")} parameters, ` +
      `${info.tokenizer.kind} tokenizer (${info.tokenizer.vocabSize} tokens), val loss ${info.valLoss?.toFixed(3) ?? "?"}\n`,
  );
  const describe = () =>
    `settings: temperature ${settings.temperature}, top-k ${settings.topK}, top-p ${settings.topP}, up to ${settings.maxTokens} tokens, seed ${settings.seed}`;
  out.write(`${describe()}\n${HELP}\n`);

  const rl = createInterface({ input: process.stdin, output: out, terminal: process.stdin.isTTY, prompt: "> " });
  rl.on("SIGINT", () => rl.close());
  try {
    rl.prompt();
    // the line iterator (not question()) keeps every line when input is piped in
    for await (const line of rl) {
      const text = line.trimEnd();
      if (text === "/quit" || text === "/exit") break;
      try {
        const modelLine = await consoleModelLine(text, handle, langOption(undefined));
        if (modelLine) {
          out.write(`${modelLine.out.trimEnd()}\n`);
          handle = modelLine.handle ?? handle;
        } else if (text === "/help") out.write(`${HELP}\n`);
        else if (text.startsWith("/predict")) {
          const r = predictNext(handle, text.slice("/predict".length).trimStart(), { k: 8 });
          out.write(`${r.candidates.map((c) => `  ${visibleToken(c.token).padEnd(10)} ${(c.prob * 100).toFixed(1)}%`).join("\n")}\n`);
        } else if (/^\/(temperature|tokens|seed)\b/.test(text)) {
          const [name, value] = text.slice(1).split(/\s+/);
          const n = Number(value);
          if (value === undefined || !Number.isFinite(n)) out.write(`/${name} needs a number\n`);
          else {
            const next = { ...settings, [name === "tokens" ? "maxTokens" : name]: n };
            checkGenerateOptions(next);
            Object.assign(settings, next);
            out.write(`${describe()}\n`);
          }
        } else if (text.startsWith("/")) out.write(`unknown command ${text.split(/\s/)[0]}: try /help\n`);
        else if (text.trim() !== "") {
          const r = generateText(handle, text, settings);
          out.write(`${text}${color ? "\x1b[36m" : ""}${r.text}${color ? "\x1b[0m" : ""}\n`);
          if (r.unknown > 0) out.write(`(${r.unknown} character(s) were unknown to this model)\n`);
          settings.seed += 1;
        }
      } catch (err) {
        out.write(`error: ${(err as Error).message}\n`);
      }
      rl.prompt();
    }
  } finally {
    rl.close();
  }
}
