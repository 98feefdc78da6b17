/**
 * /train start [channels] [max_messages] [minutes] [preset] · /train status · /train stop
 * Trains this server's own model on its channels' history (in a worker thread), with a live
 * loss curve; the new model replaces the old one when it is complete. Admins only.
 */
import type { AutocompleteInteraction, ChatInputCommandInteraction } from "discord.js";
import type { CommandContext } from "../src/adapters/discord/command.ts";
import { startTraining, stopTraining, suggestBases, trainingStatus } from "../src/adapters/discord/train-flow.ts";
import { slashData } from "../src/adapters/discord/slash-json.ts";

export const data = slashData("train");

/** /train start base:… suggests the models this server may fine-tune. */
export async function autocomplete(interaction: AutocompleteInteraction, ctx: CommandContext): Promise<void> {
  return suggestBases(interaction, ctx);
}

export async function execute(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<void> {
  switch (interaction.options.getSubcommand()) {
    case "start":
      return startTraining(interaction, ctx);
    case "status":
      return trainingStatus(interaction, ctx);
    case "stop":
      return stopTraining(interaction, ctx);
    default:
      throw new Error(`unknown subcommand of /train: ${interaction.options.getSubcommand()}`);
  }
}
