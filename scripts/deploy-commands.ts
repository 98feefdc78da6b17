/**
 * npm run deploy-commands: registers the slash commands of commands/ with Discord — in
 * DISCORD_GUILD_ID's guild when set (instant), else globally (may take up to an hour to show).
 */
import { loadConfig } from "../src/config.ts";
import { loadCommands } from "../src/adapters/discord/command-loader.ts";
import { deployCommands } from "../src/adapters/discord/deploy.ts";
import { describeStartupError } from "../src/adapters/discord/startup-error.ts";

try {
  const config = loadConfig();
  const commands = await loadCommands();
  const result = await deployCommands(config, commands);
  const where = result.scope === "guild" ? `in guild ${config.guildId}` : "globally";
  console.log(`registered ${result.names.length} command(s) ${where}: ${result.names.map((n) => `/${n}`).join(", ")}`);
  process.exit(0);
} catch (err) {
  console.error(`deploy-commands: ${describeStartupError(err)}`);
  process.exit(1);
}
