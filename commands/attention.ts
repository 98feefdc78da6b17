/**
 * /attention text [layer] [head]: which earlier tokens each token looks at. With a head: that
 * head large (layer 0 unless given); without: every layer × head at a glance.
 */
import { type ChatInputCommandInteraction, SlashCommandBuilder } from "discord.js";
import { attentionPicture, checkLayerHead } from "../src/app/attention.ts";
import { checkText, MAX_INPUT_CHARS } from "../src/app/prompt.ts";
import type { CommandContext } from "../src/adapters/discord/command.ts";
import { quoteEnd } from "../src/adapters/discord/format.ts";
import { checked } from "../src/adapters/discord/input-error.ts";
import { respond } from "../src/adapters/discord/outgoing.ts";

export const data = new SlashCommandBuilder()
  .setName("attention")
  .setNameLocalizations({ ja: "アテンション" })
  .setDescription("Show which earlier tokens each token looks at, in every layer and head")
  .setDescriptionLocalizations({ ja: "各トークンが前のどのトークンに注目しているかを、レイヤー・ヘッドごとに表示します" })
  .addStringOption((o) =>
    o
      .setName("text")
      .setNameLocalizations({ ja: "テキスト" })
      .setDescription("A text for the model to read")
      .setDescriptionLocalizations({ ja: "モデルに読ませる文章" })
      .setRequired(true)
      .setMaxLength(MAX_INPUT_CHARS),
  )
  .addIntegerOption((o) =>
    o
      .setName("layer")
      .setNameLocalizations({ ja: "レイヤー" })
      .setDescription("Which layer (from 0; default 0 when a head is given)")
      .setDescriptionLocalizations({ ja: "どのレイヤーか（0 から。ヘッドを指定したときの既定は 0）" })
      .setMinValue(0),
  )
  .addIntegerOption((o) =>
    o
      .setName("head")
      .setNameLocalizations({ ja: "ヘッド" })
      .setDescription("Which head to show large (from 0; default: all heads)")
      .setDescriptionLocalizations({ ja: "大きく表示するヘッド（0 から。既定: すべてのヘッド）" })
      .setMinValue(0),
  );

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
  const modelName = ctx.text.modelName(handle.name);
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
