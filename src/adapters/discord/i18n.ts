/**
 * Every line the bot says, in English and Japanese. A user whose Discord is set to Japanese
 * (interaction.locale "ja") gets Japanese; everyone else English. Chat replies follow the
 * language of the message they answer.
 */
import type { TrainingOutcome, TrainingSnapshot } from "../../app/training-service.ts";
import { inputErrorMessage } from "../../app/input-messages.ts";
import { endNote, trainingNumbers } from "../../app/training-line.ts";
import { discordTime, formatDuration, formatInt, formatLoss } from "./format.ts";

import { type Lang, langOfLocale } from "../../lang.ts";
import { type ModelIdentity, modelName as modelNameIn } from "../../app/model-identity.ts";
import { SENTENCES } from "../../app/sentences.ts";

export { type Lang, langOfLocale };

/** Japanese when the text has kana or kanji. */
export function langOfText(text: string): Lang {
  return /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]/.test(text) ? "ja" : "en";
}

/** Permission names as Discord's own settings screens show them. */
const PERMISSION_NAMES: Record<string, Record<Lang, string>> = {
  ManageGuild: { en: "Manage Server", ja: "サーバー管理" },
  ReadMessageHistory: { en: "Read Message History", ja: "メッセージ履歴を読む" },
  ViewChannel: { en: "View Channel", ja: "チャンネルを見る" },
  SendMessages: { en: "Send Messages", ja: "メッセージを送信" },
  AttachFiles: { en: "Attach Files", ja: "ファイルを添付" },
  EmbedLinks: { en: "Embed Links", ja: "埋め込みリンク" },
};

export interface Strings {
  permission(name: string): string;
  commandFailed(command: string): string;
  unknownCommand(command: string): string;
  guildOnly: string;
  userLacks(permissions: string[]): string;
  botLacks(permissions: string[]): string;
  modelMissing: string;
  busy: string;
  /** the model that answers, by its identity (one table for every surface: src/app/model-identity.ts) */
  modelName(identity: ModelIdentity): string;
  /** one line per InputError code; undefined = use the error's own text */
  inputError(code: string, values: Record<string, unknown>): string | undefined;
  /** the heading of the breakdown under a chat reply in explain mode */
  explainBreakdownTitle: string;
  /** the button under an explain-mode chat reply that answers with its sources */
  sourcesButton: string;
  /** the per-user limit on expensive commands */
  tryAgainIn: (seconds: number) => string;
  trainChannelNotAllowed: (channel: string, allowed: string[]) => string;
  trainNothingToResume: string;

  // /train
  trainModelName: string;
  trainReading(v: { channels: string; read: number; kept: number; max: number }): string;
  trainProgress(s: TrainingSnapshot): string;
  trainOutcome(o: TrainingOutcome): string;
  trainAlreadyRunning(progress: string): string;
  trainNotEnoughText(v: {
    messages: number;
    characters: number;
    needMessages: number;
    needCharacters: number;
    preset: string;
    read: number;
  }): string;
  trainNoSuchChannel(reference: string): string;
  trainNotTextChannel(channel: string): string;
  trainTooManyChannels(max: number): string;
  trainBotLacksIn(channel: string, permissions: string[]): string;
  trainReadFailed(channels: string): string;
  trainNotRunning(last?: { status: string; at: number | null; steps: number | null }): string;
  trainStopping: string;
  trainStopReply(o: TrainingOutcome): string;
}

const list = (items: string[], and: string) =>
  items.length <= 1 ? items.join("") : `${items.slice(0, -1).join(", ")} ${and} ${items[items.length - 1]}`;

const en: Strings = {
  permission: (name) => PERMISSION_NAMES[name]?.en ?? name,
  commandFailed: (command) => SENTENCES.en.commandFailed(`/${command}`),
  unknownCommand: (command) => `I don't know /${command}. The command list may have just changed: try again in a minute.`,
  guildOnly: "This command works only in a server, not in DMs.",
  userLacks: (p) =>
    `You need the ${list(
      p.map((n) => `**${en.permission(n)}**`),
      "and",
    )} permission to use this command.`,
  botLacks: (p) =>
    `I need the ${list(
      p.map((n) => `**${en.permission(n)}**`),
      "and",
    )} permission in this channel. Please ask a server admin to give it to me.`,
  modelMissing: "No model is available yet: the default model file is missing. Please tell the bot's host.",
  busy: "I'm busy thinking about other messages. Please try again in a moment.",
  modelName: (identity) => modelNameIn(identity, "en"),
  inputError: (code, v) => inputErrorMessage("en", code, v),
  explainBreakdownTitle: "How I chose each token (chosen, then the runners-up):",
  sourcesButton: "Where did I learn this? (/sources)",
  tryAgainIn: (s) => `I'm still catching my breath from your last requests: please try again in ${s} s.`,
  trainNothingToResume: "There is no interrupted or stopped training with a checkpoint to resume in this server.",
  trainChannelNotAllowed: (c, a) => `An admin allowed \`/train\` to read only ${a.join(" ")}; ${c} is not one of them.`,

  trainModelName: "this server's new model",
  trainReading: (v) =>
    `📖 Reading the message history of ${v.channels}: ${formatInt(v.read, "en")} of at most ${formatInt(v.max, "en")} messages read, ${formatInt(v.kept, "en")} kept (bots, system messages and empty ones are skipped)…`,
  trainProgress: (s) => {
    const head = `🧠 Training this server's model (${s.preset} preset, ${s.minutes} min)${s.corpus ? ` on ${formatInt(s.corpus.messages, "en")} messages (${formatInt(s.corpus.characters, "en")} characters)` : ""}.`;
    if (s.step === 0) return `${head}\nPreparing: learning the tokenizer from the messages…${s.stopRequested ? "\nStopping…" : ""}`;
    return `${head}\n${trainingNumbers(s, "en")}${s.stopRequested ? "\n⏹️ Stopping after this step; the last checkpoint will be kept…" : ""}`;
  },
  trainOutcome: (o) => {
    switch (o.status) {
      case "done":
        return `✅ Training finished: ${formatInt(o.step, "en")} steps in ${formatDuration(o.seconds, "en")} (${formatInt(o.tokensPerSecond, "en")} tokens/s), val loss ${formatLoss(o.valLoss)}.${endNote(o, "en")} This server now uses its new model${o.model ? ` (server model #${o.model.id})` : ""}: mention me to chat with it!`;
      case "stopped":
        return o.model
          ? `⏹️ Training stopped at step ${formatInt(o.step, "en")}${o.totalSteps !== null ? ` of ${formatInt(o.totalSteps, "en")}` : ""}. The last checkpoint (step ${formatInt(o.model.step, "en")}, val loss ${formatLoss(o.model.valLoss)}) is now this server's model (server model #${o.model.id}).`
          : `⏹️ Training stopped before its first evaluation: there is no checkpoint to keep, so this server keeps its previous model.`;
      case "failed":
        return o.tooFewTokens
          ? `❌ Training failed: the messages make only ${formatInt(o.tooFewTokens.tokens, "en")} tokens, the ${o.tooFewTokens.preset} preset needs at least ${formatInt(o.tooFewTokens.needed, "en")}. This server keeps its previous model.`
          : "❌ Training failed (the error was logged). This server keeps its previous model.";
      case "interrupted":
        return "⚠️ Training was interrupted (the bot restarted or shut down). This server keeps its previous model.";
      case "cancelled":
        return "⏹️ Stopped while reading messages: nothing was trained, and this server keeps its model.";
      case "wiped":
        return "🗑️ Training ended: an admin wiped this server's data. Nothing it learned was kept.";
    }
  },
  trainAlreadyRunning: (progress) =>
    `A training is already running in this server (one at a time):\n${progress}\nUse \`/train status\` to follow it or \`/train stop\` to stop it.`,
  trainNotEnoughText: (v) =>
    `Not enough text to learn from: ${formatInt(v.messages, "en")} message${v.messages === 1 ? "" : "s"} with ${formatInt(v.characters, "en")} characters are stored for this server ` +
    `(${formatInt(v.read, "en")} read just now). The ${v.preset} preset needs at least ${formatInt(v.needMessages, "en")} messages and ${formatInt(v.needCharacters, "en")} characters: ` +
    "add channels or raise max_messages.",
  trainNoSuchChannel: (ref) => `I can't find the channel ${ref} in this server. Give channels as #mentions, separated by spaces.`,
  trainNotTextChannel: (channel) => `${channel} is not a text channel I can read messages from.`,
  trainTooManyChannels: (max) => `Give at most ${max} channels at once.`,
  trainBotLacksIn: (channel, p) =>
    `I need the ${list(
      p.map((n) => `**${en.permission(n)}**`),
      "and",
    )} permission in ${channel} to read its history. Please ask a server admin to give it to me.`,
  trainReadFailed: (channels) => `⚠️ I could not read ${channels}; trained on the other channels.`,
  trainNotRunning: (last) =>
    last === undefined
      ? "No training is running, and this server has never trained a model. An admin can start one with `/train start`."
      : `No training is running. The last one ${last.status === "done" ? "finished" : `ended (${last.status})`}${last.at !== null ? ` ${discordTime(last.at)}` : ""}${last.steps !== null ? ` after ${formatInt(last.steps, "en")} steps` : ""}.`,
  trainStopping: "⏹️ Stopping: the training's own message will say when the last checkpoint is installed.",
  trainStopReply: (o) => en.trainOutcome(o),
};

const ja: Strings = {
  permission: (name) => PERMISSION_NAMES[name]?.ja ?? name,
  commandFailed: (command) => SENTENCES.ja.commandFailed(`/${command}`),
  unknownCommand: (command) =>
    `/${command} というコマンドは知りません。コマンド一覧が更新されたばかりかもしれません。少し待ってからお試しください。`,
  guildOnly: "このコマンドはサーバー内でのみ使えます（DM では使えません）。",
  userLacks: (p) => `このコマンドを使うには「${p.map((n) => ja.permission(n)).join("」「")}」の権限が必要です。`,
  botLacks: (p) =>
    `このチャンネルでの「${p.map((n) => ja.permission(n)).join("」「")}」の権限がボットにありません。サーバー管理者に付与を依頼してください。`,
  modelMissing: "まだ使えるモデルがありません（既定のモデルのファイルが見つかりません）。ボットの管理者に知らせてください。",
  busy: "ほかのメッセージを考えている最中です。少し待ってからもう一度どうぞ。",
  modelName: (identity) => modelNameIn(identity, "ja"),
  inputError: (code, v) => inputErrorMessage("ja", code, v),
  explainBreakdownTitle: "トークンの選び方（選んだもの、続いて次点の候補）:",
  sourcesButton: "どこで学んだ？（/sources）",
  tryAgainIn: (s) => `続けてのリクエストで少し息切れしています。${s} 秒後にもう一度どうぞ。`,
  trainNothingToResume: "このサーバーには、再開できる（チェックポイントのある）中断・停止した学習がありません。",
  trainChannelNotAllowed: (c, a) => `管理者が \`/train\` に許可したのは ${a.join(" ")} だけです。${c} は含まれていません。`,

  trainModelName: "このサーバーの新しいモデル",
  trainReading: (v) =>
    `📖 ${v.channels} のメッセージ履歴を読んでいます: 最大 ${formatInt(v.max, "ja")} 件のうち ${formatInt(v.read, "ja")} 件を読み、${formatInt(v.kept, "ja")} 件を使います（ボット・システムメッセージ・空のメッセージは除きます）…`,
  trainProgress: (s) => {
    const head = `🧠 このサーバーのモデルを学習しています（プリセット ${s.preset}、${s.minutes} 分）${s.corpus ? `: メッセージ ${formatInt(s.corpus.messages, "ja")} 件（${formatInt(s.corpus.characters, "ja")} 文字）` : ""}。`;
    if (s.step === 0) return `${head}\n準備中: メッセージからトークナイザーを作っています…${s.stopRequested ? "\n停止しています…" : ""}`;
    return `${head}\n${trainingNumbers(s, "ja")}${s.stopRequested ? "\n⏹️ このステップで停止し、最後のチェックポイントを残します…" : ""}`;
  },
  trainOutcome: (o) => {
    switch (o.status) {
      case "done":
        return `✅ 学習が終わりました: ${formatInt(o.step, "ja")} ステップ、${formatDuration(o.seconds, "ja")}（毎秒 ${formatInt(o.tokensPerSecond, "ja")} トークン）、検証損失 ${formatLoss(o.valLoss)}。${endNote(o, "ja")}このサーバーは新しいモデル${o.model ? `（このサーバーのモデル #${o.model.id}）` : ""}を使います。メンションして話しかけてみてください！`;
      case "stopped":
        return o.model
          ? `⏹️ ステップ ${formatInt(o.step, "ja")}${o.totalSteps !== null ? ` / ${formatInt(o.totalSteps, "ja")}` : ""} で学習を停止しました。最後のチェックポイント（ステップ ${formatInt(o.model.step, "ja")}、検証損失 ${formatLoss(o.model.valLoss)}）をこのサーバーのモデル（#${o.model.id}）にしました。`
          : "⏹️ 最初の評価の前に停止したため、残せるチェックポイントがありません。このサーバーは前のモデルを使い続けます。";
      case "failed":
        return o.tooFewTokens
          ? `❌ 学習に失敗しました: メッセージが ${formatInt(o.tooFewTokens.tokens, "ja")} トークンにしかならず、プリセット ${o.tooFewTokens.preset} には ${formatInt(o.tooFewTokens.needed, "ja")} トークン以上が必要です。このサーバーは前のモデルを使い続けます。`
          : "❌ 学習に失敗しました（エラーは記録しました）。このサーバーは前のモデルを使い続けます。";
      case "interrupted":
        return "⚠️ 学習が中断されました（ボットの再起動または終了）。このサーバーは前のモデルを使い続けます。";
      case "cancelled":
        return "⏹️ メッセージを読んでいる途中で停止しました。学習はしておらず、このサーバーのモデルは変わりません。";
      case "wiped":
        return "🗑️ 管理者がこのサーバーのデータを全消去したため、学習を終えました。学んだ内容は残していません。";
    }
  },
  trainAlreadyRunning: (progress) =>
    `このサーバーではすでに学習が進行中です（同時にひとつまで）:\n${progress}\n\`/train status\` で様子を見るか、\`/train stop\` で停止できます。`,
  trainNotEnoughText: (v) =>
    `学習に使える文章が足りません: このサーバーに保存されたメッセージは ${formatInt(v.messages, "ja")} 件・${formatInt(v.characters, "ja")} 文字です（今回読んだのは ${formatInt(v.read, "ja")} 件）。` +
    `プリセット ${v.preset} には ${formatInt(v.needMessages, "ja")} 件以上・${formatInt(v.needCharacters, "ja")} 文字以上が必要です。チャンネルを増やすか、最大メッセージ数を大きくしてください。`,
  trainNoSuchChannel: (ref) =>
    `このサーバーにチャンネル ${ref} が見つかりません。チャンネルは #メンションで、空白で区切って指定してください。`,
  trainNotTextChannel: (channel) => `${channel} はメッセージを読めるテキストチャンネルではありません。`,
  trainTooManyChannels: (max) => `一度に指定できるチャンネルは ${max} 個までです。`,
  trainBotLacksIn: (channel, p) =>
    `${channel} の履歴を読むには、ボットに「${p.map((n) => ja.permission(n)).join("」「")}」の権限が必要です。サーバー管理者に付与を依頼してください。`,
  trainReadFailed: (channels) => `⚠️ ${channels} は読めなかったため、ほかのチャンネルで学習しました。`,
  trainNotRunning: (last) =>
    last === undefined
      ? "学習は行われていません。このサーバーはまだモデルを学習したことがありません。管理者が `/train start` で始められます。"
      : `学習は行われていません。前回の学習は${last.at !== null ? ` ${discordTime(last.at)} に` : ""}${last.status === "done" ? "完了" : `終了（${last.status}）`}しました${last.steps !== null ? `（${formatInt(last.steps, "ja")} ステップ）` : ""}。`,
  trainStopping: "⏹️ 停止しています。最後のチェックポイントを組み込んだら、学習のメッセージでお知らせします。",
  trainStopReply: (o) => ja.trainOutcome(o),
};

const STRINGS: Record<Lang, Strings> = { en, ja };

export function strings(lang: Lang): Strings {
  return STRINGS[lang];
}
