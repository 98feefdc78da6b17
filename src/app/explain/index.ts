/**
 * `/explain [topic] [language] [text]`: how an LLM works, shown on the live model.
 *
 *   1. check the input (topic, language, text)
 *   2. compute the topic's numbers from the model — synchronously, so nothing else touches the
 *      model meanwhile, and every number is the model's at this moment
 *   3. word them (src/explain: Japanese and English texts written separately)
 *   4. draw the pictures (src/render) from copies of those numbers
 *   5. keep the pieces: the model line, the title, each paragraph, the table's lines (a surface
 *      shows them whole, or fits them to its medium: Discord's formatter splits at the pieces)
 */
import type { ModelHandle } from "../model-handle.ts";
import { checkText, InputError } from "../prompt.ts";
import { TOPICS, isExplainLang, isTopicName, type ExplainLang, type TopicName } from "../../explain/topics.ts";
import { textsFor } from "../../explain/index.ts";
import { tableLines } from "../../explain/table.ts";
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
import { explainNeurons } from "./neurons.ts";
import { explainCompute, explainParameters } from "./scale.ts";
import type { Redactor } from "../redaction.ts";
import type { LoadedSources } from "../sources.ts";
import type { IndexStatus } from "../neuron-indexer.ts";
import { identityOf, modelName } from "../model-identity.ts";
import type { ModelFacts } from "../../explain/facts.ts";

export { TOPICS, type TopicName, type ExplainLang };
export type { ExplanationPicture };

export interface Explanation {
  topic: TopicName;
  lang: ExplainLang;
  title: string;
  /** which model explains (the first line) */
  modelLine: string;
  /** the explanation, paragraph by paragraph, each whole (markdown: **bold**, `code`); the last introduces the table */
  paragraphs: string[];
  pictures: ExplanationPicture[];
  /** a monospace table's lines, padded by display width (no fences), shown after the paragraphs */
  table?: string[];
}

export interface ExplainOptions {
  lang: ExplainLang;
  /** the user's sentence / prompt / word; each topic has a default */
  text?: string;
  /** cuts what the model writes that copies a stored message (src/app/redaction.ts) */
  redactor?: Redactor | null;
  /** the space's stored training messages and who asks (`sources`; absent: nothing stored here) */
  sources?: LoadedSources | null;
  /** the space's neuron index for a model (`neurons`; absent: none known here) */
  neuronIndex?: (handle: ModelHandle) => IndexStatus;
}

/** The explanation's words as one markdown text: the model line, the title, the paragraphs. */
export function explanationText(e: Omit<Explanation, "pictures">): string {
  return `${e.modelLine}\n\n**${e.title}**\n${e.paragraphs.join("\n\n")}`;
}

/** The whole explanation as one markdown text: its words, then the table as a ``` block. */
export function explanationMessage(e: Omit<Explanation, "pictures">): string {
  const text = explanationText(e);
  return e.table ? `${text}\n\`\`\`\n${e.table.join("\n")}\n\`\`\`` : text;
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
  neurons: explainNeurons,
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
    neuronIndex: options.neuronIndex,
  }) as TopicRun<typeof name>;
  const model = speakerOf(handle, lang);
  const written = (texts.topics[name] as (f: typeof run.facts, m: typeof model) => ReturnType<(typeof texts.topics)[typeof name]>)(
    run.facts,
    model,
  );
  // 5. the pieces, whole
  const paragraphs = written.body
    .trim()
    .split(/\n{2,}/)
    .map((p) => p.trim())
    .filter((p) => p !== "");
  const table = written.table ? tableLines(written.table) : undefined;
  return {
    explanation: { topic: name, lang, title: written.title, modelLine: texts.modelLine(model), paragraphs, ...(table && { table }) },
    written: written as TopicText<TopicName>,
    render: () => run.render(written.pictures as never),
  };
}

/** The model as the explanation names it: in the reader's language, and whose texts it learned (from its identity). */
function speakerOf(handle: ModelHandle, lang: ExplainLang): ModelFacts {
  const identity = identityOf(handle);
  const trainedBy = identity.kind === "server" ? "server" : identity.kind === "trained-here" ? "playground" : null;
  return { name: modelName(identity, lang), trainedBy };
}

export interface TopicList {
  title: string;
  /** the learning path, line by line (markdown): the title, the intro, a line per topic, the footer */
  lines: string[];
  items: { topic: TopicName; line: string }[];
}

/** The learning path: every topic in the order to read them, one line each. */
export function listTopics(lang: ExplainLang): TopicList {
  const texts = textsFor(checkLang(lang));
  const items = TOPICS.map((topic) => ({ topic, line: texts.path.items[topic] }));
  const lines = items.map((item, i) => `${i + 1}. \`${item.topic}\` — ${item.line}`);
  return { title: texts.path.title, lines: [`**${texts.path.title}**`, texts.path.intro, "", ...lines, "", texts.path.footer], items };
}
