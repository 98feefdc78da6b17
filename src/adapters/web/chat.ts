/**
 * Chat in the playground: the conversation so far (kept by the page, oldest first) is the
 * prompt, and whatever the model writes up to its end-of-text is its reply — the same chat as
 * the bot's mentions (src/app/replies/chat.ts).
 */
import { randomSeed } from "../../app/generate-text.ts";
import { checkText } from "../../app/prompt.ts";
import { inputError } from "../../app/input-messages.ts";
import type { WebContext } from "./command-spec.ts";
import { chatReply as chatAnswer } from "../../app/replies/chat.ts";
import { storedRedactor } from "./commands/shared.ts";
import { webReply } from "./reply-format.ts";

/** Only the newest messages fit the model's context anyway. */
export const CHAT_HISTORY = 8;

/** `seed` (optional, a whole number ≥ 0): the same conversation and seed give the same reply; absent, a random one. */
export async function chatReply(ctx: WebContext, messages: unknown, seed?: unknown): Promise<{ text: string }> {
  // 1. the conversation: strings, the newest one not empty, each within the input limit
  if (!Array.isArray(messages) || messages.length === 0 || !messages.every((m) => typeof m === "string")) {
    throw inputError("bad-messages", {});
  }
  const recent = (messages as string[]).slice(-CHAT_HISTORY);
  for (const m of recent) checkText(m, true);
  checkText(recent[recent.length - 1], false);
  if (seed !== undefined && !(Number.isSafeInteger(seed) && (seed as number) >= 0))
    throw inputError("bad-seed", { seed: String(seed).slice(0, 20) });
  // 2. the model's next message (src/app/replies/chat.ts), as the page's JSON
  const handle = await ctx.registry.forGuild(ctx.space);
  const rc = { handle, lang: ctx.lang, heavy: ctx.heavy, redactor: await storedRedactor(ctx) };
  const { reply } = await chatAnswer(rc, recent, (seed as number | undefined) ?? randomSeed());
  return { text: webReply(reply).text };
}
