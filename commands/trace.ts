/**
 * /trace prompt [tokens] [seed]: writing as repeated next-token prediction, step by step — the
 * text, and a picture of every step's candidates with the token chosen.
 */
import { type ChatInputCommandInteraction, SlashCommandBuilder } from "discord.js";
import { checkGenerateOptions, GENERATE_DEFAULTS, generateText, type GenerateTextOptions } from "../src/app/generate-text.ts";
import { DEFAULT_TRACE_TOKENS, MAX_TRACE_TOKENS, tracePicture } from "../src/app/pictures.ts";
import { withDefaults } from "../src/app/options.ts";
import { checkText, InputError, MAX_INPUT_CHARS } from "../src/app/prompt.ts";
import type { CommandContext } from "../src/adapters/discord/command.ts";
import { generatedMessage, randomSeed } from "../src/adapters/discord/generated-text.ts";
import { checked } from "../src/adapters/discord/input-error.ts";
import { respond } from "../src/adapters/discord/outgoing.ts";

export const data = new SlashCommandBuilder()
  .setName("trace")
  .setNameLocalizations({ ja: "生成過程" })
  .setDescription("Watch the model write, step by step: the candidates of each step and the token chosen")
  .setDescriptionLocalizations({ ja: "モデルが文章を書く過程を 1 ステップずつ表示します（各ステップの候補と選ばれたトークン）" })
  .addStringOption((o) =>
    o
      .setName("prompt")
      .setNameLocalizations({ ja: "書き出し" })
      .setDescription("The beginning of the text")
      .setDescriptionLocalizations({ ja: "文章の書き出し" })
      .setRequired(true)
      .setMaxLength(MAX_INPUT_CHARS),
  )
  .addIntegerOption((o) =>
    o
      .setName("tokens")
      .setNameLocalizations({ ja: "トークン数" })
      .setDescription(`How many steps (1–${MAX_TRACE_TOKENS}, default ${DEFAULT_TRACE_TOKENS})`)
      .setDescriptionLocalizations({ ja: `ステップ数（1〜${MAX_TRACE_TOKENS}、既定 ${DEFAULT_TRACE_TOKENS}）` })
      .setMinValue(1)
      .setMaxValue(MAX_TRACE_TOKENS),
  )
  .addIntegerOption((o) =>
    o
      .setName("seed")
      .setNameLocalizations({ ja: "シード" })
      .setDescription("The same seed writes the same text (default: a new one each time)")
      .setDescriptionLocalizations({ ja: "同じシードなら同じ文章になります（既定: 毎回ちがうシード）" })
      .setMinValue(0),
  );

/** heavy: limited per user */
export const expensive = true;

export async function execute(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<void> {
  const prompt = interaction.options.getString("prompt", true);
  const options: GenerateTextOptions = withDefaults(GENERATE_DEFAULTS, {
    maxTokens: interaction.options.getInteger("tokens") ?? DEFAULT_TRACE_TOKENS,
    seed: interaction.options.getInteger("seed") ?? randomSeed(),
  });

  // 1. bad options are answered at once
  checked(
    () => {
      checkText(prompt, true);
      checkGenerateOptions(options);
      if (options.maxTokens > MAX_TRACE_TOKENS)
        throw new InputError(`tokens must be at most ${MAX_TRACE_TOKENS} here, got ${options.maxTokens}`, "bad-tokens");
    },
    ctx.text,
    { tokens: options.maxTokens, max: MAX_TRACE_TOKENS, seed: options.seed, length: prompt.length, limit: MAX_INPUT_CHARS },
  );

  // 2. write, then draw every step
  await interaction.deferReply();
  const handle = await ctx.registry.forGuild(interaction.guildId);
  const modelName = ctx.text.modelName(handle.name);
  const { result, png } = await ctx.heavy(async () => {
    const result = generateText(handle, prompt, options);
    return { result, png: await tracePicture({ ...handle, name: modelName }, result, ctx.lang) };
  });
  const footer = ctx.text.traceFooter({ model: modelName, steps: result.steps.length, seed: options.seed });
  await respond(interaction, { content: generatedMessage(result, ctx.text, footer), files: [{ name: "trace.png", data: png }] });
}
