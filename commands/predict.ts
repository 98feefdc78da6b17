/**
 * /predict text [k] [temperature] [heads]: the model's most likely next tokens after a text, with their
 * probabilities, as a short list and a picture.
 */
import type { ChatInputCommandInteraction } from "discord.js";
import { predictPicture } from "../src/app/pictures.ts";
import { PREDICT_DEFAULTS, predictNext, type PredictResult } from "../src/app/predict.ts";
import { type HeadRef, predictAblated } from "../src/app/ablate.ts";
import { headsOffLine } from "../src/app/look-lines.ts";
import { InputError } from "../src/app/prompt.ts";
import type { CommandContext } from "../src/adapters/discord/command.ts";
import { predictSummary } from "../src/adapters/discord/predict-summary.ts";
import { respond } from "../src/adapters/discord/outgoing.ts";
import { slashData } from "../src/adapters/discord/slash-json.ts";
import { identityOf } from "../src/app/model-identity.ts";

export const data = slashData("predict");

export async function execute(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<void> {
  const text = interaction.options.getString("text", true);
  const k = interaction.options.getInteger("k") ?? PREDICT_DEFAULTS.k;
  const temperature = interaction.options.getNumber("temperature") ?? PREDICT_DEFAULTS.temperature;
  const heads = interaction.options.getString("heads") ?? undefined;

  // 1. the prediction itself takes milliseconds: bad input is answered before anything else
  const handle = await ctx.registry.forGuild(interaction.guildId);
  let result: PredictResult;
  let off: HeadRef[] | null = null;
  try {
    // heads: the same prediction from the model with those heads switched off
    const ablated = heads ? predictAblated(handle, text, { k, temperature, heads }) : null;
    off = ablated?.heads ?? null;
    result = ablated ?? predictNext(handle, text, { k, temperature });
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    const line = ctx.text.inputError(err.code, err.values) ?? err.message;
    await respond(interaction, line, { ephemeral: true });
    return;
  }

  // 2. the picture takes longer: defer, draw, then edit the reply
  await interaction.deferReply();
  const modelName = ctx.text.modelName(identityOf(handle));
  const png = await ctx.heavy(() => predictPicture(result, ctx.lang, modelName));
  await respond(interaction, {
    content: [predictSummary(result, modelName, ctx.text), ...(off ? [headsOffLine(off, ctx.lang)] : [])].join("\n"),
    files: [{ name: "predict.png", data: png }],
  });
}
