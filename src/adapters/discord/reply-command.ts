/**
 * A slash command whose answer is a Reply use case (src/app/replies/): its options read by the
 * catalogue's names, checked at once (bad input: one ephemeral line, before any deferral), then
 * the reply deferred, made (heavy queue, redaction: inside the use case) and sent as the
 * formatter writes it (several messages when it is longer than one). A command file is then `export const execute = replyCommand("x", xReply)`.
 */
import type { ChatInputCommandInteraction } from "discord.js";
import { commandSpec, optionsOn, type OptionValue } from "../../app/catalogue/index.ts";
import { neuronIndexerFor } from "../../app/neuron-indexer.ts";
import { redactorFor } from "../../app/redaction.ts";
import type { PendingReply, ReplyContext } from "../../app/reply.ts";
import type { ReplyUseCase } from "../../app/replies/options.ts";
import { sourceScopeFor } from "../../app/sources.ts";
import type { CommandContext } from "./command.ts";
import { translated } from "./input-error.ts";
import { respondAll } from "./outgoing.ts";
import { discordMessages } from "./reply-format.ts";

/** The space of direct messages (no guild: the shipped model answers there). */
const DIRECT_MESSAGES = "direct";

export function replyCommand(name: string, present: ReplyUseCase) {
  const options = optionsOn(commandSpec(name, "discord"), "discord");
  return async (interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<void> => {
    // 1. the options by their catalogue names (absent: undefined, the use case's default)
    const given: Record<string, OptionValue | undefined> = {};
    for (const o of options) given[o.name] = slashValue(interaction, o.name, o.type) ?? undefined;
    // 2. checked now; the work waits for the deferral
    const handle = await ctx.registry.forGuild(interaction.guildId);
    const guild = interaction.guildId;
    const rc: ReplyContext = {
      handle,
      lang: ctx.lang,
      heavy: ctx.heavy,
      redactor: await redactorFor(ctx.store, guild),
      storedModelId: async () => (guild ? ((await ctx.store.models.latestInfo(guild))?.id ?? null) : null),
      neuronIndex: (h) => neuronIndexerFor(ctx.store).status(guild ?? DIRECT_MESSAGES, h),
      // nothing is stored from direct messages
      sources: guild ? sourceScopeFor(ctx.store, guild, interaction.user.id) : null,
    };
    let pending: PendingReply;
    try {
      pending = present(rc, given);
    } catch (err) {
      throw translated(err, ctx.text, {});
    }
    if (!interaction.deferred) await interaction.deferReply();
    await respondAll(interaction, discordMessages(await pending()));
  };
}

/** An option's value as Discord gives it (absent: null). */
export function slashValue(interaction: ChatInputCommandInteraction, name: string, type: string): OptionValue | null {
  const o = interaction.options;
  if (type === "integer") return o.getInteger(name);
  if (type === "number") return o.getNumber(name);
  if (type === "boolean") return o.getBoolean(name);
  return o.getString(name);
}
