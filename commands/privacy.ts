/** /privacy: exactly what the bot stores and for how long. */
import type { ChatInputCommandInteraction } from "discord.js";
import type { CommandContext } from "../src/adapters/discord/command.ts";
import { respond } from "../src/adapters/discord/outgoing.ts";
import { slashData } from "../src/adapters/discord/slash-json.ts";

export const data = slashData("privacy");

export async function execute(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<void> {
  await respond(interaction, ctx.text.privacy, { ephemeral: true });
}
