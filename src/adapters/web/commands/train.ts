/**
 * /train [start|status|stop] [preset] [minutes] [source]: train the playground's own model.
 * `/train` alone opens the panel to paste or upload a text; `/train start source:corpus` starts
 * at once on the shipped corpus.
 */
import {
  DEFAULT_TRAINING_MINUTES,
  DEFAULT_TRAINING_PRESET,
  MAX_TRAINING_MINUTES,
  TRAINING_PRESETS,
  type TrainingPreset,
} from "../../../app/training-service.ts";
import type { WebCommand } from "../command-spec.ts";
import { localTrainingStatus, startLocalTraining, stopLocalTraining } from "../local-training.ts";
import { texts } from "../texts.ts";

export const train: WebCommand = {
  spec: {
    name: "train",
    description: {
      en: "Train your own model on a text, and watch the loss fall",
      ja: "文章で自分のモデルを学習させ、損失が下がる様子を見る",
    },
    options: [
      {
        name: "action",
        type: "string",
        description: { en: "start (default), status or stop", ja: "start（既定）、status、stop" },
        choices: [
          { value: "start", label: { en: "start: train a new model", ja: "start: 新しいモデルを学習" } },
          { value: "status", label: { en: "status: how the training is going", ja: "status: 学習の進み具合" } },
          { value: "stop", label: { en: "stop: stop and keep the last checkpoint", ja: "stop: 止めて最後のチェックポイントを残す" } },
        ],
      },
      {
        name: "preset",
        type: "string",
        description: {
          en: `The model's size (default ${DEFAULT_TRAINING_PRESET})`,
          ja: `モデルの大きさ（既定 ${DEFAULT_TRAINING_PRESET}）`,
        },
        choices: TRAINING_PRESETS.map((p) => ({
          value: p,
          label: {
            en: p === "tiny" ? "tiny: a toy, learns in seconds" : "baby: 4 layers, readable text after a few minutes",
            ja: p === "tiny" ? "tiny: おもちゃ。数秒で学習" : "baby: 4 レイヤー。数分で読める文章に",
          },
        })),
      },
      {
        name: "minutes",
        type: "integer",
        min: 1,
        max: MAX_TRAINING_MINUTES,
        description: {
          en: `Minutes of training (default ${DEFAULT_TRAINING_MINUTES})`,
          ja: `学習する時間（分、既定 ${DEFAULT_TRAINING_MINUTES}）`,
        },
      },
      {
        name: "source",
        type: "string",
        description: {
          en: "What to learn from: the shipped corpus, or a text of yours (opens the panel)",
          ja: "学習する文章: 付属のコーパス、または自分の文章（パネルを開く）",
        },
        choices: [
          { value: "corpus", label: { en: "corpus: the shipped English and Japanese texts", ja: "corpus: 付属の英語と日本語の文章" } },
          { value: "text", label: { en: "text: paste or upload your own", ja: "text: 自分の文章を貼り付け・アップロード" } },
        ],
      },
    ],
  },
  async run(o, ctx) {
    const action = (o.action as string | undefined) ?? "start";
    if (action === "status") return localTrainingStatus(ctx);
    if (action === "stop") return stopLocalTraining(ctx);
    if (o.source !== "corpus") return { text: texts(ctx.lang).trainPanel, panel: "train" };
    return startLocalTraining(ctx, {
      source: "corpus",
      preset: (o.preset as TrainingPreset | undefined) ?? DEFAULT_TRAINING_PRESET,
      minutes: (o.minutes as number | undefined) ?? DEFAULT_TRAINING_MINUTES,
    });
  },
};
