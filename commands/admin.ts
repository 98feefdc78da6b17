/**
 * /admin channels|retention|wipe (Manage Server): which channels /train may read, how long
 * stored messages are kept, and wiping the server's data.
 */
import type { ChatInputCommandInteraction } from "discord.js";
import { applyRetention, setAllowedChannels, setRetentionDays } from "../src/app/guild-policy.ts";
import type { CommandContext } from "../src/adapters/discord/command.ts";
import { respond } from "../src/adapters/discord/outgoing.ts";
import { slashData } from "../src/adapters/discord/slash-json.ts";

export const data = slashData("admin");

export async function execute(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<void> {
  const guildId = interaction.guildId!;
  const sub = interaction.options.getSubcommand();
  if (sub === "channels") {
    const ids = [...(interaction.options.getString("channels") ?? "").matchAll(/<#(\d+)>|\b(\d{15,20})\b/g)].map((m) => m[1] ?? m[2]);
    setAllowedChannels(ctx.store, guildId, ids);
    await respond(interaction, ctx.text.adminChannels(ids.map((id) => `<#${id}>`)), { ephemeral: true });
  } else if (sub === "retention") {
    const days = interaction.options.getInteger("days", true);
    setRetentionDays(ctx.store, guildId, days);
    applyRetention(ctx.store, guildId);
    await respond(interaction, ctx.text.adminRetention(days), { ephemeral: true });
  } else {
    if (interaction.options.getBoolean("confirm") !== true) {
      await respond(interaction, ctx.text.adminWipeNeedsConfirm, { ephemeral: true });
      return;
    }
    // a running training first: it must never install a model trained on what is wiped
    await ctx.training.discard(guildId);
    const rows = ctx.store.forgetGuild(guildId);
    ctx.registry.forget(guildId);
    await respond(interaction, ctx.text.adminWiped(rows), { ephemeral: true });
  }
}
