/**
 * The slash-command JSON Discord registers, derived from the command catalogue: names and
 * descriptions with their Japanese localizations, option types, ranges, choices, and who may
 * use a command. Nothing here restates a range; it is read from src/app/catalogue.
 */
import {
  ApplicationCommandOptionType,
  InteractionContextType,
  PermissionFlagsBits,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from "discord.js";
import {
  CATALOGUE,
  type CommandSpec,
  commandSpec,
  commandsOn,
  type OptionSpec,
  optionDescriptions,
  optionsOn,
  subcommandsOn,
} from "../../app/catalogue/index.ts";

type SlashJson = RESTPostAPIChatInputApplicationCommandsJSONBody;
// biome-ignore lint/suspicious/noExplicitAny: the option JSON's union is discriminated by `type`, built field by field here
type OptionJson = any;

/** Discord shows at most 100 characters of a description. */
export const MAX_DESCRIPTION = 100;

const OPTION_TYPES: Record<OptionSpec["type"], ApplicationCommandOptionType> = {
  string: ApplicationCommandOptionType.String,
  integer: ApplicationCommandOptionType.Integer,
  number: ApplicationCommandOptionType.Number,
  boolean: ApplicationCommandOptionType.Boolean,
};

/** Every Discord command of the catalogue, as `npm run deploy-commands` registers them. */
export function slashCommandsJson(catalogue: readonly CommandSpec[] = CATALOGUE): SlashJson[] {
  return commandsOn("discord", catalogue).map(slashCommandJson);
}

/** A command file's `data`: the command's name and its JSON (the shape discord.js builders have). */
export function slashData(name: string): { name: string; toJSON(): SlashJson } {
  const json = slashCommandJson(commandSpec(name, "discord"));
  return { name, toJSON: () => structuredClone(json) };
}

export function slashCommandJson(spec: CommandSpec): SlashJson {
  const subcommands = subcommandsOn(spec, "discord");
  const options =
    subcommands.length > 0
      ? subcommands.map((s) => ({
          type: ApplicationCommandOptionType.Subcommand,
          ...named(s.name, s.localName, s.description.en, s.description.ja),
          options: optionsOn(s, "discord").map(optionJson),
        }))
      : optionsOn(spec, "discord").map(optionJson);
  return {
    type: 1,
    ...named(spec.name, spec.localName, spec.description.en, spec.description.ja),
    ...(spec.adminOnly && { default_member_permissions: String(PermissionFlagsBits.ManageGuild) }),
    ...(spec.guildOnly && { contexts: [InteractionContextType.Guild] }),
    options,
  } as SlashJson;
}

function optionJson(option: OptionSpec): OptionJson {
  const description = optionDescriptions(option);
  return {
    type: OPTION_TYPES[option.type],
    ...named(option.name, option.localName, description.en, description.ja),
    required: option.required === true,
    ...(option.min !== undefined && { min_value: option.min }),
    ...(option.max !== undefined && { max_value: option.max }),
    ...(option.maxLength !== undefined && { max_length: option.maxLength }),
    ...(option.autocomplete && { autocomplete: true }),
    ...(option.choices && {
      choices: option.choices.map((c) => ({
        name: c.label.en,
        ...(c.label.ja !== c.label.en && { name_localizations: { ja: c.label.ja } }),
        value: c.value,
      })),
    }),
  };
}

/** name, description and their Japanese versions (left out when there is none). */
function named(name: string, localName: string | undefined, en: string, ja: string) {
  for (const text of [en, ja]) {
    if ([...text].length > MAX_DESCRIPTION) throw new Error(`/${name}: "${text}" is over Discord's ${MAX_DESCRIPTION} characters`);
  }
  return {
    name,
    ...(localName !== undefined && { name_localizations: { ja: localName } }),
    description: en,
    description_localizations: { ja },
  };
}
