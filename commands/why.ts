/** /why text [target]: which input tokens pushed the next token, by gradient × input and by occlusion. */
import type { ChatInputCommandInteraction } from "discord.js";
import { attributeNext } from "../src/app/attribute.ts";
import { whyLines } from "../src/app/look-lines.ts";
import { attributionPicture } from "../src/app/look-pictures.ts";
import { MAX_INPUT_CHARS } from "../src/app/prompt.ts";
import type { CommandContext } from "../src/adapters/discord/command.ts";
import { quoteEnd } from "../src/adapters/discord/format.ts";
import { checked } from "../src/adapters/discord/input-error.ts";
import { respond } from "../src/adapters/discord/outgoing.ts";
import { slashData } from "../src/adapters/discord/slash-json.ts";
import { identityOf } from "../src/app/model-identity.ts";

export const data = slashData("why");

/** heavy: limited per user */
export const expensive = true;

export async function execute(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<void> {
  const text = interaction.options.getString("text", true);
  const handle = await ctx.registry.forGuild(interaction.guildId);
  const { nLayer, nHead } = handle.model.config;
  await interaction.deferReply();
  const modelName = ctx.text.modelName(identityOf(handle));
  // the use case checks the input; an InputError comes out in the user's language
  const result = await ctx.heavy(async () =>
    checked(() => attributeNext(handle, text, { target: interaction.options.getString("target") ?? undefined }), ctx.text, {
      layers: nLayer,
      heads: nHead,
      length: text.length,
      limit: MAX_INPUT_CHARS,
    }),
  );
  const png = await ctx.heavy(() => attributionPicture(result, ctx.lang, modelName));
  const lines = whyLines(result, quoteEnd(text, ctx.text.predictEmptyText), modelName, ctx.lang);
  if (result.unknown > 0) lines.push(ctx.text.predictUnknown(result.unknown));
  if (result.dropped > 0) lines.push(ctx.text.predictDropped(result.dropped));
  await respond(interaction, { content: lines.join("\n"), files: [{ name: "why.png", data: png }] });
}
