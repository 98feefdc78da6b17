/** /forget-me: delete my stored messages in this server, and say whether the model learned from them. */
import type { ChatInputCommandInteraction } from "discord.js";
import { forgetAuthor } from "../src/app/privacy.ts";
import type { CommandContext } from "../src/adapters/discord/command.ts";
import { respond } from "../src/adapters/discord/outgoing.ts";
import { slashData } from "../src/adapters/discord/slash-json.ts";

export const data = slashData("forget-me");

export async function execute(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<void> {
  const result = forgetAuthor(ctx.store, interaction.guildId!, interaction.user.id);
  await respond(interaction, ctx.text.forgotten(result), { ephemeral: true });
}
