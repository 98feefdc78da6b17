/**
 * /model show · list · use ref · rename ref name · delete ref
 *   show    the model that answers in this server: its card, training and loss curve (src/app/replies/model.ts)
 *   list    the models this server may use (shipped, trained here, the host's MODELS_DIR), the one in use marked
 *   use, rename, delete   (Manage Server: the catalogue's adminOnly, checked by the dispatcher)
 * `ref` is suggested as it is typed (autocomplete). The use cases are src/app/replies/models.ts.
 */
import type { AutocompleteInteraction, ChatInputCommandInteraction } from "discord.js";
import type { CommandContext } from "../src/adapters/discord/command.ts";
import { translated } from "../src/adapters/discord/input-error.ts";
import { respond, respondAll } from "../src/adapters/discord/outgoing.ts";
import { discordMessage, discordMessages } from "../src/adapters/discord/reply-format.ts";
import { slashData } from "../src/adapters/discord/slash-json.ts";
import { modelReply } from "../src/app/replies/model.ts";
import {
  type ModelsContext,
  modelDeleteReply,
  modelListReply,
  modelRenameReply,
  modelSuggestions,
  modelUseReply,
} from "../src/app/replies/models.ts";
import type { Reply } from "../src/app/reply.ts";

export const data = slashData("model");

export const defer = "public";

function modelsContext(interaction: ChatInputCommandInteraction | AutocompleteInteraction, ctx: CommandContext): ModelsContext {
  return {
    lang: ctx.lang,
    registry: ctx.registry,
    store: ctx.store,
    space: interaction.guildId,
    admin: interaction.memberPermissions?.has("ManageGuild") ?? false,
  };
}

export async function execute(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<void> {
  const sub = interaction.options.getSubcommand();
  if (sub === "show") {
    await respond(interaction, discordMessage(await modelReply({ ...ctx, space: interaction.guildId }, ctx)));
    return;
  }
  const mc = modelsContext(interaction, ctx);
  const o = { ref: interaction.options.getString("ref") ?? undefined, name: interaction.options.getString("name") ?? undefined };
  let reply: Reply;
  try {
    if (sub === "list") reply = await modelListReply(mc);
    else if (sub === "use") reply = await modelUseReply(mc, o);
    else if (sub === "rename") reply = await modelRenameReply(mc, o);
    else if (sub === "delete") reply = await modelDeleteReply(mc, o);
    else throw new Error(`unknown subcommand of /model: ${sub}`);
  } catch (err) {
    throw translated(err, ctx.text, {});
  }
  await respondAll(interaction, discordMessages(reply));
}

/** Suggestions for `ref` while it is typed: this server's models that fit the subcommand. */
export async function autocomplete(interaction: AutocompleteInteraction, ctx: CommandContext): Promise<void> {
  const focused = interaction.options.getFocused(true);
  if (focused.name !== "ref") return interaction.respond([]);
  await interaction.respond(
    await modelSuggestions(modelsContext(interaction, ctx), interaction.options.getSubcommand(), String(focused.value)),
  );
}
