/**
 * npm run deploy-commands: registers the slash commands of commands/ with Discord — in
 * DISCORD_GUILD_ID's guild when set (instant), else globally (may take up to an hour to show).
 * `npm run -s deploy-commands -- --print` prints the JSON array it would register (derived from
 * the command catalogue), with no network and no token.
 */
import { loadConfig } from "../src/config.ts";
import { loadCommands } from "../src/adapters/discord/command-loader.ts";
import { deployCommands } from "../src/adapters/discord/deploy.ts";
import { describeStartupError } from "../src/adapters/discord/startup-error.ts";

try {
  const commands = await loadCommands();
  if (process.argv.includes("--print")) {
    process.stdout.write(
      `${JSON.stringify(
        [...commands.values()].map((c) => c.data.toJSON()),
        null,
        2,
      )}\n`,
    );
    process.exit(0);
  }
  const config = loadConfig();
  const result = await deployCommands(config, commands);
  const where = result.scope === "guild" ? `in guild ${config.guildId}` : "globally";
  console.log(`registered ${result.names.length} command(s) ${where}: ${result.names.map((n) => `/${n}`).join(", ")}`);
  process.exit(0);
} catch (err) {
  console.error(`deploy-commands: ${describeStartupError(err)}`);
  process.exit(1);
}
