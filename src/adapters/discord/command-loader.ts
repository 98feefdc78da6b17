/**
 * Loads the command files of commands/ (one file per slash command) into a collection keyed by
 * command name. A file missing `data` or `execute`, or a duplicate name, is an error naming the file.
 */
import { readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Collection } from "discord.js";
import { CATALOGUE, commandsOn } from "../../app/catalogue/index.ts";
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
  // every Discord command of the catalogue has its file (and a file's data comes from the catalogue)
  if (dir === COMMANDS_DIR) {
    const missing = commandsOn("discord").filter((c) => !commands.has(c.name));
    if (missing.length > 0)
      throw new Error(`the catalogue lists ${missing.map((c) => `/${c.name}`).join(", ")} for Discord, but ${dir} has no file for it`);
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
  // who may run it comes from the catalogue (a file may still say otherwise, e.g. in tests)
  const spec = CATALOGUE.find((c) => c.name === name && c.on.includes("discord"));
  const guildOnly = module.guildOnly ?? spec?.guildOnly;
  const userPermissions = module.userPermissions ?? (spec?.adminOnly ? (["ManageGuild"] as const) : undefined);
  const command: Command = {
    data: module.data,
    execute: module.execute,
    ...(module.autocomplete !== undefined && { autocomplete: module.autocomplete }),
    ...(module.defer !== undefined && { defer: module.defer }),
    ...(guildOnly !== undefined && { guildOnly }),
    ...(module.expensive !== undefined && { expensive: module.expensive }),
    ...(userPermissions !== undefined && { userPermissions: [...userPermissions] }),
    ...(module.botPermissions !== undefined && { botPermissions: module.botPermissions }),
  };
  return [name, command];
}
