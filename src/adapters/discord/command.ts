/**
 * The shape of a command file in commands/ (the discord.js guide's layout): the slash command's
 * definition as `data`, and `execute`, which stays thin and calls src/app.
 *
 *   export const data = new SlashCommandBuilder().setName("predict")…;
 *   export const defer = "public";                       // optional: the reply takes a while
 *   export const userPermissions = ["ManageGuild"];      // optional: admin commands
 *   export const botPermissions = ["ReadMessageHistory"]; // optional: what the bot needs here
 *   export async function execute(interaction, ctx) { … }
 *   export async function autocomplete(interaction, ctx) { … } // optional: suggestions while typing
 */
import type {
  AutocompleteInteraction,
  ChatInputCommandInteraction,
  PermissionsString,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
} from "discord.js";
import type { ModelRegistry } from "../../app/model-registry.ts";
import type { Trainings } from "../../app/training-service.ts";
import type { Config } from "../../config.ts";
import type { AsyncStore } from "../../store/async-store.ts";
import type { Lang, Strings } from "./i18n.ts";
import type { Logger } from "./log.ts";
import type { HeavyQueue } from "../../app/heavy-queue.ts";

export interface CommandContext {
  config: Config;
  store: AsyncStore;
  registry: ModelRegistry;
  /** guild trainings: one at a time per guild, in worker threads (or, with DATABASE_URL, queued for workers) */
  training: Trainings;
  log: Logger;
  /** runs heavy work (a forward pass, a picture) one job at a time, yielding in between */
  heavy: HeavyQueue;
  /** the user's language and the strings in it */
  lang: Lang;
  text: Strings;
}

export interface Command {
  data: { name: string; toJSON(): RESTPostAPIChatInputApplicationCommandsJSONBody };
  /** defer at once, before execute runs: for replies that can take more than a moment */
  defer?: "public" | "ephemeral";
  /** only in servers */
  guildOnly?: boolean;
  /** permissions the user needs (e.g. ManageGuild for admin commands) */
  userPermissions?: PermissionsString[];
  /** permissions the bot needs in the channel */
  botPermissions?: PermissionsString[];
  /** heavy work (a forward pass per token, several pictures): limited per user */
  expensive?: boolean;
  execute(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<void>;
  /** suggestions for an option with `autocomplete` in the catalogue, while it is typed */
  autocomplete?(interaction: AutocompleteInteraction, ctx: CommandContext): Promise<void>;
}
