/**
 * What the playground's training panel shows before anything is pasted, in one language: the
 * limits (src/app/training-limits.ts) and their sentences, and the sentence for a cut text with
 * {kept} and {total} for the page to fill in (the page counts what it cut).
 *   { limits, text, needs: { tiny: "tiny needs at least …", … }, cut: "The text was cut to {kept} of its {total} …" }
 */
import type { Lang } from "../lang.ts";
import { TRAINING_PRESETS } from "./catalogue/commands.ts";
import { type TrainingLimits, trainingLimits } from "./training-limits.ts";
import { trainingPlanSentences } from "./training-plan-sentences.ts";

export interface TrainingPanel {
  limits: TrainingLimits;
  text: string;
  needs: Record<string, string>;
  cut: string;
}

export function trainingPanel(lang: Lang): TrainingPanel {
  const limits = trainingLimits(TRAINING_PRESETS);
  const s = trainingPlanSentences(lang);
  return {
    limits,
    text: s.panelLimits(limits),
    needs: Object.fromEntries(limits.presets.map((p) => [p.preset, s.presetNeeds(p.preset, p)])),
    cut: s.cut("{kept}", "{total}"),
  };
}
