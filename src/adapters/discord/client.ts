/**
 * The discord.js client: the intents the bot needs (slash commands, messages that mention it,
 * DMs), DM channels as partials (they are not cached before their first message), REST pointed
 * at DISCORD_API_URL, and no pings by default.
 */
import { Client, GatewayIntentBits, Partials } from "discord.js";
import type { Config } from "../../config.ts";

export function createClient(config: Config): Client {
  // Inside a ShardingManager child discord.js reads the shard ids from the environment;
  // otherwise it runs every shard Discord recommends in this process.
  const underShardingManager = process.env.SHARDING_MANAGER === "true";
  return new Client({
    intents: [
      GatewayIntentBits.Guilds,
      GatewayIntentBits.GuildMessages,
      GatewayIntentBits.MessageContent,
      GatewayIntentBits.DirectMessages,
    ],
    partials: [Partials.Channel, Partials.Message], // Message: deletes and edits of messages sent before the bot started
    rest: { api: config.apiUrl },
    allowedMentions: { parse: [], repliedUser: false },
    failIfNotExists: false,
    ...(underShardingManager ? {} : { shards: "auto" as const }),
  });
}
