/** /forget-me: delete my stored messages in this server, and say whether the model learned from them. */
import { type ChatInputCommandInteraction, SlashCommandBuilder } from "discord.js";
import { forgetAuthor } from "../src/app/privacy.ts";
import type { CommandContext } from "../src/adapters/discord/command.ts";
import { respond } from "../src/adapters/discord/outgoing.ts";

export const data = new SlashCommandBuilder()
  .setName("forget-me")
  .setNameLocalizations({ ja: "忘れて" })
  .setDescription("Delete your stored messages in this server")
  .setDescriptionLocalizations({ ja: "このサーバーに保存されたあなたのメッセージを削除します" });

export const guildOnly = true;

export async function execute(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<void> {
  const result = forgetAuthor(ctx.store, interaction.guildId!, interaction.user.id);
  await respond(interaction, ctx.text.forgotten(result), { ephemeral: true });
}
