/**
 * Registers the slash commands with Discord: in one guild when DISCORD_GUILD_ID is set
 * (instant, for development), else globally. Replaces the whole list in one PUT.
 */
import { type Collection, REST, Routes } from "discord.js";
import type { Config } from "../../config.ts";
import type { Command } from "./command.ts";

export interface DeployResult {
  scope: "guild" | "global";
  names: string[];
}

export async function deployCommands(config: Config, commands: Collection<string, Command>): Promise<DeployResult> {
  const rest = new REST({ api: config.apiUrl }).setToken(config.token);
  const body = [...commands.values()].map((c) => c.data.toJSON());
  const route = config.guildId
    ? Routes.applicationGuildCommands(config.applicationId, config.guildId)
    : Routes.applicationCommands(config.applicationId);
  const registered = (await rest.put(route, { body })) as { name: string }[];
  return { scope: config.guildId ? "guild" : "global", names: registered.map((c) => c.name) };
}
