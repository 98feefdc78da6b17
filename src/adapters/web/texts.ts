/**
 * What the playground says, in English and Japanese (the page sends the browser's language).
 * Sentences about bad option values come from src/app/input-messages.ts, and a training's from
 * src/app/training-sentences.ts, like the bot's; the panel's own sentences are here.
 */
import { inputErrorMessage } from "../../app/input-messages.ts";
import { formatInt } from "../../app/number-format.ts";
import { utcTime } from "../../app/reply.ts";
import { TRAINING_SENTENCES } from "../../app/training-sentences.ts";
import type { TrainingOutcome, TrainingSnapshot } from "../../app/training-service.ts";

import { type Lang, langOfLocale } from "../../lang.ts";
import { type ModelIdentity, modelName as modelNameIn } from "../../app/model-identity.ts";

export type { Lang };

/** "ja-JP,ja;q=0.9,en;q=0.8" or "ja" → "ja"; everything else English. */
export const langOf = langOfLocale;

/** The sentence for an InputError (or a typed line the parser refused), stating the values. */
export function errorSentence(lang: Lang, code: string, values: Record<string, unknown>, fallback: string): string {
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
  trainProgress: (s) => TRAINING_SENTENCES.en.progress(s, "playground"),
  trainOutcome: (o) => TRAINING_SENTENCES.en.outcome(o, "playground", { failureDetail: true }),
  trainNotRunning: TRAINING_SENTENCES.en.notRunning("playground", undefined, utcTime),
  trainStopping: TRAINING_SENTENCES.en.stopping,
  trainAlreadyRunning: TRAINING_SENTENCES.en.alreadyRunning("playground", null),
  trainNotEnoughText: (v) => TRAINING_SENTENCES.en.notEnoughText("playground", v),
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
  trainProgress: (s) => TRAINING_SENTENCES.ja.progress(s, "playground"),
  trainOutcome: (o) => TRAINING_SENTENCES.ja.outcome(o, "playground", { failureDetail: true }),
  trainNotRunning: TRAINING_SENTENCES.ja.notRunning("playground", undefined, utcTime),
  trainStopping: TRAINING_SENTENCES.ja.stopping,
  trainAlreadyRunning: TRAINING_SENTENCES.ja.alreadyRunning("playground", null),
  trainNotEnoughText: (v) => TRAINING_SENTENCES.ja.notEnoughText("playground", v),
};

export function texts(lang: Lang): WebTexts {
  return lang === "ja" ? ja : en;
}
