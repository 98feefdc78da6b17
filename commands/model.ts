/**
 * /model: the model that answers in this server — its architecture card, how it was trained
 * (steps, losses, tokens seen, when; this server's own or the default), and the loss curve of
 * the training that made it (src/app/replies/model.ts).
 */
import type { ChatInputCommandInteraction } from "discord.js";
import type { CommandContext } from "../src/adapters/discord/command.ts";
import { respond } from "../src/adapters/discord/outgoing.ts";
import { discordMessage } from "../src/adapters/discord/reply-format.ts";
import { slashData } from "../src/adapters/discord/slash-json.ts";
import { modelReply } from "../src/app/replies/model.ts";

export const data = slashData("model");

export const defer = "public";

export async function execute(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<void> {
  await respond(interaction, discordMessage(await modelReply({ ...ctx, space: interaction.guildId }, ctx)));
}
