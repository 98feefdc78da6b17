/** Start-up failures as one line a host can act on (never a stack trace). */
import { DiscordjsErrorCodes } from "discord.js";
import { ConfigError } from "../../config.ts";
import { StoreOpenError } from "../../store/database-url.ts";

export function describeStartupError(err: unknown, apiUrl?: string): string {
  // a store that cannot be opened says so itself (its connection error is not Discord's)
  if (err instanceof ConfigError || err instanceof StoreOpenError) return err.message;
  const code = (err as { code?: unknown })?.code;
  if (code === DiscordjsErrorCodes.TokenInvalid || (err as { status?: unknown })?.status === 401) {
    return "Discord rejected DISCORD_TOKEN (401 Unauthorized): the token is wrong or was reset. Copy a new one from the Developer Portal (Bot → Reset Token).";
  }
  if (code === DiscordjsErrorCodes.TokenMissing) return "DISCORD_TOKEN is missing.";
  // discord.js's own code, or @discordjs/ws's plain error on gateway close code 4014
  if (code === DiscordjsErrorCodes.DisallowedIntents || (err instanceof Error && err.message === "Used disallowed intents")) {
    return "Discord refused the Message Content intent: enable it in the Developer Portal (Bot → Privileged Gateway Intents → Message Content Intent).";
  }
  const cause = (err as { cause?: { code?: string } })?.cause?.code ?? (typeof code === "string" ? code : undefined);
  if (cause === "ECONNREFUSED" || cause === "ENOTFOUND" || cause === "UND_ERR_CONNECT_TIMEOUT") {
    return `cannot reach Discord at ${apiUrl ?? "DISCORD_API_URL"} (${cause}): check the network and DISCORD_API_URL.`;
  }
  return `the bot could not start: ${err instanceof Error ? err.message : String(err)}`;
}
