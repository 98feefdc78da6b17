/** `generate --prompt TEXT [--tokens --temperature --top-k --top-p --seed --model FILE]` */
import { generateText } from "../../../app/generate-text.ts";
import { numberOption, parseOptions, stringOption } from "../args.ts";
import { modelFromOption } from "../model-option.ts";

export const usage = "generate --prompt TEXT [--tokens N] [--temperature T] [--top-k K] [--top-p P] [--seed S] [--model FILE]";

export async function run(argv: string[]): Promise<void> {
  const v = parseOptions(
    argv,
    {
      prompt: { type: "string" },
      tokens: { type: "string" },
      temperature: { type: "string" },
      "top-k": { type: "string" },
      "top-p": { type: "string" },
      seed: { type: "string" },
      model: { type: "string" },
    },
    "generate",
  );
  const handle = await modelFromOption(stringOption(v, "model"));
  const result = generateText(handle, stringOption(v, "prompt") ?? "", {
    maxTokens: numberOption(v, "tokens", { integer: true }),
    temperature: numberOption(v, "temperature"),
    topK: numberOption(v, "top-k", { integer: true }),
    topP: numberOption(v, "top-p"),
    seed: numberOption(v, "seed", { integer: true }),
  });
  process.stdout.write(`${result.prompt}${result.text}\n`);
  if (result.unknown > 0) process.stderr.write(`(${result.unknown} character(s) of the prompt are unknown to this model)\n`);
}
