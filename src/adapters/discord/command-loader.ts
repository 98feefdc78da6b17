/**
 * Loads the command files of commands/ (one file per slash command) into a collection keyed by
 * command name. A file missing `data` or `execute`, or a duplicate name, is an error naming the file.
 */
import { readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Collection } from "discord.js";
import type { Command } from "./command.ts";

/** The project's commands/ folder. */
export const COMMANDS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../commands");

export async function loadCommands(dir: string = COMMANDS_DIR): Promise<Collection<string, Command>> {
  const commands = new Collection<string, Command>();
  const files = readdirSync(dir)
    .filter((f) => /\.(ts|js|mjs)$/.test(f) && !f.endsWith(".d.ts"))
    .sort();
  for (const file of files) {
    const full = path.join(dir, file);
    const module = (await import(pathToFileURL(full).href)) as Partial<Command>;
    commands.set(...checkCommand(module, full, commands));
  }
  return commands;
}

/** Builds a collection from command modules already imported (tests, other entry points). */
export function commandCollection(modules: Iterable<Partial<Command>>): Collection<string, Command> {
  const commands = new Collection<string, Command>();
  for (const module of modules) commands.set(...checkCommand(module, module.data?.name ?? "(unnamed)", commands));
  return commands;
}

function checkCommand(module: Partial<Command>, source: string, existing: Collection<string, Command>): [string, Command] {
  if (!module.data || typeof module.data.toJSON !== "function" || typeof module.data.name !== "string") {
    throw new Error(`${source}: a command file must export \`data\` (a SlashCommandBuilder)`);
  }
  if (typeof module.execute !== "function")
    throw new Error(`${source}: a command file must export an \`execute(interaction, ctx)\` function`);
  const name = module.data.name;
  if (existing.has(name)) throw new Error(`${source}: the command name /${name} is already used by another file`);
  const command: Command = {
    data: module.data,
    execute: module.execute,
    ...(module.defer !== undefined && { defer: module.defer }),
    ...(module.guildOnly !== undefined && { guildOnly: module.guildOnly }),
    ...(module.expensive !== undefined && { expensive: module.expensive }),
    ...(module.userPermissions !== undefined && { userPermissions: module.userPermissions }),
    ...(module.botPermissions !== undefined && { botPermissions: module.botPermissions }),
  };
  return [name, command];
}
