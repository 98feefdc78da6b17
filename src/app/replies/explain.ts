/**
 * /explain as a Reply: without a topic, the learning path; with one, the explanation told with
 * the live model's numbers and its pictures. The explanation keeps its pieces — the model line,
 * the title, each paragraph, the table's lines as code — so a surface with a size limit splits
 * it between them (Discord: src/adapters/discord/reply-format.ts) and the others show it whole.
 * What the model writes in an explanation goes through the redaction. A hosted model tells most
 * topics in its host thread (src/app/explain/hosted.ts).
 */
import { checkTopic, type Explanation, listTopics } from "../explain/index.ts";
import { explainAnywhere } from "../explain/hosted.ts";
import { isExplainLang } from "../../explain/topics.ts";
import { checkText } from "../prompt.ts";
import { loadSources } from "../sources.ts";
import { type Block, type PendingReply, type ReplyContext, text } from "../reply.ts";
import type { ReplyOptions } from "./options.ts";

/** Options as the catalogue names them: topic, language (default: the reader's), text. */
export function explainReply(rc: ReplyContext, o: ReplyOptions): PendingReply {
  const lang = isExplainLang(o.language) ? o.language : rc.lang;
  const given = o.text === undefined ? undefined : checkText(o.text, true);
  if (o.topic === undefined)
    return async () => ({ body: listTopics(lang).lines.map((l) => ({ line: l === "" ? [] : [text(l)] })), notices: [], pictures: [] });
  const topic = checkTopic(o.topic);
  return async () => {
    // what the topic reads of the store, read first (a topic's numbers and words are computed without waiting)
    const sources = topic === "sources" && rc.sources ? await loadSources(rc.sources) : null;
    const status = topic === "neurons" && rc.neuronIndex ? await rc.neuronIndex(rc.handle) : null;
    const neuronIndex = status ? () => status : undefined;
    const e = await rc.heavy(() => explainAnywhere(rc.handle, topic, { lang, text: given, redactor: rc.redactor, sources, neuronIndex }));
    return { body: explanationBlocks(e), notices: [], pictures: e.pictures };
  };
}

/** model line · gap · **title** · paragraph · gap · paragraph … · the table as code. */
export function explanationBlocks(e: Omit<Explanation, "pictures">): Block[] {
  const blocks: Block[] = [{ line: [text(e.modelLine)] }, { line: [] }, { line: [text(`**${e.title}**`)] }];
  e.paragraphs.forEach((p, i) => blocks.push(...(i > 0 ? [{ line: [] }] : []), { line: [text(p)] }));
  if (e.table) blocks.push({ code: e.table });
  return blocks;
}
