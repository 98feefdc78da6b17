/**
 * The numbers each explanation is written around. src/app/explain computes them from the live
 * model; the texts (ja.ts, en.ts) only format and word them. Token texts are raw (the texts
 * make whitespace visible and escape markdown).
 */
import type { TopicName } from "./topics.ts";
import type { Table } from "./table.ts";
import type { ParameterCounts } from "../model/params.ts";
import type { Lang } from "../lang.ts";
import type { TokenLookupFacts } from "./token-lookup.ts";

export interface ModelFacts {
  /** the model's name in the reader's language ("default model", "あなたのモデル #2") */
  name: string;
  /** whose texts it learned: a Discord server's own model (its messages), the playground's own (the texts given there), or neither (shipped, a file) */
  trainedBy: "server" | "playground" | null;
}

export interface LearningFacts {
  params: number;
  vocabSize: number;
  /** ln V: the loss of guessing uniformly */
  guessLoss: number;
  step: number;
  totalSteps: number | null;
  /** train loss of the first and last recorded steps (null without a stored curve) */
  firstLoss: number | null;
  lastLoss: number | null;
  valLoss: number | null;
  tokensSeen: number | null;
  trainSeconds: number | null;
  batchSize: number | null;
  blockSize: number;
  maxLr: number;
  /** measured now: the loss on a sample sentence */
  sentence: string;
  sentenceLoss: number;
}

export interface TokenScore {
  token: string;
  prob: number;
  /** −ln prob */
  loss: number;
  /** the model's most likely token at that point */
  guess: string;
  guessProb: number;
}

export interface LossFacts {
  sentence: string;
  rows: TokenScore[];
  sum: number;
  mean: number;
  guessLoss: number;
  vocabSize: number;
  /** tokens of the text beyond the model's context, not scored */
  dropped: number;
}

/** A held-out text's figures as recorded for the model in use (eval/heldout/results.json). */
export interface HeldOutRow {
  lang: Lang;
  title: string;
  bytes: number;
  tokens: number;
  lossPerToken: number;
  bitsPerByte: number;
  gzip: number;
  xz: number;
}

export interface BitsPerByteFacts {
  sentence: string;
  /** the sentence's tokens, each with its −ln p (the loss topic's rows, labelled as pieces) */
  rows: TokenScore[];
  /** tokens scored and the UTF-8 bytes they hold */
  tokens: number;
  bytes: number;
  /** Σ −ln p over the tokens, in nats */
  sum: number;
  lossPerToken: number;
  /** sum ÷ (bytes × ln 2) */
  bitsPerByte: number;
  /** blind guessing among V tokens: tokens × ln V ÷ (bytes × ln 2) */
  guessBitsPerByte: number;
  vocabSize: number;
  dropped: number;
  /** recorded for exactly this model's parameters, else null */
  heldOut: HeldOutRow[] | null;
}

export interface DerivativeRow {
  h: number;
  forward: number;
  central: number;
}

export interface DerivativeFacts {
  sentence: string;
  loss: number;
  paramName: string;
  row: number;
  col: number;
  /** which third of c_attn the row belongs to */
  part: "query" | "key" | "value";
  layer: number;
  value: number;
  backprop: number;
  rows: DerivativeRow[];
  params: number;
  forwardSeconds: number;
  backwardSeconds: number;
  /** 2N forward passes */
  numericalSeconds: number;
  /** relative error of the central difference at h = 1e-3 */
  centralErrorAt1e3: number;
  /** whether w + 1e-10 rounds back to w in float32 (the smallest step vanishes) */
  smallestStepVanishes: boolean;
}

export type DescentKind = "small" | "good" | "large";

export interface DescentPathFacts {
  kind: DescentKind;
  lr: number;
  losses: number[];
  /** first step whose loss is higher than the step before (1-based), null if none */
  firstRise: number | null;
}

export interface DescentFacts {
  sentence: string;
  params: number;
  channels: [number, number];
  paramNames: [string, string];
  start: [number, number];
  /** the walks start at the model's own values (else beside the valley, the model being at its bottom) */
  startIsModel: boolean;
  modelPoint: [number, number];
  minimum: [number, number];
  minLoss: number;
  modelLoss: number;
  steps: number;
  /** largest curvature (Hessian eigenvalue) of the slice near the valley */
  curvature: number;
  paths: DescentPathFacts[];
}

export interface ScheduleFacts {
  maxLr: number;
  minLr: number;
  warmupSteps: number;
  totalSteps: number;
  /** the last step the model trained, and its learning rate */
  step: number;
  lrAtStep: number;
  /** whether the model's file recorded its options (else the defaults are shown) */
  recorded: boolean;
}

export interface LearningRateFacts extends DescentFacts {
  schedule: ScheduleFacts;
}

export interface NetworkFacts {
  C: number;
  hidden: number;
  nLayer: number;
  blockSize: number;
  vocabSize: number;
  mlpParamsPerBlock: number;
  mlpMacsPerToken: number;
  allMlpMacsPerToken: number;
  attentionMacsPerToken: number;
  modelMacsPerToken: number;
  /** the example token, its MLP numbers in layer 0 before and after GELU */
  token: string;
  pre: number[];
  post: number[];
  /** share of all layer-0 MLP inputs (all tokens of the text) that were negative */
  negativeShare: number;
  sentence: string;
}

export interface TokensFacts {
  text: string;
  kind: "char" | "bpe" | "charbpe";
  vocabSize: number;
  chars: number;
  tokens: number;
  merges: number | null;
  unknown: number;
  /** the first token, its id and the start of its embedding row */
  first: { token: string; id: number; vector: number[] } | null;
  C: number;
  /** tokens of the text beyond what is shown */
  pieces: { token: string; id: number }[];
}

export interface EmbeddingsFacts {
  /** which token the look-up of the asked text used, and why (token-lookup.ts) */
  lookup: TokenLookupFacts;
  query: string;
  queryId: number;
  C: number;
  vector: number[];
  neighbours: { token: string; cosine: number }[];
  vocabSize: number;
}

export interface AttentionRow {
  position: number;
  token: string;
  /** q·k/√HS as the engine computed it */
  score: number;
  weight: number;
  /** the first channels of this key's Value */
  value: number[];
}

export interface AttentionFacts {
  text: string;
  tokens: number;
  /** tokens at the start of the text that did not fit in the context */
  dropped: number;
  layer: number;
  head: number;
  nLayer: number;
  nHead: number;
  headSize: number;
  query: string;
  /** the keys with the largest weights, in position order */
  rows: AttentionRow[];
  /** keys not in rows */
  others: { count: number; weight: number };
  /** the first channels of the head's output for the query: Σ weight × Value (engine's numbers) */
  output: number[];
}

export interface GenerationFacts {
  prompt: string;
  output: string;
  vocabSize: number;
  steps: { candidates: { token: string; prob: number }[]; chosen: string; chosenProb: number }[];
  temperature: number;
  topK: number;
  topP: number;
  seed: number;
  stoppedAtEnd: boolean;
}

/** `lens`: the last position's top guess at every depth (0 = embeddings … L = the output). */
export interface LensFacts {
  text: string;
  tokens: number;
  nLayer: number;
  depths: { layer: number; token: string; prob: number }[];
  /** the first depth whose top guess is the output's, and stays it to the end */
  settledAt: number;
  /** what the output's top token had at depth 0 (its probability there) */
  outputTokenAtStart: number;
}

/** `attribution`: both methods' scores for the predicted next token. */
export interface AttributionFacts {
  text: string;
  target: { token: string; prob: number };
  /** the input tokens with the largest |score| by either method, in text order */
  rows: { position: number; token: string; gradient: number; occlusion: number }[];
  /** the token each method ranks first (largest positive score) */
  gradientTop: { position: number; token: string };
  occlusionTop: { position: number; token: string };
  /** positions where the two methods' signs differ (both |score| ≥ 0.01) */
  disagree: number;
  tokens: number;
}

/** `ablation`: every head alone switched off, for the model's top next token. */
export interface AblationFacts {
  text: string;
  top: { token: string; prob: number };
  nLayer: number;
  nHead: number;
  /** the head whose removal lowers log p(top) most, and the change */
  decisive: { layer: number; head: number; delta: number };
  /** p(top) and the new top token with that head off */
  probWithout: number;
  newTop: { token: string; prob: number };
  /** whether the new top token differs from the whole model's */
  topChanged: boolean;
  /** the head whose removal raises log p(top) most (delta may be ≤ 0 when none does) */
  helpful: { layer: number; head: number; delta: number };
  /** heads whose removal changes log p(top) by less than 0.05 */
  quiet: number;
}

/** `rollout`: the last token's attention in each layer and through all layers. */
export interface RolloutFacts {
  text: string;
  tokens: number;
  nLayer: number;
  nHead: number;
  predicted: { token: string; prob: number };
  /** per layer: the two tokens the last token's head-averaged attention goes to most */
  layers: { layer: number; top: { token: string; weight: number }[] }[];
  /** the rollout's last row: its three strongest tokens */
  rollout: { token: string; weight: number }[];
  /** the rollout's share of the last token in itself (R[T−1][T−1]) */
  selfShare: number;
  /** the last layer's strongest token is also the rollout's */
  agree: boolean;
}

/** `sources`: the stored training messages sharing the longest stretches with what the model wrote (or a text). */
export interface SourcesFacts {
  /** the model's continuation of `prompt` (as shown: redacted) */
  text: string;
  prompt: string;
  /** part of the continuation was cut as a copy of a stored message */
  cut: boolean;
  /** where the stored messages are: a server's, the playground's, or none stored here */
  where: "server" | "playground" | "corpus" | null;
  messages: number;
  /** messages sharing MIN_SHARED_CHARS or more characters in a row */
  found: number;
  best: { length: number; before: string; shared: string; after: string; mine: boolean } | null;
  minShared: number;
  excerptChars: number;
  minRun: number;
}

/** `neurons`: the MLP neurons that fire most at the last token of a text, and where one fired most in training. */
export interface NeuronsFacts {
  text: string;
  /** the token read (the text's last) and how many tokens the text has */
  token: string;
  tokens: number;
  nLayer: number;
  /** neurons per layer (4C) */
  width: number;
  /** per layer: its strongest neuron there, and how many of its neurons are above FIRING_AT */
  layers: { layer: number; index: number; value: number; firing: number }[];
  /** the threshold of `firing` */
  firingAt: number;
  /** the index of training contexts: ready, still being read (documents so far of total), or no training text known */
  index: { state: "ready" | "building"; documents: number; total: number } | { state: "none" };
  /** the last layer's strongest neuron's strongest context in the training text, when the index has one */
  context: { layer: number; index: number; before: string; token: string; after: string; value: number } | null;
}

export interface ParametersFacts {
  counts: ParameterCounts;
  bytes: number;
  nLayer: number;
  nHead: number;
  C: number;
  vocabSize: number;
  blockSize: number;
  gpt2: number;
  gpt3: number;
}

export interface ComputeFacts {
  params: number;
  tokensSeen: number;
  seconds: number;
  /** "training": from the recorded run; "measured": one training step timed just now */
  source: "training" | "measured";
  flops: number;
  flopsPerSecond: number;
  gpt3Params: number;
  gpt3Tokens: number;
  gpt3Flops: number;
  gpt3Seconds: number;
  perTokenFlops: number;
}

export interface FactsOf {
  learning: LearningFacts;
  loss: LossFacts;
  "bits-per-byte": BitsPerByteFacts;
  derivative: DerivativeFacts;
  "gradient-descent": DescentFacts;
  "learning-rate": LearningRateFacts;
  "neural-network": NetworkFacts;
  tokens: TokensFacts;
  embeddings: EmbeddingsFacts;
  attention: AttentionFacts;
  generation: GenerationFacts;
  lens: LensFacts;
  attribution: AttributionFacts;
  ablation: AblationFacts;
  rollout: RolloutFacts;
  sources: SourcesFacts;
  neurons: NeuronsFacts;
  parameters: ParametersFacts;
  compute: ComputeFacts;
}

/** Strings the pictures of each topic need (all drawn text comes from the texts). */
export interface ChartWords {
  title: string;
  subtitle: string;
  notes: string[];
}

export interface DescentPictureWords extends ChartWords {
  mapHeading: string;
  xLabel: string;
  yLabel: string;
  pathLabel: (kind: DescentKind, lr: string) => string;
  start: string;
  model: string;
  minimum: string;
  chartHeading: string;
  chartX: string;
  chartY: string;
  low: string;
  high: string;
}

export interface PictureWordsOf {
  learning: Record<string, never>;
  loss: ChartWords & { token: string; prob: string; loss: string; guess: string; mean: (v: string) => string; more: (n: number) => string };
  "bits-per-byte": PictureWordsOf["loss"];
  derivative: ChartWords & {
    sliceHeading: string;
    sliceX: string;
    sliceY: string;
    curve: string;
    tangent: string;
    point: string;
    errorHeading: string;
    errorX: string;
    errorY: string;
    forward: string;
    central: string;
  };
  "gradient-descent": DescentPictureWords;
  "learning-rate": DescentPictureWords & {
    schedule: ChartWords & { xLabel: string; yLabel: string; line: string; recorded: string; warmupEnd: string; lastStep: string };
  };
  "neural-network": ChartWords & { gelu: string; sigmoid: string; samples: string; xLabel: string; yLabel: string; histogram: string };
  tokens: Record<string, never>;
  embeddings: Record<string, never>;
  attention: Record<string, never>;
  generation: Record<string, never>;
  lens: Record<string, never>;
  attribution: Record<string, never>;
  ablation: Record<string, never>;
  rollout: Record<string, never>;
  sources: Record<string, never>;
  neurons: Record<string, never>;
  parameters: ChartWords & {
    heading: string;
    axis: string;
    thisModel: string;
    gpt2: string;
    gpt3: string;
    breakdown: string;
    parts: Record<keyof Omit<ParameterCounts, "total">, string>;
  };
  compute: ChartWords & {
    heading: string;
    axis: string;
    bars: { thisToken: string; thisTraining: string; gpt3Token: string; gpt3Training: string };
    time: (seconds: number) => string;
  };
}

export interface TopicText<K extends TopicName> {
  title: string;
  /** Discord markdown; the table (if any) comes right after it, so the body ends by introducing it */
  body: string;
  table?: Table;
  pictures: PictureWordsOf[K];
}

export interface PathItem {
  topic: TopicName;
  line: string;
}

export interface ExplainTexts {
  lang: Lang;
  /** the first line of every explanation: which model */
  modelLine(m: ModelFacts): string;
  defaults: {
    sentence: string;
    prompt: string;
    /** words to show neighbours of when the user gives none: the first that is one token is used */
    queries: string[];
  };
  path: { title: string; intro: string; items: Record<TopicName, string>; footer: string };
  topics: { [K in TopicName]: (facts: FactsOf[K], model: ModelFacts) => TopicText<K> };
}
