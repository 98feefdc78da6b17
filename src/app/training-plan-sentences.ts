/**
 * What the surfaces say about a training's plan and its limits, once per language: how much text
 * each preset needs and how much is taken (the playground's panel, the /train preset choices),
 * a text cut to the maximum, and a run whose steps were re-planned while it ran.
 */
import type { Lang } from "../lang.ts";
import { formatInt } from "./number-format.ts";
import type { CorpusRequirement, TrainingLimits } from "./training-limits.ts";

export interface TrainingPlanSentences {
  /** "baby needs at least 1,302 characters in 10 or more lines or paragraphs" */
  presetNeeds(preset: string, need: CorpusRequirement): string;
  /** the panel's line under its text box: every preset's need, then the maximum */
  panelLimits(limits: TrainingLimits): string;
  /** a /train preset choice's tail: "needs 10+ messages, 1,302+ characters" */
  choiceNeeds(need: CorpusRequirement): string;
  /** a text longer than the maximum was cut (numbers already formatted, or the page's {kept} and {total}) */
  cut(kept: string, total: string): string;
  /** a planned run's steps changed while it ran, as its pace changed (a clause of the end note) */
  replanned(firstPlan: number, totalSteps: number, replans: number): string;
}

const en: TrainingPlanSentences = {
  presetNeeds: (preset, need) =>
    `${preset} needs at least ${formatInt(need.characters, "en")} characters in ${formatInt(need.messages, "en")} or more lines or paragraphs`,
  panelLimits: (l) =>
    `Needs: ${l.presets.map((p) => `${p.preset} ${formatInt(p.characters, "en")}+ characters`).join(", ")}, in ${formatInt(l.presets[0]?.messages ?? 0, "en")} or more lines or paragraphs. At most ${formatInt(l.maxCharacters, "en")} characters (a .txt file up to ${formatInt(l.maxUploadBytes / 1048576, "en")} MB); a longer text is cut.`,
  choiceNeeds: (need) => `needs ${formatInt(need.messages, "en")}+ messages, ${formatInt(need.characters, "en")}+ characters`,
  cut: (kept, total) => `The text was cut to ${kept} of its ${total} characters (the maximum).`,
  replanned: (first, total, replans) =>
    `re-planned from ${formatInt(first, "en")} to ${formatInt(total, "en")} steps (${formatInt(replans, "en")}×) as this computer's speed changed, to end near the time asked with the learning-rate schedule completed`,
};

const ja: TrainingPlanSentences = {
  presetNeeds: (preset, need) =>
    `${preset} には ${formatInt(need.messages, "ja")} 行・段落以上で ${formatInt(need.characters, "ja")} 文字以上が必要です`,
  panelLimits: (l) =>
    `必要な量: ${l.presets.map((p) => `${p.preset} は ${formatInt(p.characters, "ja")} 文字以上`).join("、")}（${formatInt(l.presets[0]?.messages ?? 0, "ja")} 行・段落以上）。最大 ${formatInt(l.maxCharacters, "ja")} 文字（.txt ファイルは ${formatInt(l.maxUploadBytes / 1048576, "ja")} MB まで）で、それより長い文章は切り詰めます。`,
  choiceNeeds: (need) => `${formatInt(need.messages, "ja")} 件・${formatInt(need.characters, "ja")} 文字以上が必要`,
  cut: (kept, total) => `文章を ${total} 文字のうち ${kept} 文字に切り詰めました（上限）。`,
  replanned: (first, total, replans) =>
    `このコンピューターの速さが変わったため、計画を ${formatInt(first, "ja")} ステップから ${formatInt(total, "ja")} ステップに立て直しました（${formatInt(replans, "ja")} 回。指定の時間の近くで終わり、学習率のスケジュールを最後まで進めるため）`,
};

export function trainingPlanSentences(lang: Lang): TrainingPlanSentences {
  return lang === "ja" ? ja : en;
}
