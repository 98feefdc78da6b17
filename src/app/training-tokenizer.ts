/**
 * Which tokenizer a training on this bot (a server's /train, the playground's own model) builds.
 *
 * The default is the character BPE with byte fallback (char-bpe.ts): measured on held-out text
 * it keeps Japanese characters whole and predicts both languages in fewer bits per byte than the
 * byte-level BPE (README, scripts/heldout-eval.ts). A run that resumes a checkpoint keeps that
 * checkpoint's kind, since its weights only fit its own vocabulary; trainModel then rebuilds the
 * checkpoint's tokenizer exactly, so an older byte-level BPE model goes on training as one.
 */
import { loadCheckpointBytes } from "../model/checkpoint.ts";
import type { TokenizerKind } from "../tokenizer/tokenizer.ts";

export const TRAINING_TOKENIZER: TokenizerKind = "charbpe";

const TRAINED_KINDS: readonly string[] = ["char", "bpe", "charbpe"] satisfies TokenizerKind[];

/** The kind a training builds: the resumed checkpoint's own, else TRAINING_TOKENIZER. */
export function trainingTokenizerKind(resumeFrom?: Uint8Array): TokenizerKind {
  if (resumeFrom === undefined) return TRAINING_TOKENIZER;
  const saved = loadCheckpointBytes(resumeFrom, "the checkpoint to resume").meta.tokenizer as { kind?: unknown } | null;
  const kind = saved?.kind;
  if (typeof kind !== "string" || !TRAINED_KINDS.includes(kind)) {
    throw new Error(
      `the checkpoint to resume has tokenizer kind ${JSON.stringify(kind ?? null)}; a training here continues only char, bpe or charbpe models`,
    );
  }
  return kind as TokenizerKind;
}
