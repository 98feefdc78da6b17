/** /privacy: exactly what the bot stores and for how long. */
import { type ChatInputCommandInteraction, SlashCommandBuilder } from "discord.js";
import type { CommandContext } from "../src/adapters/discord/command.ts";
import { respond } from "../src/adapters/discord/outgoing.ts";

export const data = new SlashCommandBuilder()
  .setName("privacy")
  .setNameLocalizations({ ja: "プライバシー" })
  .setDescription("What this bot stores about you, and for how long")
  .setDescriptionLocalizations({ ja: "このボットが保存するものと、その期間" });

export async function execute(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<void> {
  await respond(interaction, ctx.text.privacy, { ephemeral: true });
}
