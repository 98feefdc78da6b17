/**
 * `npm start`: with DISCORD_TOKEN set (in the environment or .env), the Discord bot; without it,
 * the same bot in a browser: the web playground on http://127.0.0.1:3000/ (PORT, HOST).
 * `npm run console` is the same bot in this terminal.
 */
import { existsSync, readFileSync } from "node:fs";
import { type Config, ConfigError, loadConfig, parseEnvFile } from "./config.ts";

function tokenIsSet(): boolean {
  if (process.env.DISCORD_TOKEN?.trim()) return true;
  if (!existsSync(".env")) return false;
  try {
    return Boolean(parseEnvFile(readFileSync(".env", "utf8")).DISCORD_TOKEN?.trim());
  } catch {
    return true; // a broken .env: let loadConfig report it
  }
}

async function startDiscord(): Promise<number> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n(see .env.example)\n`);
      return 1;
    }
    throw err;
  }
  const { startBot, startSharded } = await import("./adapters/discord/bot.ts");
  const { describeStartupError } = await import("./adapters/discord/startup-error.ts");
  try {
    const handle = config.shards !== undefined ? await startSharded(config) : await startBot(config);
    const stop = async () => {
      await handle.stop();
      process.exit(0);
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    return 0;
  } catch (err) {
    process.stderr.write(`${describeStartupError(err, config.apiUrl)}\n`);
    return 1;
  }
}

if (tokenIsSet()) {
  const code = await startDiscord();
  if (code !== 0) process.exit(code);
} else {
  const code = await startPlaygroundFromEnv();
  if (code !== 0) process.exit(code);
}

async function startPlaygroundFromEnv(): Promise<number> {
  const { playgroundSettings, startPlayground } = await import("./adapters/web/playground.ts");
  try {
    // PORT, HOST and DATABASE_PATH may come from .env too (the real environment wins)
    let fileEnv: Record<string, string> = {};
    try {
      if (existsSync(".env")) fileEnv = parseEnvFile(readFileSync(".env", "utf8"));
    } catch {
      // a broken .env matters to the bot (it reports it); the playground uses the environment
    }
    const playground = await startPlayground(playgroundSettings({ ...fileEnv, ...process.env }));
    const secret = playground.secret;
    const lines = [
      `MiniGPT playground: open ${secret?.created ? playground.web.loginUrl : playground.web.url} in your browser (no DISCORD_TOKEN is set, so the bot runs here).`,
      ...(secret === null
        ? []
        : secret.created
          ? [
              `It is shared on the network (HOST), so it asks for a secret: that link carries it and is printed only this once; the secret is kept in ${secret.file}.`,
            ]
          : [
              `It is shared on the network (HOST), so it asks for the secret kept in ${secret.file}: open ${playground.web.url}?key=<that secret> once, or send Authorization: Bearer <that secret>.`,
            ]),
      "The console version: npm run console · stop: Ctrl+C",
    ];
    process.stdout.write(`${lines.join("\n")}\n`);
    const stop = async () => {
      await playground.stop();
      process.exit(0);
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    return 0;
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}
