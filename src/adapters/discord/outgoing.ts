/**
 * Everything the bot sends goes through here: no message can ping anyone
 * (allowedMentions parse [] and no reply ping), text longer than Discord's 2000 characters is
 * cut cleanly at a line or word boundary with "…", and files become attachments.
 */
import {
  type APIActionRowComponent,
  type APIComponentInMessageActionRow,
  type ActionRowBuilder,
  AttachmentBuilder,
  type ButtonBuilder,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type InteractionReplyOptions,
  type Message,
  MessageFlags,
} from "discord.js";

/** Discord's limit for a message's content. */
export const MESSAGE_LIMIT = 2000;
const ELLIPSIS = "…";
const CODE_FENCE = "```";

export interface Outgoing {
  content?: string;
  files?: { name: string; data: Uint8Array }[];
  /** message components: the /sources button under an explain-mode chat reply (builders), a training's "Use it" (component JSON) */
  components?: readonly (ActionRowBuilder<ButtonBuilder> | APIActionRowComponent<APIComponentInMessageActionRow>)[];
}

/** The options discord.js takes, with the safety settings applied. */
export function messageOptions(message: string | Outgoing) {
  const m = typeof message === "string" ? { content: message } : message;
  return {
    ...(m.content !== undefined && { content: cutText(m.content) }),
    ...(m.files && {
      files: m.files.map((f) => new AttachmentBuilder(Buffer.from(f.data.buffer, f.data.byteOffset, f.data.byteLength), { name: f.name })),
    }),
    ...(m.components && { components: [...m.components] }),
    allowedMentions: { parse: [], repliedUser: false },
  };
}

/**
 * Answers an interaction in whatever state it is in: the first reply; after a deferral, the
 * original message is edited — every time, so a long task can keep one message up to date
 * (discord.js marks a deferred interaction "replied" after its first edit); after a plain
 * reply, a follow-up. An ephemeral answer to a public deferral is an ephemeral follow-up (a
 * deferral's visibility cannot change afterwards); if nothing but "thinking…" was shown yet,
 * that message is deleted first.
 */
export async function respond(
  interaction: ChatInputCommandInteraction | ButtonInteraction,
  message: string | Outgoing,
  options: { ephemeral?: boolean } = {},
): Promise<void> {
  const payload = messageOptions(message);
  const flags = options.ephemeral ? MessageFlags.Ephemeral : undefined;
  if (interaction.deferred) {
    if (options.ephemeral && !interaction.ephemeral) {
      if (!interaction.replied) await interaction.deleteReply().catch(() => undefined);
      await interaction.followUp({ ...payload, flags: MessageFlags.Ephemeral });
    } else {
      await interaction.editReply(payload);
    }
  } else if (interaction.replied) {
    await interaction.followUp({ ...payload, ...(flags !== undefined && { flags }) } as InteractionReplyOptions);
  } else {
    await interaction.reply({ ...payload, ...(flags !== undefined && { flags }) } as InteractionReplyOptions & { withResponse?: false });
  }
}

/**
 * Answers with several messages in order (a reply longer than one message): the first as
 * respond() sends it, the others as follow-ups of the same visibility.
 */
export async function respondAll(
  interaction: ChatInputCommandInteraction | ButtonInteraction,
  messages: readonly Outgoing[],
  options: { ephemeral?: boolean } = {},
): Promise<void> {
  const [first, ...more] = messages;
  await respond(interaction, first ?? { content: "" }, options);
  for (const message of more)
    await interaction.followUp({ ...messageOptions(message), ...(options.ephemeral && { flags: MessageFlags.Ephemeral }) });
}

/** Posts in a channel (e.g. when an interaction's 15-minute token has run out), pinging nobody. */
export async function sendToChannel(
  channel: { send(options: ReturnType<typeof messageOptions>): Promise<unknown> },
  message: string | Outgoing,
): Promise<void> {
  await channel.send(messageOptions(message));
}

/** Replies to a message without pinging its author. */
export async function replyToMessage(message: Message, content: string | Outgoing): Promise<Message> {
  return message.reply(messageOptions(content));
}

/**
 * Cuts text to `limit` characters: at the last line break, else the last space, in the second
 * half of the allowed length, else mid-word; never inside a surrogate pair; ends with "…" and
 * closes a code block left open.
 */
export function cutText(text: string, limit = MESSAGE_LIMIT): string {
  if (text.length <= limit) return text;
  // room for the ellipsis and a possible closing fence
  const room = limit - ELLIPSIS.length - (CODE_FENCE.length + 1);
  let cut = room;
  // 1. never split a surrogate pair
  if (isHighSurrogate(text.charCodeAt(cut - 1))) cut--;
  // 2. prefer a line break, then a space, not too far back
  const head = text.slice(0, cut);
  const minimum = Math.floor(room / 2);
  const newline = head.lastIndexOf("\n");
  const space = Math.max(head.lastIndexOf(" "), head.lastIndexOf("\u3000"));
  if (newline >= minimum) cut = newline;
  else if (space >= minimum) cut = space;
  let out = text.slice(0, cut).trimEnd() + ELLIPSIS;
  // 3. an odd number of fences means a code block is open: close it
  if ((out.split(CODE_FENCE).length - 1) % 2 === 1) out += `\n${CODE_FENCE}`;
  return out;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/**
 * Makes mentions in text that came from users or the model inert: a zero-width space after
 * every "@" (so "@everyone", "<@123>" and "<@&456>" are plain text even without allowedMentions).
 */
export function inertMentions(text: string): string {
  return text.replace(/@/g, "@\u200b");
}
