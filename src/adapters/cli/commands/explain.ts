/** `explain [TOPIC] [--lang ja|en] [--text TEXT] [--out FILE.png] [--model FILE]`: the explanatory mode in the console. */
import { parseArgs } from "node:util";
import { explainTopic, explanationMessage, listTopics } from "../../../app/explain/index.ts";
import { isTopicName, TOPICS } from "../../../explain/topics.ts";
import { stringOption, UsageError } from "../args.ts";
import { langOption } from "../lang.ts";
import { modelFromOption } from "../model-option.ts";
import { requirePngPath, writePicture } from "../picture-file.ts";

export const usage = `explain [TOPIC] [--lang ja|en] [--text TEXT] [--out FILE.png] [--model FILE]   (topics: ${TOPICS.join(", ")})`;

export async function run(argv: string[]): Promise<void> {
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: { lang: { type: "string" }, text: { type: "string" }, out: { type: "string" }, model: { type: "string" } },
    });
  } catch (err) {
    throw new UsageError(`explain: ${(err as Error).message.split("\n")[0]}`);
  }
  const v = parsed.values as Record<string, string | undefined>;
  const [topic, extra] = parsed.positionals;
  if (extra !== undefined) throw new UsageError(`explain: unexpected argument "${extra}"`);
  const lang = langOption(stringOption(v, "lang"));
  if (topic === undefined) {
    process.stdout.write(`${listTopics(lang).text}\n`);
    return;
  }
  if (!isTopicName(topic)) throw new UsageError(`explain: unknown topic "${topic}"; topics: ${TOPICS.join(", ")}`);
  const out = v.out === undefined ? undefined : requirePngPath(v.out, "explain");
  const handle = await modelFromOption(stringOption(v, "model"));
  const explanation = await explainTopic(handle, topic, { lang, text: stringOption(v, "text") });
  process.stdout.write(`${explanation.title}\n\n${explanationMessage(explanation)}\n`);
  explanation.pictures.forEach((picture, i) => {
    if (!out) return;
    // the first picture goes to FILE.png, further ones to FILE-2.png, FILE-3.png …
    writePicture(i === 0 ? out : out.replace(/\.png$/i, `-${i + 1}.png`), picture.png);
  });
}
