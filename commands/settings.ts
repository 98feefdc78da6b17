/** /settings explain on|off: per-user explain mode for chat replies. */
import type { ChatInputCommandInteraction } from "discord.js";
import { setExplainMode } from "../src/app/user-settings.ts";
import type { CommandContext } from "../src/adapters/discord/command.ts";
import { respond } from "../src/adapters/discord/outgoing.ts";
import { slashData } from "../src/adapters/discord/slash-json.ts";

export const data = slashData("settings");

export async function execute(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<void> {
  const on = interaction.options.getString("mode", true) === "on";
  setExplainMode(ctx.store, interaction.guildId, interaction.user.id, on);
  await respond(interaction, ctx.text.explainModeSet(on), { ephemeral: true });
}
