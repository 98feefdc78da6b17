/**
 * /model: the model that answers in this server — its architecture card, how it was trained
 * (steps, losses, tokens seen, when; this server's own or the default), and the loss curve of
 * the training that made it.
 */
import type { ChatInputCommandInteraction } from "discord.js";
import { guildModelReport } from "../src/app/guild-model.ts";
import { lossPicture, modelCardPicture } from "../src/app/pictures.ts";
import type { CommandContext } from "../src/adapters/discord/command.ts";
import { respond } from "../src/adapters/discord/outgoing.ts";
import { slashData } from "../src/adapters/discord/slash-json.ts";
import { identityOf } from "../src/app/model-identity.ts";

export const data = slashData("model");

export const defer = "public";

export async function execute(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<void> {
  const report = await guildModelReport(ctx.registry, ctx.store, interaction.guildId);
  const info = { ...report.info, name: ctx.text.modelName(identityOf(report.handle)) };
  const { config } = info;
  const lines = [
    report.own ? ctx.text.modelOwn({ model: info.name, messages: report.corpusMessages }) : ctx.text.modelDefault(info.name),
    ctx.text.modelShape({
      preset: info.preset,
      params: info.params.total,
      layers: config.nLayer,
      heads: config.nHead,
      width: config.nEmbd,
      context: config.blockSize,
      kind: info.tokenizer.kind,
      vocabSize: info.tokenizer.vocabSize,
    }),
    ctx.text.modelTraining({
      step: info.step,
      totalSteps: info.totalSteps,
      tokensSeen: info.tokensSeen,
      valLoss: info.valLoss,
      trainLoss: info.trainLoss,
      createdAt: report.createdAt,
      seconds: info.trainSeconds,
    }),
    ctx.text.modelCurve(report.curveSource, report.curve.length),
  ];
  const files = [{ name: "model.png", data: await ctx.heavy(() => modelCardPicture(info, ctx.lang)) }];
  if (report.curve.length > 0) files.push({ name: "loss.png", data: await ctx.heavy(() => lossPicture(info, ctx.lang)) });
  await respond(interaction, { content: lines.join("\n"), files });
}
