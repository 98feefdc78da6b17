/** `generation`: writing = predicting the next token again and again, traced step by step. */
import type { GenerationFacts } from "../../explain/facts.ts";
import { generateText } from "../generate-text.ts";
import { tracePicture } from "../pictures.ts";
import { textOr, type TopicComputer } from "./common.ts";

/** Tokens written for the explanation (enough for a few words, short enough to trace). */
export const GENERATION_TOKENS = 12;
export const GENERATION_SEED = 1;

export const explainGeneration: TopicComputer<"generation"> = ({ handle, lang, texts, text }) => {
  const prompt = textOr(text, texts.defaults.prompt);
  const generated = generateText(handle, prompt, { maxTokens: GENERATION_TOKENS, seed: GENERATION_SEED });
  const t = handle.tokenizer;
  const facts: GenerationFacts = {
    prompt,
    output: generated.text,
    vocabSize: t.vocabSize,
    steps: generated.steps.map((s) => ({
      candidates: s.candidates.slice(0, 3).map((c) => ({ token: t.tokenText(c.id), prob: c.prob })),
      chosen: t.tokenText(s.chosen),
      chosenProb: s.chosenProb,
    })),
    temperature: generated.options.temperature,
    topK: generated.options.topK,
    topP: generated.options.topP,
    seed: generated.options.seed,
    stoppedAtEnd: generated.stoppedBy === "stopToken",
  };
  return {
    facts,
    async render() {
      return [{ name: "generation.png", png: await tracePicture(handle, generated, lang) }];
    },
  };
};
