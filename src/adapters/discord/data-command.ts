/**
 * A slash command whose answer is a data use case (src/app/replies/data.ts, admin.ts): the
 * options of the (sub)command run, by the catalogue's names; the store, who asks and where; the
 * Reply sent privately (ephemeral) as the Discord formatter writes it. Bad input: one ephemeral
 * line in the user's language, and nothing changed. A command file is then
 * `export const execute = dataCommand("privacy", privacyReply)`, or with subcommands
 * `dataCommand("admin", { channels: adminChannelsReply, … })`.
 */
import type { ChatInputCommandInteraction } from "discord.js";
import { commandSpec, type OptionValue, optionsOn, subcommandsOn } from "../../app/catalogue/index.ts";
import type { DataContext, DataUseCase } from "../../app/replies/data.ts";
import type { Reply } from "../../app/reply.ts";
import type { CommandContext } from "./command.ts";
import { translated } from "./input-error.ts";
import { respondAll } from "./outgoing.ts";
import { slashValue } from "./reply-command.ts";
import { discordMessages } from "./reply-format.ts";

export function dataCommand(name: string, present: DataUseCase | Readonly<Record<string, DataUseCase>>) {
  const spec = commandSpec(name, "discord");
  return async (interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<void> => {
    // 1. the use case of the subcommand run, and its options by their catalogue names
    const sub = spec.subcommands ? interaction.options.getSubcommand() : undefined;
    const owner = sub === undefined ? spec : subcommandsOn(spec, "discord").find((s) => s.name === sub);
    const useCase = typeof present === "function" ? present : sub !== undefined ? present[sub] : undefined;
    if (!owner || !useCase) throw new Error(`/${name} has no use case for the subcommand ${JSON.stringify(sub)}`);
    const given: Record<string, OptionValue | undefined> = {};
    for (const o of optionsOn(owner, "discord")) given[o.name] = slashValue(interaction, o.name, o.type) ?? undefined;
    // 2. checked and done, 3. said privately
    const dc: DataContext = {
      lang: ctx.lang,
      store: ctx.store,
      space: interaction.guildId,
      user: interaction.user.id,
      training: ctx.training,
      registry: ctx.registry,
    };
    let reply: Reply;
    try {
      reply = await useCase(dc, given);
    } catch (err) {
      throw translated(err, ctx.text, {});
    }
    await respondAll(interaction, discordMessages(reply), { ephemeral: true });
  };
}
