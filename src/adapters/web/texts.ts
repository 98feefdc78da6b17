/**
 * What the playground says, in English and Japanese (the page sends the browser's language).
 * Sentences about bad option values come from src/app/input-messages.ts, like the bot's.
 */
import { inputErrorMessage } from "../../app/input-messages.ts";
import { fineTuneSentences } from "../../app/fine-tune-sentences.ts";
import type { MemoryTooSmall } from "../../app/training-memory.ts";
import { endNote, trainingNumbers } from "../../app/training-line.ts";
import { formatDuration, formatInt, formatLoss } from "../../app/number-format.ts";
import type { TrainingOutcome, TrainingSnapshot } from "../../app/training-service.ts";

import { type Lang, langOfLocale } from "../../lang.ts";
import { type ModelIdentity, modelName as modelNameIn } from "../../app/model-identity.ts";

export type { Lang };

/** "ja-JP,ja;q=0.9,en;q=0.8" or "ja" → "ja"; everything else English. */
export const langOf = langOfLocale;

/** The sentence for an InputError (or a typed line the parser refused), stating the values. */
export function errorSentence(lang: Lang, code: string, values: Record<string, unknown>, fallback: string): string {
  if (code === "not-enough-memory") return fineTuneSentences(lang).notEnoughMemory(values as unknown as MemoryTooSmall & { base: string });
  if (code === "not-enough-text" && typeof values.base === "string")
    return fineTuneSentences(lang).notEnoughText(
      values as { base: string; messages: number; characters: number; needMessages: number; needCharacters: number },
    );
  if (code === "not-enough-text")
    return texts(lang).trainNotEnoughText(values as { characters: number; needCharacters: number; preset: string });
  return inputErrorMessage(lang, code, values) ?? fallback;
}

export interface WebTexts {
  /** the model that answers, by its identity (one table for every surface: src/app/model-identity.ts) */
  modelName(identity: ModelIdentity): string;
  trainPanel: string;
  /** after "Forget my texts": how many kept documents were deleted */
  trainTextsForgotten: (deleted: number) => string;
  trainStarted(v: { preset: string; minutes: number; messages: number; characters: number }): string;
  trainProgress(s: TrainingSnapshot): string;
  trainOutcome(o: TrainingOutcome): string;
  trainNotRunning: string;
  trainStopping: string;
  trainAlreadyRunning: string;
  trainNotEnoughText(v: { characters: number; needCharacters: number; preset: string }): string;
}

const en: WebTexts = {
  modelName: (identity) => modelNameIn(identity, "en"),
  trainPanel:
    "Train your own model: paste a text or upload a .txt file (or use the shipped corpus), pick a size and a time, and watch the loss fall. " +
    "The texts you train on are kept in the playground's database, so that no answer hands them back word for word (copies are shown as […]); " +
    "**Forget my texts** deletes them.",
  trainTextsForgotten: (n) =>
    n === 0
      ? "No training texts were kept."
      : `Forgot ${formatInt(n, "en")} kept passage${n === 1 ? "" : "s"}. The models trained on them are still here, and may now repeat them uncut.`,
  trainStarted: (v) =>
    `Training a new **${v.preset}** model for up to ${v.minutes} min on ${formatInt(v.messages, "en")} passages (${formatInt(v.characters, "en")} characters). The current model answers until it is ready.`,
  trainProgress: (s) => {
    if (s.step === 0) return `Training (${s.preset}, ${s.minutes} min): learning the tokenizer…`;
    return trainingNumbers(s, "en") + (s.stopRequested ? " · stopping…" : "");
  },
  trainOutcome: (o) => {
    switch (o.status) {
      case "done":
        return `Training finished: ${formatInt(o.step, "en")} steps in ${formatDuration(o.seconds, "en")}, val loss ${formatLoss(o.valLoss)}.${endNote(o, "en")} The playground now uses your new model${o.model ? ` (#${o.model.id})` : ""}: say something to it!`;
      case "stopped":
        return o.model
          ? `Training stopped at step ${formatInt(o.step, "en")}. The last checkpoint (step ${formatInt(o.model.step, "en")}, val loss ${formatLoss(o.model.valLoss)}) is now the playground's model (#${o.model.id}).`
          : "Training stopped before its first evaluation: there was no checkpoint to keep, so the previous model stays.";
      case "failed":
        return o.tooFewTokens
          ? `Training failed: the text makes only ${formatInt(o.tooFewTokens.tokens, "en")} tokens; the ${o.tooFewTokens.preset} preset needs at least ${formatInt(o.tooFewTokens.needed, "en")}. The previous model stays.`
          : `Training failed: ${o.error ?? "unknown error"}. The previous model stays.`;
      case "interrupted":
        return "Training was interrupted (the server stopped). The previous model stays.";
      case "cancelled":
        return "Training was cancelled before it began.";
      case "wiped":
        return "Training ended because its data was wiped. Nothing it learned was kept.";
    }
  },
  trainNotRunning: "No training is running. Start one with /train.",
  trainStopping: "Stopping after the current step; the last checkpoint will be kept…",
  trainAlreadyRunning: "A training is already running (one at a time): follow it below or stop it with /train stop.",
  trainNotEnoughText: (v) =>
    `Not enough text to learn from: ${formatInt(v.characters, "en")} characters; the ${v.preset} preset needs at least ${formatInt(v.needCharacters, "en")} characters in 10 or more lines or paragraphs.`,
};

const ja: WebTexts = {
  modelName: (identity) => modelNameIn(identity, "ja"),
  trainPanel:
    "自分のモデルを学習させましょう: 文章を貼り付けるか .txt ファイルを選び（付属のコーパスも使えます）、大きさと時間を選ぶと、損失が下がっていく様子が見られます。" +
    "学習に使った文章は、答えがそのまま書き写さないように（写した部分は […] になります）プレイグラウンドのデータベースに保存されます。**学習した文章を忘れる** で削除できます。",
  trainTextsForgotten: (n) =>
    n === 0
      ? "保存された学習用の文章はありません。"
      : `保存された段落 ${formatInt(n, "ja")} 個を削除しました。それで学習したモデルは残っているため、これからはそのまま書き写すことがあります。`,
  trainStarted: (v) =>
    `新しい **${v.preset}** モデルを最長 ${v.minutes} 分、${formatInt(v.messages, "ja")} 個の段落（${formatInt(v.characters, "ja")} 文字）で学習します。完成までは今のモデルが答えます。`,
  trainProgress: (s) => {
    if (s.step === 0) return `学習中（${s.preset}、${s.minutes} 分）: トークナイザーを学習しています…`;
    return trainingNumbers(s, "ja") + (s.stopRequested ? " · 停止中…" : "");
  },
  trainOutcome: (o) => {
    switch (o.status) {
      case "done":
        return `学習が終わりました: ${formatInt(o.step, "ja")} ステップ、${formatDuration(o.seconds, "ja")}、検証損失 ${formatLoss(o.valLoss)}。${endNote(o, "ja")}これからは新しいモデル${o.model ? `（#${o.model.id}）` : ""}が答えます。話しかけてみてください！`;
      case "stopped":
        return o.model
          ? `ステップ ${formatInt(o.step, "ja")} で学習を止めました。最後のチェックポイント（ステップ ${formatInt(o.model.step, "ja")}、検証損失 ${formatLoss(o.model.valLoss)}）が今のモデル（#${o.model.id}）です。`
          : "最初の評価の前に止めたため、残すチェックポイントがありません。前のモデルのままです。";
      case "failed":
        return o.tooFewTokens
          ? `学習に失敗しました: 文章が ${formatInt(o.tooFewTokens.tokens, "ja")} トークンしかなく、${o.tooFewTokens.preset} には ${formatInt(o.tooFewTokens.needed, "ja")} トークン以上が必要です。前のモデルのままです。`
          : `学習に失敗しました: ${o.error ?? "不明なエラー"}。前のモデルのままです。`;
      case "interrupted":
        return "サーバーが止まったため学習が中断されました。前のモデルのままです。";
      case "cancelled":
        return "学習は始まる前に取り消されました。";
      case "wiped":
        return "データが全消去されたため学習を終えました。学んだ内容は残していません。";
    }
  },
  trainNotRunning: "学習は行われていません。/train で始められます。",
  trainStopping: "今のステップのあとで止めます。最後のチェックポイントは残ります…",
  trainAlreadyRunning: "すでに学習中です（一度に 1 つ）。下で進み具合を見るか、/train stop で止めてください。",
  trainNotEnoughText: (v) =>
    `学習する文章が足りません: ${formatInt(v.characters, "ja")} 文字。${v.preset} には 10 行（または 10 段落）以上、${formatInt(v.needCharacters, "ja")} 文字以上が必要です。`,
};

export function texts(lang: Lang): WebTexts {
  return lang === "ja" ? ja : en;
}
