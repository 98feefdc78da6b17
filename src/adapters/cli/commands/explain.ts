/** `explain [TOPIC] [--lang ja|en] [--text TEXT] [--out FILE.png] [--model FILE]`: the explanatory mode in the console. */
import { explainTopic, explanationMessage, listTopics } from "../../../app/explain/index.ts";
import type { TopicName } from "../../../explain/topics.ts";
import { cliUsage, parseCatalogueArgs } from "../catalogue-args.ts";
import { langOption } from "../lang.ts";
import { modelFromOption } from "../model-option.ts";
import { requirePngPath, writePicture } from "../picture-file.ts";

export const usage = cliUsage("explain");

export async function run(argv: string[]): Promise<void> {
  const v = parseCatalogueArgs(argv, "explain");
  const topic = v.topic as TopicName | undefined;
  const lang = langOption(v.lang as string | undefined);
  if (topic === undefined) {
    process.stdout.write(`${listTopics(lang).text}\n`);
    return;
  }
  const out = v.out === undefined ? undefined : requirePngPath(v.out as string, "explain");
  const handle = await modelFromOption(v);
  const explanation = await explainTopic(handle, topic, { lang, text: v.text as string | undefined });
  process.stdout.write(`${explanation.title}\n\n${explanationMessage(explanation)}\n`);
  explanation.pictures.forEach((picture, i) => {
    if (!out) return;
    // the first picture goes to FILE.png, further ones to FILE-2.png, FILE-3.png …
    writePicture(i === 0 ? out : out.replace(/\.png$/i, `-${i + 1}.png`), picture.png);
  });
}
