/**
 * /attention text [layer] [head]: which earlier tokens each token looks at. With a head: that
 * head large (layer 0 unless given); without: every layer × head at a glance.
 */
import type { ChatInputCommandInteraction } from "discord.js";
import { attentionPicture, checkLayerHead } from "../src/app/attention.ts";
import { checkText, MAX_INPUT_CHARS } from "../src/app/prompt.ts";
import type { CommandContext } from "../src/adapters/discord/command.ts";
import { quoteEnd } from "../src/adapters/discord/format.ts";
import { checked } from "../src/adapters/discord/input-error.ts";
import { respond } from "../src/adapters/discord/outgoing.ts";
import { slashData } from "../src/adapters/discord/slash-json.ts";
import { identityOf } from "../src/app/model-identity.ts";

export const data = slashData("attention");

/** heavy: limited per user */
export const expensive = true;

export async function execute(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<void> {
  const text = interaction.options.getString("text", true);
  const layer = interaction.options.getInteger("layer") ?? undefined;
  const head = interaction.options.getInteger("head") ?? undefined;

  // 1. bad input is answered at once, naming the layers and heads this model has
  const handle = await ctx.registry.forGuild(interaction.guildId);
  const { nLayer, nHead } = handle.model.config;
  checked(
    () => {
      checkText(text, false);
      checkLayerHead(handle, layer, head);
    },
    ctx.text,
    { layer, head, layers: nLayer, heads: nHead, length: text.length, limit: MAX_INPUT_CHARS },
  );

  // 2. one forward pass and the picture
  await interaction.deferReply();
  const modelName = ctx.text.modelName(identityOf(handle));
  const result = await ctx.heavy(() => attentionPicture({ ...handle, name: modelName }, text, { layer, head, lang: ctx.lang }));
  const quote = quoteEnd(text, ctx.text.predictEmptyText);
  const lines = [
    result.kind === "head"
      ? ctx.text.attentionHead({ quote, model: modelName, layer: layer ?? 0, head: head! })
      : ctx.text.attentionGrid({ quote, model: modelName, layers: nLayer, heads: nHead, ...(layer !== undefined && { layer }) }),
  ];
  if (result.maps.unknown > 0) lines.push(ctx.text.predictUnknown(result.maps.unknown));
  if (result.maps.dropped > 0) lines.push(ctx.text.predictDropped(result.maps.dropped));
  await respond(interaction, { content: lines.join("\n"), files: [{ name: "attention.png", data: result.png }] });
}
