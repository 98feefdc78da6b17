/** /tokens text: how the model's tokenizer cuts a text into tokens, with each token's id. */
import type { ChatInputCommandInteraction } from "discord.js";
import { tokensPicture } from "../src/app/pictures.ts";
import { checkText, MAX_INPUT_CHARS } from "../src/app/prompt.ts";
import type { CommandContext } from "../src/adapters/discord/command.ts";
import { checked } from "../src/adapters/discord/input-error.ts";
import { respond } from "../src/adapters/discord/outgoing.ts";
import { slashData } from "../src/adapters/discord/slash-json.ts";
import { identityOf } from "../src/app/model-identity.ts";

export const data = slashData("tokens");

export async function execute(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<void> {
  const text = interaction.options.getString("text", true);
  checked(() => checkText(text, false), ctx.text, { length: text.length, limit: MAX_INPUT_CHARS });

  await interaction.deferReply();
  const handle = await ctx.registry.forGuild(interaction.guildId);
  const modelName = ctx.text.modelName(identityOf(handle));
  const { ids, unknown } = handle.tokenizer.encode(text);
  const png = await ctx.heavy(() => tokensPicture({ ...handle, name: modelName }, text, ctx.lang));
  const lines = [
    ctx.text.tokensLine({
      characters: [...text].length,
      tokens: ids.length,
      kind: handle.tokenizer.kind,
      vocabSize: handle.tokenizer.vocabSize,
      model: modelName,
    }),
  ];
  if (unknown > 0) lines.push(ctx.text.predictUnknown(unknown));
  await respond(interaction, { content: lines.join("\n"), files: [{ name: "tokens.png", data: png }] });
}
