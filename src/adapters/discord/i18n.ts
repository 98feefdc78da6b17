/**
 * Every line the bot says, in English and Japanese. A user whose Discord is set to Japanese
 * (interaction.locale "ja") gets Japanese; everyone else English. Chat replies follow the
 * language of the message they answer.
 */
import type { TrainingOutcome, TrainingSnapshot } from "../../app/training-service.ts";
import { inputErrorMessage } from "../../app/input-messages.ts";
import { TRAINING_SENTENCES } from "../../app/training-sentences.ts";
import { discordTime, formatInt } from "./format.ts";

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
  /** a queued training no worker has taken yet */
  trainQueued(s: TrainingSnapshot): string;
  /** a queued training whose worker died, taken over by another: the attempt, the step it resumed from (null: from the start) */
  trainHandedOver(v: { attempt: number; step: number | null }): string;
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
  trainProgress: (s) => `${trainingHead(s, "en")}\n${TRAINING_SENTENCES.en.progress(s, "server")}`,
  trainQueued: (s) =>
    `${trainingHead(s, "en")}\n⏳ Queued: waiting for a free training worker to take it${s.stopRequested ? " (it will be cancelled when one does)" : ""}…`,
  trainHandedOver: (v) =>
    `🔁 The worker training it stopped; another one took it over (attempt ${v.attempt}) ${v.step === null ? "and started again from the beginning (there was no checkpoint yet)" : `from the checkpoint at step ${formatInt(v.step, "en")}`}.`,
  trainOutcome: (o) => `${OUTCOME_MARK[o.status]} ${TRAINING_SENTENCES.en.outcome(o, "server")}`,
  trainAlreadyRunning: (progress) => TRAINING_SENTENCES.en.alreadyRunning("server", progress),
  trainNotEnoughText: (v) => TRAINING_SENTENCES.en.notEnoughText("server", v),
  trainNoSuchChannel: (ref) => `I can't find the channel ${ref} in this server. Give channels as #mentions, separated by spaces.`,
  trainNotTextChannel: (channel) => `${channel} is not a text channel I can read messages from.`,
  trainTooManyChannels: (max) => `Give at most ${max} channels at once.`,
  trainBotLacksIn: (channel, p) =>
    `I need the ${list(
      p.map((n) => `**${en.permission(n)}**`),
      "and",
    )} permission in ${channel} to read its history. Please ask a server admin to give it to me.`,
  trainReadFailed: (channels) => `⚠️ I could not read ${channels}; trained on the other channels.`,
  trainNotRunning: (last) => TRAINING_SENTENCES.en.notRunning("server", last, discordTime),
  trainStopping: `⏹️ ${TRAINING_SENTENCES.en.stopping}`,
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
  trainProgress: (s) => `${trainingHead(s, "ja")}\n${TRAINING_SENTENCES.ja.progress(s, "server")}`,
  trainQueued: (s) =>
    `${trainingHead(s, "ja")}\n⏳ 順番待ち: 空いた学習ワーカーが引き受けるのを待っています${s.stopRequested ? "（引き受けられた時点で取り消されます）" : ""}…`,
  trainHandedOver: (v) =>
    `🔁 学習していたワーカーが止まったため、別のワーカーが引き継ぎました（${v.attempt} 回目）。${v.step === null ? "チェックポイントがまだなかったので、最初からやり直しています。" : `ステップ ${formatInt(v.step, "ja")} のチェックポイントから再開しています。`}`,
  trainOutcome: (o) => `${OUTCOME_MARK[o.status]} ${TRAINING_SENTENCES.ja.outcome(o, "server")}`,
  trainAlreadyRunning: (progress) => TRAINING_SENTENCES.ja.alreadyRunning("server", progress),
  trainNotEnoughText: (v) => TRAINING_SENTENCES.ja.notEnoughText("server", v),
  trainNoSuchChannel: (ref) =>
    `このサーバーにチャンネル ${ref} が見つかりません。チャンネルは #メンションで、空白で区切って指定してください。`,
  trainNotTextChannel: (channel) => `${channel} はメッセージを読めるテキストチャンネルではありません。`,
  trainTooManyChannels: (max) => `一度に指定できるチャンネルは ${max} 個までです。`,
  trainBotLacksIn: (channel, p) =>
    `${channel} の履歴を読むには、ボットに「${p.map((n) => ja.permission(n)).join("」「")}」の権限が必要です。サーバー管理者に付与を依頼してください。`,
  trainReadFailed: (channels) => `⚠️ ${channels} は読めなかったため、ほかのチャンネルで学習しました。`,
  trainNotRunning: (last) => TRAINING_SENTENCES.ja.notRunning("server", last, discordTime),
  trainStopping: `⏹️ ${TRAINING_SENTENCES.ja.stopping}`,
  trainStopReply: (o) => ja.trainOutcome(o),
};

/** A training's first line: what is trained, on how much text. */
function trainingHead(s: TrainingSnapshot, lang: Lang): string {
  const corpus = s.corpus;
  if (lang === "ja")
    return `🧠 このサーバーのモデルを学習しています（プリセット ${s.preset}、${s.minutes} 分）${corpus ? `: メッセージ ${formatInt(corpus.messages, "ja")} 件（${formatInt(corpus.characters, "ja")} 文字）` : ""}。`;
  return `🧠 Training this server's model (${s.preset} preset, ${s.minutes} min)${corpus ? ` on ${formatInt(corpus.messages, "en")} messages (${formatInt(corpus.characters, "en")} characters)` : ""}.`;
}

const STRINGS: Record<Lang, Strings> = { en, ja };

/** Discord's mark before a training's end (the sentence itself is the playground's too). */
const OUTCOME_MARK: Record<TrainingOutcome["status"], string> = {
  done: "✅",
  stopped: "⏹️",
  failed: "❌",
  interrupted: "⚠️",
  cancelled: "⏹️",
  wiped: "🗑️",
};

export function strings(lang: Lang): Strings {
  return STRINGS[lang];
}
