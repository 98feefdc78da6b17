/**
 * /generate prompt [tokens] [temperature] [top_k] [top_p] [seed]: the model continues a text,
 * one predicted token after another.
 */
import { type ChatInputCommandInteraction, SlashCommandBuilder } from "discord.js";
import { checkGenerateOptions, GENERATE_DEFAULTS, generateText, type GenerateTextOptions } from "../src/app/generate-text.ts";
import { verbatimIndexFor } from "../src/app/verbatim.ts";
import { withDefaults } from "../src/app/options.ts";
import { checkText, InputError, MAX_INPUT_CHARS } from "../src/app/prompt.ts";
import type { CommandContext } from "../src/adapters/discord/command.ts";
import { generatedMessage, randomSeed } from "../src/adapters/discord/generated-text.ts";
import { checked } from "../src/adapters/discord/input-error.ts";
import { respond } from "../src/adapters/discord/outgoing.ts";

/** At most this many tokens on Discord: the text fits a message and the model answers in well under a second. */
export const MAX_TOKENS = 200;

export const data = new SlashCommandBuilder()
  .setName("generate")
  .setNameLocalizations({ ja: "生成" })
  .setDescription("Let the model continue a text, token by token")
  .setDescriptionLocalizations({ ja: "モデルに文章の続きを書かせます（1 トークンずつ予測）" })
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
      .setDescription(`How many tokens to write at most (1–${MAX_TOKENS}, default ${GENERATE_DEFAULTS.maxTokens})`)
      .setDescriptionLocalizations({ ja: `書くトークンの最大数（1〜${MAX_TOKENS}、既定 ${GENERATE_DEFAULTS.maxTokens}）` })
      .setMinValue(1)
      .setMaxValue(MAX_TOKENS),
  )
  .addNumberOption((o) =>
    o
      .setName("temperature")
      .setNameLocalizations({ ja: "温度" })
      .setDescription(`0 = always the likeliest token; higher = more surprising (0–10, default ${GENERATE_DEFAULTS.temperature})`)
      .setDescriptionLocalizations({
        ja: `0 = いつも最も確率の高いトークン。大きいほど意外な文に（0〜10、既定 ${GENERATE_DEFAULTS.temperature}）`,
      })
      .setMinValue(0)
      .setMaxValue(10),
  )
  .addIntegerOption((o) =>
    o
      .setName("top_k")
      .setNameLocalizations({ ja: "上位k" })
      .setDescription(`Choose only among the k likeliest tokens (0 = all; default ${GENERATE_DEFAULTS.topK})`)
      .setDescriptionLocalizations({ ja: `確率の高い上位 k 個のトークンからだけ選ぶ（0 = すべて、既定 ${GENERATE_DEFAULTS.topK}）` })
      .setMinValue(0)
      .setMaxValue(65536),
  )
  .addNumberOption((o) =>
    o
      .setName("top_p")
      .setNameLocalizations({ ja: "上位p" })
      .setDescription(`Choose among the likeliest tokens up to this total probability (0–1, default ${GENERATE_DEFAULTS.topP})`)
      .setDescriptionLocalizations({
        ja: `確率の合計がこの値に達するまでの上位トークンから選ぶ（0 より大きく 1 以下、既定 ${GENERATE_DEFAULTS.topP}）`,
      })
      .setMinValue(0.01)
      .setMaxValue(1),
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
    maxTokens: interaction.options.getInteger("tokens") ?? undefined,
    temperature: interaction.options.getNumber("temperature") ?? undefined,
    topK: interaction.options.getInteger("top_k") ?? undefined,
    topP: interaction.options.getNumber("top_p") ?? undefined,
    seed: interaction.options.getInteger("seed") ?? randomSeed(),
  });

  // 1. bad options are answered at once
  checked(
    () => {
      checkText(prompt, true);
      checkGenerateOptions(options);
      if (options.maxTokens > MAX_TOKENS)
        throw new InputError(`tokens must be at most ${MAX_TOKENS} here, got ${options.maxTokens}`, "bad-tokens");
    },
    ctx.text,
    {
      tokens: options.maxTokens,
      max: MAX_TOKENS,
      seed: options.seed,
      temperature: options.temperature,
      topK: options.topK,
      topP: options.topP,
      length: prompt.length,
      limit: MAX_INPUT_CHARS,
    },
  );

  // 2. write (a few hundred ms at most for MAX_TOKENS), then show
  await interaction.deferReply();
  const handle = await ctx.registry.forGuild(interaction.guildId);
  const generated = await ctx.heavy(() => generateText(handle, prompt, options));
  // never hand a stored message back word for word
  const redacted = verbatimIndexFor(ctx.store, interaction.guildId)?.redact(generated.text);
  const result = redacted?.cut ? { ...generated, text: redacted.text } : generated;
  const footer =
    (redacted?.cut ? `${ctx.text.verbatimCut}\n` : "") +
    ctx.text.generateFooter({
      model: ctx.text.modelName(handle.name),
      tokens: result.ids.length,
      temperature: options.temperature,
      topK: options.topK,
      topP: options.topP,
      seed: options.seed,
    });
  await respond(interaction, generatedMessage(result, ctx.text, footer));
}
