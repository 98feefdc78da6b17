/**
 * /train [start|status|stop] [preset] [minutes] [source] [base]: train the playground's own model
 * (or fine-tune one of its models: base:gpt2, base:#2).
 * `/train` alone opens the panel to paste or upload a text; `/train start source:corpus` starts
 * at once on the shipped corpus.
 */
import { DEFAULT_TRAINING_MINUTES, DEFAULT_TRAINING_PRESET, type TrainingPreset } from "../../../app/training-service.ts";
import { type WebCommand, webSpec } from "../command-spec.ts";
import { localTrainingStatus, startLocalTraining, stopLocalTraining } from "../local-training.ts";
import { texts } from "../texts.ts";

export const train: WebCommand = {
  spec: webSpec("train"),
  async run(o, ctx) {
    const action = (o.action as string | undefined) ?? "start";
    if (action === "status") return localTrainingStatus(ctx);
    if (action === "stop") return stopLocalTraining(ctx);
    if (o.source !== "corpus") return { text: texts(ctx.lang).trainPanel, panel: "train" };
    return startLocalTraining(ctx, {
      source: "corpus",
      preset: (o.preset as TrainingPreset | undefined) ?? DEFAULT_TRAINING_PRESET,
      minutes: (o.minutes as number | undefined) ?? DEFAULT_TRAINING_MINUTES,
      ...(typeof o.base === "string" && { base: o.base, presetGiven: o.preset !== undefined }),
    });
  },
};
