/**
 * /admin channels|retention|wipe (Manage Server): which channels /train may read, how long
 * stored messages are kept, and wiping the server's data.
 */
import { type ChatInputCommandInteraction, PermissionFlagsBits, type PermissionsString, SlashCommandBuilder } from "discord.js";
import { applyRetention, setAllowedChannels, setRetentionDays } from "../src/app/guild-policy.ts";
import type { CommandContext } from "../src/adapters/discord/command.ts";
import { respond } from "../src/adapters/discord/outgoing.ts";

export const data = new SlashCommandBuilder()
  .setName("admin")
  .setNameLocalizations({ ja: "管理" })
  .setDescription("Server data settings (Manage Server)")
  .setDescriptionLocalizations({ ja: "サーバーのデータの設定（サーバー管理権限）" })
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
  .addSubcommand((sub) =>
    sub
      .setName("channels")
      .setNameLocalizations({ ja: "チャンネル" })
      .setDescription("The only channels /train may read (leave empty: any channel)")
      .setDescriptionLocalizations({ ja: "/train が読んでよいチャンネル（空ならすべて）" })
      .addStringOption((o) =>
        o
          .setName("channels")
          .setNameLocalizations({ ja: "チャンネル" })
          .setDescription("#channel mentions, separated by spaces")
          .setDescriptionLocalizations({ ja: "#チャンネル（スペース区切り）" }),
      ),
  )
  .addSubcommand((sub) =>
    sub
      .setName("retention")
      .setNameLocalizations({ ja: "保存期間" })
      .setDescription("Delete stored messages older than this many days (0: keep)")
      .setDescriptionLocalizations({ ja: "この日数より古い保存メッセージを削除（0 なら残す）" })
      .addIntegerOption((o) =>
        o
          .setName("days")
          .setNameLocalizations({ ja: "日数" })
          .setDescription("0–3650")
          .setDescriptionLocalizations({ ja: "0〜3650" })
          .setRequired(true)
          .setMinValue(0)
          .setMaxValue(3650),
      ),
  )
  .addSubcommand((sub) =>
    sub
      .setName("wipe")
      .setNameLocalizations({ ja: "全消去" })
      .setDescription("Delete every stored message, model and training run of this server")
      .setDescriptionLocalizations({ ja: "このサーバーの保存メッセージ・モデル・学習記録をすべて削除" })
      .addBooleanOption((o) =>
        o
          .setName("confirm")
          .setNameLocalizations({ ja: "確認" })
          .setDescription("true to really do it")
          .setDescriptionLocalizations({ ja: "本当に消すなら true" }),
      ),
  );

export const guildOnly = true;
export const userPermissions: PermissionsString[] = ["ManageGuild"];

export async function execute(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<void> {
  const guildId = interaction.guildId!;
  const sub = interaction.options.getSubcommand();
  if (sub === "channels") {
    const ids = [...(interaction.options.getString("channels") ?? "").matchAll(/<#(\d+)>|\b(\d{15,20})\b/g)].map((m) => m[1] ?? m[2]);
    setAllowedChannels(ctx.store, guildId, ids);
    await respond(interaction, ctx.text.adminChannels(ids.map((id) => `<#${id}>`)), { ephemeral: true });
  } else if (sub === "retention") {
    const days = interaction.options.getInteger("days", true);
    setRetentionDays(ctx.store, guildId, days);
    applyRetention(ctx.store, guildId);
    await respond(interaction, ctx.text.adminRetention(days), { ephemeral: true });
  } else {
    if (interaction.options.getBoolean("confirm") !== true) {
      await respond(interaction, ctx.text.adminWipeNeedsConfirm, { ephemeral: true });
      return;
    }
    // a running training first: it must never install a model trained on what is wiped
    await ctx.training.discard(guildId);
    const rows = ctx.store.forgetGuild(guildId);
    ctx.registry.forget(guildId);
    await respond(interaction, ctx.text.adminWiped(rows), { ephemeral: true });
  }
}
