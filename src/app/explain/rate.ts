/**
 * `gradient-descent` (the slice and three walks) and `learning-rate` (the same walks, plus this
 * model's real warmup + cosine schedule, from the options its checkpoint recorded).
 */
import { learningRateAt, type LrSchedule } from "../../train/schedule.ts";
import { DEFAULT_TRAIN, type LossPoint } from "../../train/trainer.ts";
import { renderSchedule } from "../../render/explain-schedule.ts";
import type { ScheduleFacts } from "../../explain/facts.ts";
import type { ModelHandle } from "../model-handle.ts";
import { modelInfo } from "../model-info.ts";
import { computeSlice, contoursPicture, descentFacts } from "./descent.ts";
import type { TopicComputer } from "./common.ts";

export const explainGradientDescent: TopicComputer<"gradient-descent"> = ({ handle, texts, text }) => {
  const slice = computeSlice(handle, text, texts.defaults.sentence);
  return {
    facts: descentFacts(handle, slice),
    async render(words) {
      return [{ name: "gradient-descent.png", png: await contoursPicture(slice, words) }];
    },
  };
};

/**
 * The schedule the model was trained with: the options recorded in its checkpoint, with the
 * same defaults trainModel applies (warmup = min(100, steps / 10)).
 */
export function modelSchedule(handle: ModelHandle): LrSchedule & { recorded: boolean } {
  const extra = (handle.meta.extra ?? {}) as { options?: Record<string, unknown>; totalSteps?: unknown };
  const o = extra.options ?? {};
  const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : undefined);
  const totalSteps = num(extra.totalSteps) ?? num(o.steps) ?? Math.max(1, handle.meta.step);
  const steps = num(o.steps);
  return {
    maxLr: num(o.maxLr) ?? DEFAULT_TRAIN.maxLr,
    minLr: num(o.minLr) ?? DEFAULT_TRAIN.minLr,
    warmupSteps: num(o.warmupSteps) ?? Math.min(DEFAULT_TRAIN.warmupSteps, Math.max(1, Math.floor((steps ?? 1000) / 10))),
    totalSteps,
    recorded: extra.options !== undefined,
  };
}

export const explainLearningRate: TopicComputer<"learning-rate"> = ({ handle, texts, text }) => {
  const slice = computeSlice(handle, text, texts.defaults.sentence);
  const schedule = modelSchedule(handle);
  const step = handle.meta.step;
  const scheduleFacts: ScheduleFacts = {
    maxLr: schedule.maxLr,
    minLr: schedule.minLr,
    warmupSteps: schedule.warmupSteps,
    totalSteps: schedule.totalSteps,
    step,
    lrAtStep: learningRateAt(Math.max(0, step - 1), schedule),
    recorded: schedule.recorded,
  };
  const curve: LossPoint[] = modelInfo(handle).curve;
  // a curve point at step s was made by the update that used the rate of step s − 1
  const recorded = curve.filter((p) => Number.isFinite(p.lr)).map((p) => [p.step - 1, p.lr] as [number, number]);
  const samples = Math.min(400, schedule.totalSteps);
  const line = Array.from({ length: samples + 1 }, (_, k) => {
    const s = Math.round((k * schedule.totalSteps) / samples);
    return [s, learningRateAt(s, schedule)] as [number, number];
  });
  return {
    facts: { ...descentFacts(handle, slice), schedule: scheduleFacts },
    async render(words) {
      const map = await contoursPicture(slice, words);
      const s = words.schedule;
      const chart = await renderSchedule({
        title: s.title,
        subtitle: s.subtitle,
        xLabel: s.xLabel,
        yLabel: s.yLabel,
        schedule: line,
        scheduleLabel: s.line,
        recorded,
        recordedLabel: s.recorded,
        marks: [
          { step: schedule.warmupSteps, label: s.warmupEnd },
          ...(step > 0 && step < schedule.totalSteps ? [{ step, label: s.lastStep }] : []),
        ],
        notes: s.notes,
      });
      return [
        { name: "learning-rate.png", png: map },
        { name: "schedule.png", png: chart },
      ];
    },
  };
};
