/**
 * The single entry for interactions: finds the command by name, checks where it may run and
 * who may run it, defers slow commands at once (Discord's 3-second rule), runs it, and turns
 * any error into one ephemeral line for the user (the details go to the log, never to the chat).
 */
import {
  type AutocompleteInteraction,
  type ChatInputCommandInteraction,
  type Collection,
  type Interaction,
  MessageFlags,
  type PermissionsString,
} from "discord.js";
import { CATALOGUE } from "../../app/catalogue/index.ts";
import { InputError } from "../../app/prompt.ts";
import { handleModelButton, isModelButton } from "./model-buttons.ts";
import type { Command, CommandContext } from "./command.ts";
import { langOfLocale, strings, type Strings } from "./i18n.ts";
import { respond } from "./outgoing.ts";
import type { RateLimiter } from "../../app/rate-limit.ts";
import { answerSourcesButton, SOURCES_BUTTON } from "./sources-button.ts";

export type DispatchDeps = Omit<CommandContext, "lang" | "text"> & {
  commands: Collection<string, Command>;
  rateLimiter?: RateLimiter | null;
};

export async function dispatchInteraction(interaction: Interaction, deps: DispatchDeps): Promise<void> {
  if (interaction.isAutocomplete()) return dispatchAutocomplete(interaction, deps);
  if (interaction.isButton() && isModelButton(interaction.customId)) {
    const lang = langOfLocale(interaction.locale);
    return handleModelButton(interaction, { ...deps, lang, text: strings(lang) }).catch((err: unknown) =>
      deps.log.error("a model button failed", { interaction: interaction.id, guild: interaction.guildId }, err),
    );
  }
  if (interaction.isButton() && interaction.customId === SOURCES_BUTTON) {
    await answerSourcesButton(interaction, deps).catch(async (err: unknown) => {
      deps.log.error(
        "the sources button failed",
        { interaction: interaction.id, guild: interaction.guildId, user: interaction.user.id },
        err,
      );
      await respond(interaction, strings(langOfLocale(interaction.locale)).commandFailed("sources"), { ephemeral: true }).catch(
        () => undefined,
      );
    });
    return;
  }
  if (!interaction.isChatInputCommand()) return;
  const lang = langOfLocale(interaction.locale);
  const text = strings(lang);
  const name = interaction.commandName;
  const where = interactionContext(interaction);

  // 1. the command, and whether it may run here, for this user, with the bot's permissions
  const command = deps.commands.get(name);
  let refusal = command === undefined ? text.unknownCommand(name) : refusalFor(command, interaction, text);
  if (refusal === undefined && command?.expensive && deps.rateLimiter) {
    const wait = deps.rateLimiter.take(interaction.user.id);
    if (wait > 0) refusal = text.tryAgainIn(wait);
  }
  if (refusal !== undefined) {
    if (command === undefined) deps.log.warn("unknown command", where);
    await deps.heavy
      .urgent(respond(interaction, refusal, { ephemeral: true }))
      .catch((err: unknown) => deps.log.error("cannot send a refusal", where, err));
    return;
  }

  // 2. run it, deferring first when it says it is slow (heavy jobs wait while the deferral is out)
  try {
    if (command!.defer)
      await deps.heavy.urgent(interaction.deferReply(command!.defer === "ephemeral" ? { flags: MessageFlags.Ephemeral } : {}));
    await command!.execute(interaction, { ...deps, lang, text });
  } catch (err) {
    // 3. one line for the user; the stack for the log
    const line = userMessageFor(err, text, name);
    if (!(err instanceof InputError)) deps.log.error(`/${name} failed`, where, err);
    await respond(interaction, line, { ephemeral: true }).catch((sendErr: unknown) =>
      deps.log.error(`cannot report the failure of /${name}`, where, sendErr),
    );
  }
}

/** Suggestions while an option is typed: the command's own (none when it has no autocomplete). */
async function dispatchAutocomplete(interaction: AutocompleteInteraction, deps: DispatchDeps): Promise<void> {
  const command = deps.commands.get(interaction.commandName);
  const lang = langOfLocale(interaction.locale);
  try {
    if (command?.autocomplete) await command.autocomplete(interaction, { ...deps, lang, text: strings(lang) });
    else await interaction.respond([]);
  } catch (err) {
    deps.log.error(`suggestions for /${interaction.commandName} failed`, { interaction: interaction.id, guild: interaction.guildId }, err);
    await interaction.respond([]).catch(() => undefined);
  }
}

/**
 * The permissions a user needs for this interaction: the command's own, else those of its
 * subcommand when the catalogue marks it adminOnly (`/model use`: Manage Server; `/model list`: none).
 */
function neededPermissions(command: Command, interaction: ChatInputCommandInteraction): PermissionsString[] {
  if (command.userPermissions?.length) return command.userPermissions;
  const sub = interaction.options.getSubcommand(false);
  const spec = CATALOGUE.find((c) => c.name === interaction.commandName && c.on.includes("discord"));
  return sub !== null && spec?.subcommands?.find((s) => s.name === sub)?.adminOnly ? ["ManageGuild"] : [];
}

/** Why the command may not run here (translated), or undefined if it may. */
function refusalFor(command: Command, interaction: ChatInputCommandInteraction, text: Strings): string | undefined {
  const inGuild = interaction.inGuild();
  const needed = neededPermissions(command, interaction);
  if ((command.guildOnly || needed.length > 0) && !inGuild) return text.guildOnly;
  const userMissing = needed.length > 0 ? (interaction.memberPermissions?.missing(needed) ?? needed) : [];
  if (userMissing.length > 0) return text.userLacks(userMissing);
  const botMissing = inGuild && command.botPermissions?.length ? interaction.appPermissions.missing(command.botPermissions) : [];
  if (botMissing.length > 0) return text.botLacks(botMissing);
  return undefined;
}

/**
 * What to tell the user about an error: an input problem as its own message (commands translate
 * the ones they know, with the values), a missing model, or "failed".
 */
export function userMessageFor(err: unknown, text: Strings, commandName: string): string {
  if (err instanceof InputError) return err.message;
  if (isMissingFile(err)) return text.modelMissing;
  return text.commandFailed(commandName);
}

function isMissingFile(err: unknown): boolean {
  for (let e = err; e instanceof Error; e = e.cause) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return true;
  }
  return false;
}

function interactionContext(i: ChatInputCommandInteraction): Record<string, unknown> {
  return {
    interaction: i.id,
    command: i.commandName,
    guild: i.guildId,
    channel: i.channelId,
    user: i.user.id,
    options: loggedOptions(i.options.data),
  };
}

/**
 * The options as the log shows them: numbers and switches as given, text only as its length.
 * What people type is never written to the host's log (/privacy says so).
 */
export function loggedOptions(
  options: readonly { name: string; value?: unknown; options?: readonly { name: string; value?: unknown }[] }[],
): Record<string, unknown> {
  const entries: [string, unknown][] = [];
  for (const o of options) {
    // a subcommand carries its own options
    if (o.options !== undefined) entries.push([o.name, loggedOptions(o.options)]);
    else entries.push([o.name, typeof o.value === "string" ? `(${[...o.value].length} characters)` : o.value]);
  }
  return Object.fromEntries(entries);
}
