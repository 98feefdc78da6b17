/**
 * /train start [channels] [max_messages] [minutes] [preset] · /train status · /train stop
 * Trains this server's own model on its channels' history (in a worker thread), with a live
 * loss curve; the new model replaces the old one when it is complete. Admins only.
 */
import {
  type ChatInputCommandInteraction,
  InteractionContextType,
  PermissionFlagsBits,
  type PermissionsString,
  SlashCommandBuilder,
} from "discord.js";
import { DEFAULT_TRAINING_MINUTES, DEFAULT_TRAINING_PRESET, MAX_TRAINING_MINUTES, TRAINING_PRESETS } from "../src/app/training-service.ts";
import type { CommandContext } from "../src/adapters/discord/command.ts";
import {
  DEFAULT_MAX_MESSAGES,
  MAX_MAX_MESSAGES,
  MIN_MAX_MESSAGES,
  startTraining,
  stopTraining,
  trainingStatus,
} from "../src/adapters/discord/train-flow.ts";

const PRESET_NAMES: Record<(typeof TRAINING_PRESETS)[number], { en: string; ja: string }> = {
  tiny: { en: "tiny: a toy, learns in seconds", ja: "tiny: おもちゃ。数秒で学習" },
  baby: { en: "baby: 4 layers, writes recognisable text after a few minutes", ja: "baby: 4 レイヤー。数分で読める文章に" },
};

export const data = new SlashCommandBuilder()
  .setName("train")
  .setNameLocalizations({ ja: "学習" })
  .setDescription("Train this server's own model on its messages")
  .setDescriptionLocalizations({ ja: "このサーバーのメッセージで、このサーバー専用のモデルを学習します" })
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
  .setContexts(InteractionContextType.Guild)
  .addSubcommand((s) =>
    s
      .setName("start")
      .setNameLocalizations({ ja: "開始" })
      .setDescription("Read the channels' history and train a new model on it (the current one answers until it is ready)")
      .setDescriptionLocalizations({ ja: "チャンネルの履歴を読んで新しいモデルを学習します（完成までは今のモデルが答えます）" })
      .addStringOption((o) =>
        o
          .setName("channels")
          .setNameLocalizations({ ja: "チャンネル" })
          .setDescription("Channels to read, as #mentions separated by spaces (default: this channel)")
          .setDescriptionLocalizations({ ja: "読むチャンネルを #メンションで、空白で区切って（既定: このチャンネル）" })
          .setMaxLength(500),
      )
      .addIntegerOption((o) =>
        o
          .setName("max_messages")
          .setNameLocalizations({ ja: "最大メッセージ数" })
          .setDescription(`How many messages to read at most (${MIN_MAX_MESSAGES}–${MAX_MAX_MESSAGES}, default ${DEFAULT_MAX_MESSAGES})`)
          .setDescriptionLocalizations({
            ja: `読むメッセージの最大数（${MIN_MAX_MESSAGES}〜${MAX_MAX_MESSAGES}、既定 ${DEFAULT_MAX_MESSAGES}）`,
          })
          .setMinValue(MIN_MAX_MESSAGES)
          .setMaxValue(MAX_MAX_MESSAGES),
      )
      .addIntegerOption((o) =>
        o
          .setName("minutes")
          .setNameLocalizations({ ja: "学習時間" })
          .setDescription(`Minutes of training (1–${MAX_TRAINING_MINUTES}, default ${DEFAULT_TRAINING_MINUTES})`)
          .setDescriptionLocalizations({ ja: `学習する時間（分、1〜${MAX_TRAINING_MINUTES}、既定 ${DEFAULT_TRAINING_MINUTES}）` })
          .setMinValue(1)
          .setMaxValue(MAX_TRAINING_MINUTES),
      )
      .addStringOption((o) =>
        o
          .setName("preset")
          .setNameLocalizations({ ja: "プリセット" })
          .setDescription(`The model's size (default ${DEFAULT_TRAINING_PRESET})`)
          .setDescriptionLocalizations({ ja: `モデルの大きさ（既定 ${DEFAULT_TRAINING_PRESET}）` })
          .addChoices(
            ...TRAINING_PRESETS.map((p) => ({ name: PRESET_NAMES[p].en, name_localizations: { ja: PRESET_NAMES[p].ja }, value: p })),
          ),
      )
      .addBooleanOption((o) =>
        o
          .setName("resume")
          .setNameLocalizations({ ja: "再開" })
          .setDescription("Continue the last run that was interrupted or stopped, from its last checkpoint")
          .setDescriptionLocalizations({ ja: "中断・停止した最後の学習を、最後のチェックポイントから続けます" }),
      ),
  )
  .addSubcommand((s) =>
    s
      .setName("status")
      .setNameLocalizations({ ja: "状況" })
      .setDescription("How the training is going: step, loss, time left, and the loss curve")
      .setDescriptionLocalizations({ ja: "学習の進み具合（ステップ、損失、残り時間、損失の曲線）" }),
  )
  .addSubcommand((s) =>
    s
      .setName("stop")
      .setNameLocalizations({ ja: "停止" })
      .setDescription("Stop the training; its last checkpoint becomes this server's model")
      .setDescriptionLocalizations({ ja: "学習を止めます。最後のチェックポイントがこのサーバーのモデルになります" }),
  );

export const guildOnly = true;
export const userPermissions: PermissionsString[] = ["ManageGuild"];

export async function execute(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<void> {
  switch (interaction.options.getSubcommand()) {
    case "start":
      return startTraining(interaction, ctx);
    case "status":
      return trainingStatus(interaction, ctx);
    case "stop":
      return stopTraining(interaction, ctx);
    default:
      throw new Error(`unknown subcommand of /train: ${interaction.options.getSubcommand()}`);
  }
}
