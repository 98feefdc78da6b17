/**
 * `/explain [topic] [language] [text]`: how an LLM works, shown on the live model.
 *
 *   1. check the input (topic, language, text)
 *   2. compute the topic's numbers from the model — synchronously, so nothing else touches the
 *      model meanwhile, and every number is the model's at this moment
 *   3. word them (src/explain: Japanese and English texts written separately)
 *   4. draw the pictures (src/render) from copies of those numbers
 *   5. fit text + table into one Discord message
 */
import type { ModelHandle } from "../model-handle.ts";
import { checkText, InputError } from "../prompt.ts";
import { TOPICS, isExplainLang, isTopicName, type ExplainLang, type TopicName } from "../../explain/topics.ts";
import { textsFor } from "../../explain/index.ts";
import { renderTable, type Table } from "../../explain/table.ts";
import type { TopicText } from "../../explain/facts.ts";
import type { ExplanationPicture, TopicComputer, TopicRun } from "./common.ts";
import { explainBitsPerByte } from "./bits-per-byte.ts";
import { explainDerivative } from "./derivative.ts";
import { explainLearning, explainLoss } from "./learning.ts";
import { explainGradientDescent, explainLearningRate } from "./rate.ts";
import { explainNetwork } from "./network.ts";
import { explainEmbeddings, explainTokens } from "./vocab.ts";
import { explainAttention } from "./attention.ts";
import { explainGeneration } from "./generation.ts";
import { explainAblation, explainAttribution, explainLens } from "./look.ts";
import { explainRollout, explainSources } from "./across.ts";
import { explainCompute, explainParameters } from "./scale.ts";
import type { Redactor } from "../redaction.ts";
import type { SourceScope } from "../sources.ts";

export { TOPICS, type TopicName, type ExplainLang };
export type { ExplanationPicture };

/** Longest message an explanation produces (Discord allows 2000; room for the adapter). */
export const MAX_EXPLANATION_CHARS = 1900;

export interface Explanation {
  topic: TopicName;
  lang: ExplainLang;
  title: string;
  /** Discord markdown: which model, the explanation, ending with the line that introduces the table */
  text: string;
  pictures: ExplanationPicture[];
  /** a monospace table in a ``` code block, to post right after `text` (see explanationMessage) */
  table?: string;
}

export interface ExplainOptions {
  lang: ExplainLang;
  /** the user's sentence / prompt / word; each topic has a default */
  text?: string;
  /** the model is this server's own, trained on its messages */
  isGuildModel?: boolean;
  /** cuts what the model writes that copies a stored message (src/app/redaction.ts) */
  redactor?: Redactor | null;
  /** the space's stored training messages and who asks (`sources`; absent: nothing stored here) */
  sources?: SourceScope | null;
}

/** The whole message: text, then the table. Always ≤ MAX_EXPLANATION_CHARS. */
export function explanationMessage(e: Explanation): string {
  return e.table ? `${e.text}\n${e.table}` : e.text;
}

const COMPUTERS: { [K in TopicName]: TopicComputer<K> } = {
  learning: explainLearning,
  loss: explainLoss,
  "bits-per-byte": explainBitsPerByte,
  derivative: explainDerivative,
  "gradient-descent": explainGradientDescent,
  "learning-rate": explainLearningRate,
  "neural-network": explainNetwork,
  tokens: explainTokens,
  embeddings: explainEmbeddings,
  attention: explainAttention,
  generation: explainGeneration,
  lens: explainLens,
  attribution: explainAttribution,
  ablation: explainAblation,
  rollout: explainRollout,
  sources: explainSources,
  parameters: explainParameters,
  compute: explainCompute,
};

/** Throws an InputError naming the topics when `topic` is not one of them. */
export function checkTopic(topic: unknown): TopicName {
  if (isTopicName(topic)) return topic;
  throw new InputError(`unknown topic ${JSON.stringify(topic)}: choose one of ${TOPICS.join(", ")}`, "unknown-topic");
}

function checkLang(lang: unknown): ExplainLang {
  if (isExplainLang(lang)) return lang;
  throw new InputError(`unknown language ${JSON.stringify(lang)}: choose "ja" or "en"`, "bad-lang");
}

export async function explainTopic(handle: ModelHandle, topic: TopicName, options: ExplainOptions): Promise<Explanation> {
  const { explanation, render } = prepare(handle, topic, options);
  // 4. pictures, from the numbers copied in step 2
  return { ...explanation, pictures: await render() };
}

/** The same explanation without drawing its pictures (cheap: for tests, previews, the console). */
export function explainText(handle: ModelHandle, topic: TopicName, options: ExplainOptions): Omit<Explanation, "pictures"> {
  return prepare(handle, topic, options).explanation;
}

/** Everything a topic writes, picture labels included (to check the words themselves). */
export function explainWords(handle: ModelHandle, topic: TopicName, options: ExplainOptions): TopicText<TopicName> {
  return prepare(handle, topic, options).written;
}

function prepare(handle: ModelHandle, topic: TopicName, options: ExplainOptions) {
  // 1. input
  const name = checkTopic(topic);
  const lang = checkLang(options?.lang);
  if (options.text !== undefined) checkText(options.text, true);
  const texts = textsFor(lang);
  // 2–3. numbers from the model, then words (no await in between)
  const run = (COMPUTERS[name] as TopicComputer<typeof name>)({
    handle,
    lang,
    texts,
    text: options.text,
    redactor: options.redactor ?? null,
    sources: options.sources ?? null,
  }) as TopicRun<typeof name>;
  const model = { name: handle.name, isGuildModel: options.isGuildModel ?? false };
  const written = (texts.topics[name] as (f: typeof run.facts, m: typeof model) => ReturnType<(typeof texts.topics)[typeof name]>)(
    run.facts,
    model,
  );
  // 5. the message
  const head = `${texts.modelLine(model)}\n\n**${written.title}**\n`;
  const { text, table } = fitMessage(head, written.body, written.table, texts.moreRows);
  return {
    explanation: { topic: name, lang, title: written.title, text, ...(table ? { table } : {}) },
    written: written as TopicText<TopicName>,
    render: () => run.render(written.pictures as never),
  };
}

/**
 * Text and table within MAX_EXPLANATION_CHARS: rows come off the end of the table first (with
 * a "… and N more" row), then the body loses whole paragraphs from its end.
 */
export function fitMessage(
  head: string,
  body: string,
  table: Table | undefined,
  moreRows: (n: number) => string,
): { text: string; table?: string } {
  let text = head + body.trim();
  const fits = (t: string | undefined) => text.length + (t ? 1 + t.length : 0) <= MAX_EXPLANATION_CHARS;
  if (!table) return { text: fitBody(text) };
  let rendered = renderTable(table);
  for (let keep = table.rows.length - 1; !fits(rendered) && keep >= 1; keep--) {
    const more = table.rows.length - keep;
    rendered = renderTable({ ...table, rows: [...table.rows.slice(0, keep), [moreRows(more)]] });
  }
  if (!fits(rendered)) {
    text = fitBody(text, MAX_EXPLANATION_CHARS - rendered.length - 1);
  }
  return fits(rendered) ? { text, table: rendered } : { text: fitBody(text) };
}

function fitBody(text: string, limit = MAX_EXPLANATION_CHARS): string {
  if (text.length <= limit) return text;
  const paragraphs = text.split("\n\n");
  while (paragraphs.length > 1 && paragraphs.join("\n\n").length > limit) paragraphs.pop();
  const joined = paragraphs.join("\n\n");
  return joined.length <= limit ? joined : `${joined.slice(0, limit - 1)}…`;
}

export interface TopicList {
  title: string;
  /** the learning path as one Discord message */
  text: string;
  items: { topic: TopicName; line: string }[];
}

/** The learning path: every topic in the order to read them, one line each. */
export function listTopics(lang: ExplainLang): TopicList {
  const texts = textsFor(checkLang(lang));
  const items = TOPICS.map((topic) => ({ topic, line: texts.path.items[topic] }));
  const lines = items.map((item, i) => `${i + 1}. \`${item.topic}\` — ${item.line}`);
  const text = fitBody([`**${texts.path.title}**`, texts.path.intro, "", ...lines, "", texts.path.footer].join("\n"));
  return { title: texts.path.title, text, items };
}
