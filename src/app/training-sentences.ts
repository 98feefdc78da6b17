/**
 * What a training says, once per language, for the bot and the playground alike: how it goes,
 * how it ended and whether its model now answers, why it cannot start. `where` names the place
 * ("server": a Discord server, "playground": the page). What is one medium's own stays in its
 * adapter: Discord's emoji and timestamps (`when` formats a moment as that medium shows it), the
 * page's panel. **bold** is the one mark (Discord and the page both show it bold).
 */
import type { Lang } from "../lang.ts";
import type { InstallDecision } from "./install-decision.ts";
import { notSwitchedReason } from "./model-sentences.ts";
import { formatDuration, formatInt, formatLoss } from "./number-format.ts";
import { endNote, trainingNumbers } from "./training-line.ts";
import type { TrainingOutcome, TrainingSnapshot } from "./training-service.ts";

export type TrainingWhere = "server" | "playground";

export interface LastRun {
  status: string;
  /** ms since the epoch */
  at: number | null;
  steps: number | null;
}

export interface TrainingSentences {
  /** the live line: numbers once it trains, else what it prepares (Discord puts its own first line above) */
  progress(s: TrainingSnapshot, where: TrainingWhere): string;
  /** how a training ended, and whether its model answers now (or waits to be chosen) */
  outcome(o: TrainingOutcome, where: TrainingWhere, options?: { failureDetail?: boolean }): string;
  notRunning(where: TrainingWhere, last: LastRun | undefined, when: (ms: number) => string): string;
  stopping: string;
  alreadyRunning(where: TrainingWhere, progress: string | null): string;
  notEnoughText(
    where: TrainingWhere,
    v: { characters: number; needCharacters: number; preset: string; messages?: number; needMessages?: number; read?: number },
  ): string;
}

/** The model a decision kept answering, as a sentence names it: "the shipped model", "#3", "gpt2". */
function inUseName(decision: InstallDecision, lang: Lang): string {
  const p = decision.previous;
  if (p.kind === "shipped") return lang === "ja" ? "付属のモデル" : "the shipped model";
  if (p.kind === "imported") return p.name;
  return p.info.name ? `#${p.info.id} “${p.info.name}”` : `#${p.info.id}`;
}

/** The steps a finished run trained: its last step (the weights kept may be an earlier step's, which the end note names). */
function stepsRun(o: TrainingOutcome): number {
  return o.summary?.kept.lastStep ?? o.step;
}

/** After a finished run: the new model answers, or it is kept and the one in use still answers (and why). */
function installClause(o: TrainingOutcome, where: TrainingWhere, lang: Lang): string {
  const id = o.model?.id;
  const d = o.installation;
  const ja = lang === "ja";
  if (d === undefined || d.switched || id === undefined) {
    if (where === "server")
      return ja
        ? `このサーバーは新しいモデル${id !== undefined ? `（このサーバーのモデル #${id}）` : ""}を使います。メンションして話しかけてみてください！`
        : `This server now uses its new model${id !== undefined ? ` (server model #${id})` : ""}: mention me to chat with it!`;
    return ja
      ? `これからは新しいモデル${id !== undefined ? `（#${id}）` : ""}が答えます。話しかけてみてください！`
      : `The playground now uses your new model${id !== undefined ? ` (#${id})` : ""}: say something to it!`;
  }
  const reason = notSwitchedReason(d.reason as "worse" | "not-comparable" | "unknown-loss", lang);
  const before =
    d.previousValLoss === null ? "" : ja ? `（検証損失 ${formatLoss(d.previousValLoss)}）` : ` (val loss ${formatLoss(d.previousValLoss)})`;
  return ja
    ? `新しいモデル #${id} は保存しましたが、答えるのはまだ ${inUseName(d, lang)}${before}です。${reason}。使うときは「これを使う」を押すか、\`/model use ref:#${id}\` で。`
    : `The new model #${id} is kept, but ${inUseName(d, lang)}${before} still answers: ${reason}. To switch, press **Use it** or run \`/model use ref:#${id}\`.`;
}

const en: TrainingSentences = {
  progress: (s, where) => {
    const stop = s.stopRequested ? " · stopping after this step; the last checkpoint will be kept…" : "";
    if (s.step === 0) return `Preparing: learning the tokenizer from the ${where === "server" ? "messages" : "text"}…${stop}`;
    return trainingNumbers(s, "en") + stop;
  },
  outcome: (o, where, options = {}) => {
    const keeps = where === "server" ? "This server keeps its previous model." : "The previous model stays.";
    switch (o.status) {
      case "done":
        return `Training finished: ${formatInt(stepsRun(o), "en")} steps in ${formatDuration(o.seconds, "en")} (${formatInt(o.tokensPerSecond, "en")} tokens/s), val loss ${formatLoss(o.valLoss)}.${endNote(o, "en")} ${installClause(o, where, "en")}`;
      case "stopped":
        if (!o.model) return `Training stopped before its first evaluation: there is no checkpoint to keep. ${keeps}`;
        return o.installation === undefined || o.installation.switched
          ? `Training stopped at step ${formatInt(o.step, "en")}${o.totalSteps !== null ? ` of ${formatInt(o.totalSteps, "en")}` : ""}. The last checkpoint (step ${formatInt(o.model.step, "en")}, val loss ${formatLoss(o.model.valLoss)}) is now ${where === "server" ? "this server's" : "the playground's"} model (${where === "server" ? "server model " : ""}#${o.model.id}).`
          : `Training stopped at step ${formatInt(o.step, "en")}${o.totalSteps !== null ? ` of ${formatInt(o.totalSteps, "en")}` : ""} (its last checkpoint: step ${formatInt(o.model.step, "en")}, val loss ${formatLoss(o.model.valLoss)}). ${installClause(o, where, "en")}`;
      case "failed":
        if (o.tooFewTokens)
          return `Training failed: the ${where === "server" ? "messages make" : "text makes"} only ${formatInt(o.tooFewTokens.tokens, "en")} tokens; the ${o.tooFewTokens.preset} preset needs at least ${formatInt(o.tooFewTokens.needed, "en")}. ${keeps}`;
        return options.failureDetail
          ? `Training failed: ${o.error ?? "unknown error"}. ${keeps}`
          : `Training failed (the error was logged). ${keeps}`;
      case "interrupted":
        return `Training was interrupted (the ${where === "server" ? "bot" : "playground"} restarted or shut down). ${keeps}`;
      case "cancelled":
        return `Stopped before training began: nothing was trained. ${keeps}`;
      case "wiped":
        return `Training ended: ${where === "server" ? "an admin wiped this server's data" : "its data was wiped"}. Nothing it learned was kept.`;
    }
  },
  notRunning: (where, last, when) => {
    const start = where === "server" ? "An admin can start one with `/train start`." : "Start one with `/train`.";
    if (last === undefined)
      return `No training is running${where === "server" ? ", and this server has never trained a model" : ""}. ${start}`;
    return `No training is running. The last one ${last.status === "done" ? "finished" : `ended (${last.status})`}${last.at !== null ? ` ${when(last.at)}` : ""}${last.steps !== null ? ` after ${formatInt(last.steps, "en")} steps` : ""}.`;
  },
  stopping: "Stopping after the current step; the last checkpoint will be kept, and the training's message will say what answers now.",
  alreadyRunning: (where, progress) =>
    `A training is already running${where === "server" ? " in this server" : ""} (one at a time)${progress === null ? "." : `:\n${progress}\n`}${progress === null ? " " : ""}Use \`/train status\` to follow it or \`/train stop\` to stop it.`,
  notEnoughText: (where, v) =>
    where === "server"
      ? `Not enough text to learn from: ${formatInt(v.messages ?? 0, "en")} message${v.messages === 1 ? "" : "s"} with ${formatInt(v.characters, "en")} characters are stored for this server (${formatInt(v.read ?? 0, "en")} read just now). The ${v.preset} preset needs at least ${formatInt(v.needMessages ?? 0, "en")} messages and ${formatInt(v.needCharacters, "en")} characters: add channels or raise max_messages.`
      : `Not enough text to learn from: ${formatInt(v.characters, "en")} characters; the ${v.preset} preset needs at least ${formatInt(v.needCharacters, "en")} characters in 10 or more lines or paragraphs.`,
};

const ja: TrainingSentences = {
  progress: (s, where) => {
    const stop = s.stopRequested ? " · このステップで停止し、最後のチェックポイントを残します…" : "";
    if (s.step === 0) return `準備中: ${where === "server" ? "メッセージ" : "文章"}からトークナイザーを作っています…${stop}`;
    return trainingNumbers(s, "ja") + stop;
  },
  outcome: (o, where, options = {}) => {
    const keeps = where === "server" ? "このサーバーは前のモデルを使い続けます。" : "前のモデルのままです。";
    switch (o.status) {
      case "done":
        return `学習が終わりました: ${formatInt(stepsRun(o), "ja")} ステップ、${formatDuration(o.seconds, "ja")}（毎秒 ${formatInt(o.tokensPerSecond, "ja")} トークン）、検証損失 ${formatLoss(o.valLoss)}。${endNote(o, "ja")}${installClause(o, where, "ja")}`;
      case "stopped":
        if (!o.model) return `最初の評価の前に停止したため、残せるチェックポイントがありません。${keeps}`;
        return o.installation === undefined || o.installation.switched
          ? `ステップ ${formatInt(o.step, "ja")}${o.totalSteps !== null ? ` / ${formatInt(o.totalSteps, "ja")}` : ""} で学習を停止しました。最後のチェックポイント（ステップ ${formatInt(o.model.step, "ja")}、検証損失 ${formatLoss(o.model.valLoss)}）を${where === "server" ? "このサーバー" : "プレイグラウンド"}のモデル（#${o.model.id}）にしました。`
          : `ステップ ${formatInt(o.step, "ja")}${o.totalSteps !== null ? ` / ${formatInt(o.totalSteps, "ja")}` : ""} で学習を停止しました（最後のチェックポイント: ステップ ${formatInt(o.model.step, "ja")}、検証損失 ${formatLoss(o.model.valLoss)}）。${installClause(o, where, "ja")}`;
      case "failed":
        if (o.tooFewTokens)
          return `学習に失敗しました: ${where === "server" ? "メッセージ" : "文章"}が ${formatInt(o.tooFewTokens.tokens, "ja")} トークンにしかならず、プリセット ${o.tooFewTokens.preset} には ${formatInt(o.tooFewTokens.needed, "ja")} トークン以上が必要です。${keeps}`;
        return options.failureDetail
          ? `学習に失敗しました: ${o.error ?? "不明なエラー"}。${keeps}`
          : `学習に失敗しました（エラーは記録しました）。${keeps}`;
      case "interrupted":
        return `学習が中断されました（${where === "server" ? "ボット" : "プレイグラウンド"}の再起動または終了）。${keeps}`;
      case "cancelled":
        return `学習が始まる前に停止しました。学習はしていません。${keeps}`;
      case "wiped":
        return `${where === "server" ? "管理者がこのサーバーのデータを全消去した" : "データが全消去された"}ため、学習を終えました。学んだ内容は残していません。`;
    }
  },
  notRunning: (where, last, when) => {
    const start = where === "server" ? "管理者が `/train start` で始められます。" : "`/train` で始められます。";
    if (last === undefined)
      return `学習は行われていません。${where === "server" ? "このサーバーはまだモデルを学習したことがありません。" : ""}${start}`;
    return `学習は行われていません。前回の学習は${last.at !== null ? ` ${when(last.at)} に` : ""}${last.status === "done" ? "完了" : `終了（${last.status}）`}しました${last.steps !== null ? `（${formatInt(last.steps, "ja")} ステップ）` : ""}。`;
  },
  stopping: "今のステップのあとで停止します。最後のチェックポイントは残り、どのモデルが答えるかは学習のメッセージでお知らせします。",
  alreadyRunning: (where, progress) =>
    `${where === "server" ? "このサーバーでは" : ""}すでに学習が進行中です（同時にひとつまで）${progress === null ? "。" : `:\n${progress}\n`}\`/train status\` で様子を見るか、\`/train stop\` で停止できます。`,
  notEnoughText: (where, v) =>
    where === "server"
      ? `学習に使える文章が足りません: このサーバーに保存されたメッセージは ${formatInt(v.messages ?? 0, "ja")} 件・${formatInt(v.characters, "ja")} 文字です（今回読んだのは ${formatInt(v.read ?? 0, "ja")} 件）。プリセット ${v.preset} には ${formatInt(v.needMessages ?? 0, "ja")} 件以上・${formatInt(v.needCharacters, "ja")} 文字以上が必要です。チャンネルを増やすか、最大メッセージ数を大きくしてください。`
      : `学習する文章が足りません: ${formatInt(v.characters, "ja")} 文字。${v.preset} には 10 行（または 10 段落）以上、${formatInt(v.needCharacters, "ja")} 文字以上が必要です。`,
};

export const TRAINING_SENTENCES: Record<Lang, TrainingSentences> = { en, ja };
