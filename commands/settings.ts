/** /settings explain on|off: per-user explain mode for chat replies. */
import { type ChatInputCommandInteraction, SlashCommandBuilder } from "discord.js";
import { setExplainMode } from "../src/app/user-settings.ts";
import type { CommandContext } from "../src/adapters/discord/command.ts";
import { respond } from "../src/adapters/discord/outgoing.ts";

export const data = new SlashCommandBuilder()
  .setName("settings")
  .setNameLocalizations({ ja: "設定" })
  .setDescription("Your settings for this bot")
  .setDescriptionLocalizations({ ja: "このボットのあなた用の設定" })
  .addSubcommand((sub) =>
    sub
      .setName("explain")
      .setNameLocalizations({ ja: "説明モード" })
      .setDescription("Chat replies show how each token was chosen, with a step-by-step picture")
      .setDescriptionLocalizations({ ja: "チャットの返事に、各トークンの選ばれ方と1ステップずつの図をつけます" })
      .addStringOption((o) =>
        o
          .setName("mode")
          .setNameLocalizations({ ja: "モード" })
          .setDescription("on or off")
          .setDescriptionLocalizations({ ja: "オンかオフ" })
          .setRequired(true)
          .addChoices(
            { name: "on", name_localizations: { ja: "オン" }, value: "on" },
            { name: "off", name_localizations: { ja: "オフ" }, value: "off" },
          ),
      ),
  );

export async function execute(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<void> {
  const on = interaction.options.getString("mode", true) === "on";
  setExplainMode(ctx.store, interaction.guildId, interaction.user.id, on);
  await respond(interaction, ctx.text.explainModeSet(on), { ephemeral: true });
}
