/**
 * /explain [topic] [text]: how a language model works, told with this server's live model.
 * Without a topic: the learning path (which topic to read first).
 */
import type { ChatInputCommandInteraction } from "discord.js";
import { explainTopic, explanationMessage, listTopics } from "../src/app/explain/index.ts";
import type { TopicName } from "../src/explain/topics.ts";
import type { CommandContext } from "../src/adapters/discord/command.ts";
import { respond } from "../src/adapters/discord/outgoing.ts";
import { slashData } from "../src/adapters/discord/slash-json.ts";
import type { Lang } from "../src/lang.ts";
import { redactorFor } from "../src/app/redaction.ts";
import { identityOf, isStoredModel } from "../src/app/model-identity.ts";

export const data = slashData("explain");

export const defer = "public";

/** heavy: limited per user */
export const expensive = true;

export async function execute(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<void> {
  const topic = interaction.options.getString("topic") as TopicName | null;
  const lang = (interaction.options.getString("language") as Lang | null) ?? ctx.lang;
  const text = interaction.options.getString("text") ?? undefined;
  if (topic === null) {
    await respond(interaction, listTopics(lang).text);
    return;
  }
  const handle = await ctx.registry.forGuild(interaction.guildId);
  const stored = interaction.guildId ? ctx.store.models.latestInfo(interaction.guildId) : undefined;
  const isGuildModel = stored !== undefined && stored !== null && isStoredModel(identityOf(handle), stored.id);
  const explanation = await ctx.heavy(() =>
    explainTopic(handle, topic, { lang, text, isGuildModel, redactor: redactorFor(ctx.store, interaction.guildId) }),
  );
  await respond(interaction, {
    content: explanationMessage(explanation),
    files: explanation.pictures.map((p) => ({ name: p.name, data: p.png })),
  });
}
