/** `generation`: writing = predicting the next token again and again, traced step by step. */
import type { GenerationFacts } from "../../explain/facts.ts";
import { generateText } from "../generate-text.ts";
import { tracePicture } from "../pictures.ts";
import { textOr, type TopicComputer } from "./common.ts";
import { redactGeneration } from "../redaction.ts";

/** Tokens written for the explanation (enough for a few words, short enough to trace). */
export const GENERATION_TOKENS = 12;
export const GENERATION_SEED = 1;

export const explainGeneration: TopicComputer<"generation"> = ({ handle, lang, texts, text, redactor }) => {
  const prompt = textOr(text, texts.defaults.prompt);
  // what the model writes is quoted and drawn: redacted like every generated text
  const generated = redactGeneration(
    handle,
    generateText(handle, prompt, { maxTokens: GENERATION_TOKENS, seed: GENERATION_SEED }),
    redactor,
  );
  const facts: GenerationFacts = {
    prompt,
    output: generated.text,
    vocabSize: handle.tokenizer.vocabSize,
    steps: generated.shownSteps.map((s) => ({
      candidates: s.candidates.slice(0, 3),
      chosen: s.chosen,
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
