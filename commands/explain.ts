/**
 * /explain [topic] [text]: how a language model works, told with this server's live model.
 * Without a topic: the learning path (which topic to read first).
 */
import { type ChatInputCommandInteraction, SlashCommandBuilder } from "discord.js";
import { explainTopic, explanationMessage, listTopics } from "../src/app/explain/index.ts";
import { TOPICS, type TopicName } from "../src/explain/topics.ts";
import { MAX_INPUT_CHARS } from "../src/app/prompt.ts";
import { guildModelName } from "../src/app/model-registry.ts";
import type { CommandContext } from "../src/adapters/discord/command.ts";
import { respond } from "../src/adapters/discord/outgoing.ts";

export const data = new SlashCommandBuilder()
  .setName("explain")
  .setNameLocalizations({ ja: "説明" })
  .setDescription("How a language model works, shown with this server's own model")
  .setDescriptionLocalizations({ ja: "言語モデルのしくみを、このサーバーのモデルの実際の数字で説明します" })
  .addStringOption((o) =>
    o
      .setName("topic")
      .setNameLocalizations({ ja: "テーマ" })
      .setDescription("What to explain (leave empty for the list, in reading order)")
      .setDescriptionLocalizations({ ja: "説明するテーマ（空なら読む順番の一覧）" })
      .addChoices(...TOPICS.map((t) => ({ name: t, value: t }))),
  )
  .addStringOption((o) =>
    o
      .setName("language")
      .setNameLocalizations({ ja: "言語" })
      .setDescription("Language of the explanation (default: yours)")
      .setDescriptionLocalizations({ ja: "説明の言語（省略するとあなたの言語）" })
      .addChoices({ name: "日本語", value: "ja" }, { name: "English", value: "en" }),
  )
  .addStringOption((o) =>
    o
      .setName("text")
      .setNameLocalizations({ ja: "テキスト" })
      .setDescription("Your own sentence to use in the example")
      .setDescriptionLocalizations({ ja: "例に使う自分の文章" })
      .setMaxLength(MAX_INPUT_CHARS),
  );

export const defer = "public";

/** heavy: limited per user */
export const expensive = true;

export async function execute(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<void> {
  const topic = interaction.options.getString("topic") as TopicName | null;
  const lang = (interaction.options.getString("language") as "ja" | "en" | null) ?? ctx.lang;
  const text = interaction.options.getString("text") ?? undefined;
  if (topic === null) {
    await respond(interaction, listTopics(lang).text);
    return;
  }
  const handle = await ctx.registry.forGuild(interaction.guildId);
  const stored = interaction.guildId ? ctx.store.models.latestInfo(interaction.guildId) : undefined;
  const isGuildModel = stored !== undefined && stored !== null && handle.name === guildModelName(stored.id);
  const explanation = await ctx.heavy(() => explainTopic(handle, topic, { lang, text, isGuildModel }));
  await respond(interaction, {
    content: explanationMessage(explanation),
    files: explanation.pictures.map((p) => ({ name: p.name, data: p.png })),
  });
}
