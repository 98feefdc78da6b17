/**
 * A training's numbers on one line, as the bot's progress message and the playground's live card
 * show them: step **120** / 400 · loss 2.314 · val loss 2.401 · 4,105 tokens/s · about 1 min left
 */
import type { Lang as MessageLang } from "../lang.ts";
import { formatDuration, formatInt, formatLoss } from "./number-format.ts";
import type { TrainingSnapshot } from "./training-service.ts";

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
