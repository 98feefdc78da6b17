/**
 * How much text a training needs and takes, in one place: the playground's panel and its
 * /api/training-limits, the /train preset choices (Discord's help text) and the refusals all
 * read these numbers.
 *
 *   tokens needed     = ⌈(block + 1) / 0.1⌉ + 1   (a 90/10 split with one full window in the 10 %)
 *   characters needed = 2 · tokens needed         (BPE makes fewer tokens than characters in English)
 *   documents needed  = MIN_MESSAGES (messages on Discord, lines or paragraphs in the playground)
 */
import { PRESETS, type PresetName } from "../model/config.ts";
import { MAX_TRAINING_TEXT_CHARS } from "./corpus.ts";
import { MAX_INPUT_CHARS } from "./prompt.ts";

/** At least this many messages (or lines, paragraphs), whatever their length. */
export const MIN_MESSAGES = 10;

/** The playground's upload limit for a .txt file (the text inside is then held to MAX_TRAINING_TEXT_CHARS). */
export const MAX_UPLOAD_BYTES = 3 * 1024 * 1024;

export interface CorpusRequirement {
  messages: number;
  characters: number;
  tokens: number;
}

/** How much text a preset needs: enough tokens for a 90/10 split with a full window in the 10 %. */
export function corpusRequirement(preset: PresetName): CorpusRequirement {
  const T = PRESETS[preset].blockSize;
  const tokens = Math.ceil((T + 1) / 0.1) + 1;
  return { messages: MIN_MESSAGES, characters: 2 * tokens, tokens };
}

export interface TrainingLimits {
  /** per preset, in the order given */
  presets: ({ preset: string } & CorpusRequirement)[];
  /** the longest training text the playground takes (characters) */
  maxCharacters: number;
  /** the longest .txt file the playground uploads (bytes) */
  maxUploadBytes: number;
  /** the longest line the playground's input box and a command's text take (characters) */
  maxInputCharacters: number;
}

export function trainingLimits(presets: readonly PresetName[]): TrainingLimits {
  return {
    presets: presets.map((preset) => ({ preset, ...corpusRequirement(preset) })),
    maxCharacters: MAX_TRAINING_TEXT_CHARS,
    maxUploadBytes: MAX_UPLOAD_BYTES,
    maxInputCharacters: MAX_INPUT_CHARS,
  };
}
