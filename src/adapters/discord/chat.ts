/**
 * Chat: when someone mentions the bot in a server, or writes to it in a DM, it answers with
 * the guild's model (DMs: the default model). Typing first, then the recent conversation as the
 * prompt, then the generated reply — with every mention made inert, so it never pings anyone.
 * In explain mode the reply carries a /sources button (sources-button.ts).
 */
import { cleanContent, type Message, PermissionFlagsBits } from "discord.js";
import type { ModelRegistry } from "../../app/model-registry.ts";
import { chatAsGeneration, chatBreakdown } from "../../app/chat.ts";
import { chatReply } from "../../app/replies/chat.ts";
import { explainModeOn } from "../../app/user-settings.ts";
import { redactGeneration, redactorFor } from "../../app/redaction.ts";
import type { RateLimiter } from "../../app/rate-limit.ts";
import { tracePicture } from "../../app/pictures.ts";
import type { AsyncStore } from "../../store/async-store.ts";
import { langOfText, strings } from "./i18n.ts";
import type { Logger } from "./log.ts";
import { inertMentions, replyToMessage } from "./outgoing.ts";
import { discordMessage } from "./reply-format.ts";
import { BREAKDOWN_MARK, sourcesButtonRow } from "./sources-button.ts";
import { QueueFullError, type SerialQueue } from "./serial-queue.ts";

/** How many earlier messages of the channel the prompt includes. */
export const HISTORY_MESSAGES = 12;

export interface ChatDeps {
  registry: ModelRegistry;
  log: Logger;
  queue: SerialQueue;
  /** where per-user settings (explain mode) live; without it, plain replies */
  store?: Pick<AsyncStore, "settings" | "messages">;
  /** the per-user limit on expensive work */
  rateLimiter?: RateLimiter | null;
}

export async function handleChatMessage(message: Message, deps: ChatDeps): Promise<void> {
  const me = message.client.user;
  if (message.author.bot || message.system || message.author.id === me.id) return;
  const inDm = !message.inGuild();
  if (!inDm && !message.mentions.users.has(me.id)) return;
  const where = { guild: message.guildId, channel: message.channelId, message: message.id, user: message.author.id };
  const current = promptText(message, me.id);
  const text = strings(langOfText(current));

  // 0. the same per-user limit as expensive commands: one user cannot keep the chat queue full
  const wait = deps.rateLimiter?.take(message.author.id) ?? 0;
  if (wait > 0) {
    await replyToMessage(message, text.tryAgainIn(wait)).catch((err: unknown) =>
      deps.log.warn("cannot send a rate-limit line", { ...where, error: String(err) }),
    );
    return;
  }

  try {
    // 1. show that the bot is writing
    if ("sendTyping" in message.channel)
      await message.channel.sendTyping().catch((err: unknown) => deps.log.warn("cannot send typing", { ...where, error: String(err) }));
    // 2. the conversation so far, and the model
    const earlier = await earlierMessages(message, deps.log);
    const handle = await deps.registry.forGuild(message.guildId);
    // 3. generate (one chat at a time; a stored message is never handed back word for word), 4. reply without pings
    const lang = langOfText(current);
    const redactor = await redactorFor(deps.store, message.guildId);
    const answer = await chatReply(
      { handle, lang, heavy: (job) => deps.queue.run(async () => job()), redactor },
      [...earlier, current],
      seedOf(message.id),
    );
    const { generated } = answer;
    const body = discordMessage(answer.reply).content ?? "";
    if (deps.store && !answer.cut && generated.steps.length > 0 && (await explainModeOn(deps.store, message.guildId, message.author.id))) {
      // explain mode: the reply, each token's runners-up, and the step-by-step picture
      const budget = 1900 - body.length - text.explainBreakdownTitle.length - 12;
      const breakdown = inertMentions(chatBreakdown(handle, generated.steps, Math.max(0, budget)));
      const png = await tracePicture(handle, redactGeneration(handle, chatAsGeneration(current, generated), redactor), lang);
      await replyToMessage(message, {
        content: `${body}${BREAKDOWN_MARK}${text.explainBreakdownTitle}\n\`\`\`\n${breakdown}\n\`\`\``,
        files: [{ name: "trace.png", data: png }],
        // in a server, the button that answers with this reply's sources (nothing is stored from DMs)
        ...(message.inGuild() && { components: [sourcesButtonRow(text.sourcesButton)] }),
      });
      return;
    }
    await replyToMessage(message, body);
  } catch (err) {
    if (err instanceof QueueFullError) {
      await replyToMessage(message, text.busy).catch(() => undefined);
      return;
    }
    deps.log.error("chat reply failed", where, err);
  }
}

/** The message's text for the prompt: the bot's own mention removed, other mentions as @names. */
export function promptText(message: Message, botId: string): string {
  const withoutBot = message.content
    .replace(new RegExp(`<@!?${botId}>`, "g"), " ")
    .replace(/\s+/g, " ")
    .trim();
  return cleanContent(withoutBot, message.channel);
}

/** Up to HISTORY_MESSAGES earlier messages, oldest first; none if the bot may not read history. */
async function earlierMessages(message: Message, log: Logger): Promise<string[]> {
  if (message.inGuild()) {
    const me = message.guild.members.me;
    const allowed = me ? message.channel.permissionsFor(me)?.has(PermissionFlagsBits.ReadMessageHistory) : false;
    if (!allowed) {
      log.info("no Read Message History here: answering from the message alone", { guild: message.guildId, channel: message.channelId });
      return [];
    }
  }
  try {
    const fetched = await message.channel.messages.fetch({ limit: HISTORY_MESSAGES, before: message.id });
    return [...fetched.values()]
      .reverse()
      .map((m) => promptText(m, message.client.user.id))
      .filter((t) => t.length > 0);
  } catch (err) {
    log.warn("cannot read the channel's history: answering from the message alone", { channel: message.channelId, error: String(err) });
    return [];
  }
}

/** A seed from the message id: the same message always gets the same reply. */
function seedOf(messageId: string): number {
  return Number(BigInt(messageId) % 2147483647n);
}
