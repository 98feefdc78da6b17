/**
 * What each shard's child process runs (spawned by startSharded). discord.js tells the client
 * its shard through the environment; the config comes from the parent as variables.
 */
import { loadConfig } from "../../config.ts";
import { startBot } from "./bot.ts";
import { describeStartupError } from "./startup-error.ts";

try {
  const config = loadConfig();
  const bot = await startBot(config);
  const stop = () => void bot.stop().finally(() => process.exit(0));
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
} catch (err) {
  console.error(describeStartupError(err));
  process.exit(1);
}
