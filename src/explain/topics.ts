/**
 * The topics of the explanatory mode, in the order of the learning path: first what learning
 * is (a search for parameters, the loss and bits per byte, derivatives, gradient descent, the
 * learning rate), then what the network is made of (layers, tokens, vectors, attention), how it
 * writes, how to look inside it (the logit lens, attribution, ablation, attention across the
 * layers, where a text was learned, what the MLP neurons respond to), and finally how big it is
 * and what it costs.
 */
export const TOPICS = [
  "learning",
  "loss",
  "bits-per-byte",
  "derivative",
  "gradient-descent",
  "learning-rate",
  "neural-network",
  "tokens",
  "embeddings",
  "attention",
  "generation",
  "lens",
  "attribution",
  "ablation",
  "rollout",
  "sources",
  "neurons",
  "parameters",
  "compute",
] as const;

export type TopicName = (typeof TOPICS)[number];

/** The explanations' language is the project's one Lang (src/lang.ts). */
export type { Lang as ExplainLang } from "../lang.ts";
export { LANGS } from "../lang.ts";

export function isTopicName(name: unknown): name is TopicName {
  return typeof name === "string" && (TOPICS as readonly string[]).includes(name);
}

export { isLang as isExplainLang } from "../lang.ts";
