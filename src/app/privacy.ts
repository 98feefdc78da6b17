/**
 * What the bot keeps about people, and forgetting it on request (/privacy, /forget-me).
 */
import type { AsyncStore } from "../store/async-store.ts";

export interface ForgetResult {
  /** stored messages of the person that were deleted */
  deleted: number;
  /** the guild's current model was trained after some of them were stored: it learned from them */
  modelTrainedOnThem: boolean;
}

/** Deletes one person's stored messages in one guild and says whether the current model read them. */
export async function forgetAuthor(
  store: Pick<AsyncStore, "messages" | "models">,
  guildId: string,
  authorId: string,
): Promise<ForgetResult> {
  const model = await store.models.latestInfo(guildId);
  // /train stores the messages it reads and then trains: a model made after a message was written read it
  const readByModel = model ? await store.messages.countAuthorBefore(guildId, authorId, model.createdAt) : 0;
  const deleted = await store.messages.deleteAuthor(guildId, authorId);
  return { deleted, modelTrainedOnThem: readByModel > 0 };
}
