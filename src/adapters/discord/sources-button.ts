/**
 * The button under the bot's chat replies in explain mode: pressed, it answers the one who
 * pressed it (ephemeral) with /sources of that reply — the stored training messages of this
 * server that share the longest stretches with it, under /sources' rules (authors hidden but
 * the asker's own, forgotten and expired messages never searched, the verbatim rule applied).
 *
 *   1. the reply's text: the message the button is under, before its explain-mode breakdown;
 *   2. the per-user limit of expensive work;
 *   3. /sources' use case with this server's scope and the presser as the asker.
 */
import { ActionRowBuilder, ButtonBuilder, type ButtonInteraction, ButtonStyle, MessageFlags } from "discord.js";
import { redactorFor } from "../../app/redaction.ts";
import { sourcesReply } from "../../app/replies/sources.ts";
import { sourceScopeFor } from "../../app/sources.ts";
import type { DispatchDeps } from "./dispatcher.ts";
import { langOfLocale, strings } from "./i18n.ts";
import { respond, respondAll } from "./outgoing.ts";
import { discordMessages } from "./reply-format.ts";

export const SOURCES_BUTTON = "chat-sources";

/** Where an explain-mode reply's breakdown starts (chat.ts writes it so). */
export const BREAKDOWN_MARK = "\n\n-# ";

export function sourcesButtonRow(label: string): ActionRowBuilder<ButtonBuilder> {
  return new ActionRowBuilder<ButtonBuilder>().addComponents(
    new ButtonBuilder().setCustomId(SOURCES_BUTTON).setLabel(label).setStyle(ButtonStyle.Secondary),
  );
}

/** The chat reply's own words in an explain-mode message: the text before its breakdown. */
export function replyTextOf(content: string): string {
  const at = content.indexOf(BREAKDOWN_MARK);
  return (at < 0 ? content : content.slice(0, at)).trim();
}

export async function answerSourcesButton(interaction: ButtonInteraction, deps: DispatchDeps): Promise<void> {
  const lang = langOfLocale(interaction.locale);
  const text = strings(lang);
  // 1.
  const said = replyTextOf(interaction.message.content);
  if (said === "") return respond(interaction, text.commandFailed("sources"), { ephemeral: true });
  // 2.
  const wait = deps.rateLimiter?.take(interaction.user.id) ?? 0;
  if (wait > 0) return respond(interaction, text.tryAgainIn(wait), { ephemeral: true });
  // 3.
  await deps.heavy.urgent(interaction.deferReply({ flags: MessageFlags.Ephemeral }));
  const guild = interaction.guildId;
  const handle = await deps.registry.forGuild(guild);
  const reply = await sourcesReply(
    {
      handle,
      lang,
      heavy: deps.heavy,
      redactor: await redactorFor(deps.store, guild),
      sources: guild ? sourceScopeFor(deps.store, guild, interaction.user.id) : null,
    },
    { text: said },
  )();
  await respondAll(interaction, discordMessages(reply), { ephemeral: true });
}
