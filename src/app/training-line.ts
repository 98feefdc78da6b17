/**
 * A training's numbers on one line, as the bot's progress message and the playground's live card
 * show them: step **120** / 400 · loss 2.314 · val loss 2.401 · 4,105 tokens/s · about 1 min left
 */
import type { Lang as MessageLang } from "../lang.ts";
import { formatDuration, formatInt, formatLoss } from "./number-format.ts";
import type { TrainingOutcome, TrainingSnapshot } from "./training-service.ts";
import { trainingPlanSentences } from "./training-plan-sentences.ts";

export function trainingNumbers(s: TrainingSnapshot, lang: MessageLang): string {
  const ja = lang === "ja";
  const step = `${formatInt(s.step, lang)}**${s.totalSteps !== null ? ` / ${formatInt(s.totalSteps, lang)}` : ""}`;
  return [
    ja ? `ステップ **${step}` : `step **${step}`,
    `${ja ? "損失" : "loss"} ${formatLoss(s.trainLoss)}`,
    `${ja ? "検証損失" : "val loss"} ${formatLoss(s.valLoss)}`,
    ja ? `毎秒 ${formatInt(s.tokensPerSecond, lang)} トークン` : `${formatInt(s.tokensPerSecond, lang)} tokens/s`,
    ...(s.etaSeconds === null
      ? []
      : [ja ? `残り約 ${formatDuration(s.etaSeconds, lang)}` : `about ${formatDuration(s.etaSeconds, lang)} left`]),
  ].join(" · ");
}

/**
 * Why a finished run ended where it did, when that is worth a word (null otherwise): a planned
 * run did all its steps (re-planned while it ran, if its pace changed), or was cut by the time
 * limit; the weights kept are an earlier step's.
 */
export function trainingEndNote(o: TrainingOutcome, lang: MessageLang): string | null {
  const s = o.summary;
  if (s === null) return null;
  const ja = lang === "ja";
  const n = (x: number) => formatInt(x, lang);
  const notes: string[] = [];
  if (s.stopped === "time") {
    notes.push(
      ja
        ? `時間の上限で ${n(s.steps)} / ${n(s.totalSteps)} ステップで打ち切りました（計画を立てたときの計測よりこのコンピューターが遅くなったため）`
        : `cut at the time limit after ${n(s.steps)} of ${n(s.totalSteps)} planned steps (this computer ran slower than when the steps were planned)`,
    );
  } else if (s.stopped === "done" && s.planned) {
    notes.push(
      ja
        ? `計画した ${n(s.totalSteps)} ステップをすべて学習しました（開始時に計測した速さから、指定の時間に収まるように計画）`
        : `all ${n(s.totalSteps)} planned steps were trained (planned from this computer's speed, measured at the start, to fit the time asked)`,
    );
  }
  if (s.planned && s.firstPlan !== null && s.replans > 0)
    notes.push(trainingPlanSentences(lang).replanned(s.firstPlan, s.totalSteps, s.replans));
  if (s.kept.step !== s.kept.lastStep) {
    notes.push(
      ja
        ? `検証損失が最も低かったステップ ${n(s.kept.step)} の重みを残しました（最後のステップ ${n(s.kept.lastStep)} は ${formatLoss(s.kept.lastHeldOutLoss)}）`
        : `the weights kept are step ${n(s.kept.step)}'s, whose validation loss was the lowest (the last step, ${n(s.kept.lastStep)}, had ${formatLoss(s.kept.lastHeldOutLoss)})`,
    );
  }
  if (notes.length === 0) return null;
  return ja ? `${notes.join("。")}。` : `${notes.map((x, i) => (i === 0 ? x[0].toUpperCase() + x.slice(1) : x)).join("; ")}.`;
}

/** trainingEndNote as a clause to put after a sentence: "" when there is nothing to say. */
export function endNote(o: TrainingOutcome, lang: MessageLang): string {
  const note = trainingEndNote(o, lang);
  if (note === null) return "";
  return lang === "ja" ? note : ` ${note}`;
}
