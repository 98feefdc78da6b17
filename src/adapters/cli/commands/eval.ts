/** `eval --text-file FILE [--model FILE] [--json]` (flags: the catalogue's): tokens, bytes, loss per token, bits per byte. */
import { readFileSync } from "node:fs";
import { evaluateText } from "../../../app/evaluate-text.ts";
import { UsageError } from "../usage-error.ts";
import { cliUsage, parseCatalogueArgs } from "../catalogue-args.ts";
import { modelFromOption } from "../model-option.ts";

export const usage = cliUsage("eval");

export async function run(argv: string[]): Promise<void> {
  const v = parseCatalogueArgs(argv, "eval");
  const file = v.text_file as string;
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new UsageError(`text file not found: ${file}`);
  }
  if (text.length === 0) throw new UsageError(`the text file ${file} is empty`);
  const handle = await modelFromOption(v);
  const e = evaluateText(handle, text);
  if (v.json === true) {
    process.stdout.write(`${JSON.stringify(e)}\n`);
    return;
  }
  const lines = [
    `model:          ${handle.name} (${handle.tokenizer.kind}, ${handle.tokenizer.vocabSize} tokens)`,
    `text:           ${file}`,
    `tokens:         ${e.tokens}`,
    `bytes:          ${e.bytes}`,
    `loss per token: ${e.lossPerToken.toFixed(4)} nats`,
    `bits per byte:  ${e.bitsPerByte.toFixed(4)}`,
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
}
