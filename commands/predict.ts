/**
 * /predict text [k] [temperature]: the model's most likely next tokens after a text, with their
 * probabilities, as a short list and a picture.
 */
import { type ChatInputCommandInteraction, SlashCommandBuilder } from "discord.js";
import { predictPicture } from "../src/app/pictures.ts";
import { PREDICT_DEFAULTS, predictNext, type PredictResult } from "../src/app/predict.ts";
import { InputError, MAX_INPUT_CHARS } from "../src/app/prompt.ts";
import type { CommandContext } from "../src/adapters/discord/command.ts";
import { predictSummary } from "../src/adapters/discord/predict-summary.ts";
import { respond } from "../src/adapters/discord/outgoing.ts";

export const data = new SlashCommandBuilder()
  .setName("predict")
  .setNameLocalizations({ ja: "予測" })
  .setDescription("Show the tokens the model thinks come next, with their probabilities")
  .setDescriptionLocalizations({ ja: "モデルが次に来ると考えるトークンを確率つきで表示します" })
  .addStringOption((o) =>
    o
      .setName("text")
      .setNameLocalizations({ ja: "テキスト" })
      .setDescription("The beginning of a text")
      .setDescriptionLocalizations({ ja: "文章の書き出し" })
      .setRequired(true)
      .setMaxLength(MAX_INPUT_CHARS),
  )
  .addIntegerOption((o) =>
    o
      .setName("k")
      .setNameLocalizations({ ja: "候補数" })
      .setDescription(`How many candidates to show (1–50, default ${PREDICT_DEFAULTS.k})`)
      .setDescriptionLocalizations({ ja: `表示する候補の数（1〜50、既定 ${PREDICT_DEFAULTS.k}）` })
      .setMinValue(1)
      .setMaxValue(50),
  )
  .addNumberOption((o) =>
    o
      .setName("temperature")
      .setNameLocalizations({ ja: "温度" })
      .setDescription("Higher = flatter probabilities (above 0, at most 10; default 1)")
      .setDescriptionLocalizations({ ja: "大きいほど確率が平らになります（0 より大きく 10 以下、既定 1）" })
      .setMinValue(0.01)
      .setMaxValue(10),
  );

export async function execute(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<void> {
  const text = interaction.options.getString("text", true);
  const k = interaction.options.getInteger("k") ?? PREDICT_DEFAULTS.k;
  const temperature = interaction.options.getNumber("temperature") ?? PREDICT_DEFAULTS.temperature;

  // 1. the prediction itself takes milliseconds: bad input is answered before anything else
  const handle = await ctx.registry.forGuild(interaction.guildId);
  let result: PredictResult;
  try {
    result = predictNext(handle, text, { k, temperature });
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    const line = ctx.text.inputError(err.code, { k, temperature, length: text.length, limit: MAX_INPUT_CHARS }) ?? err.message;
    await respond(interaction, line, { ephemeral: true });
    return;
  }

  // 2. the picture takes longer: defer, draw, then edit the reply
  await interaction.deferReply();
  const modelName = ctx.text.modelName(handle.name);
  const png = await ctx.heavy(() => predictPicture(result, ctx.lang, modelName));
  await respond(interaction, {
    content: predictSummary(result, modelName, ctx.text),
    files: [{ name: "predict.png", data: png }],
  });
}
