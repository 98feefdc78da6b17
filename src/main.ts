/**
 * `npm start`: with DISCORD_TOKEN set, the Discord bot; without it, the same bot locally on the
 * shipped default model, in this console.
 */
import { runCli } from "./adapters/cli/main.ts";

process.exitCode = await runCli(["chat", ...process.argv.slice(2)]);
