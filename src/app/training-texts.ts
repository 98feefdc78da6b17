/**
 * The texts a playground training learned from, kept so that no model can hand them back word
 * for word. The playground's surfaces redact against the stored messages of its space
 * (src/app/redaction.ts); a pasted or uploaded text is not a Discord message, so it is stored
 * there as the messages of one local author, TRAINING_TEXT_AUTHOR, one message per document
 * exactly as the model read it.
 *
 * Lifetime: kept until forgotten. A new training adds its documents (a document already kept is
 * kept once: its id is its hash); the earlier ones stay, since the models trained on them stay
 * in the store too. forgetTrainingTexts deletes them all; the models trained on them are kept,
 * and may then repeat them uncut (the playground says so when it forgets).
 */
import { createHash } from "node:crypto";
import type { StoredMessage } from "../store/messages.ts";

/** The "author" of the texts trained on in the playground (Discord user ids are digits only). */
export const TRAINING_TEXT_AUTHOR = "playground-training-text";
const TRAINING_TEXT_CHANNEL = "playground-training-text";

interface TextStore {
  messages: { addMany(ms: readonly StoredMessage[]): Promise<number>; deleteAuthor(guildId: string, authorId: string): Promise<number> };
}

/** Stores the documents a training of `space` reads; returns how many were not kept yet. */
export function keepTrainingTexts(store: TextStore, space: string, documents: readonly string[], now = Date.now()): Promise<number> {
  const messages = documents
    .filter((d) => d.trim().length > 0)
    .map((text) => ({
      id: `text-${createHash("sha256").update(text).digest("hex").slice(0, 40)}`,
      guildId: space,
      channelId: TRAINING_TEXT_CHANNEL,
      authorId: TRAINING_TEXT_AUTHOR,
      text,
      createdAt: now,
    }));
  return store.messages.addMany(messages);
}

/** Deletes every kept training text of `space`; returns how many documents were deleted. */
export function forgetTrainingTexts(store: TextStore, space: string): Promise<number> {
  return store.messages.deleteAuthor(space, TRAINING_TEXT_AUTHOR);
}
