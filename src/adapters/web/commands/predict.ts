/** /predict text [k] [temperature]: the most likely next tokens, as a list and the bot's picture. */
import { predictPicture } from "../../../app/pictures.ts";
import { PREDICT_DEFAULTS, predictNext, visibleToken } from "../../../app/predict.ts";
import { MAX_INPUT_CHARS } from "../../../app/prompt.ts";
import type { WebCommand } from "../command-spec.ts";
import { quoteEnd, texts } from "../texts.ts";

export const predict: WebCommand = {
  spec: {
    name: "predict",
    description: {
      en: "The tokens the model thinks come next, with their probabilities",
      ja: "モデルが次に来ると考えるトークンを確率つきで表示",
    },
    options: [
      {
        name: "text",
        type: "string",
        required: true,
        maxLength: MAX_INPUT_CHARS,
        description: { en: "The beginning of a text", ja: "文章の書き出し" },
      },
      {
        name: "k",
        type: "integer",
        min: 1,
        max: 50,
        description: { en: `How many candidates (default ${PREDICT_DEFAULTS.k})`, ja: `候補の数（既定 ${PREDICT_DEFAULTS.k}）` },
      },
      {
        name: "temperature",
        type: "number",
        min: 0.01,
        max: 10,
        description: { en: "Higher = flatter probabilities (default 1)", ja: "大きいほど確率が平らに（既定 1）" },
      },
    ],
  },
  async run(o, ctx) {
    const t = texts(ctx.lang);
    const handle = await ctx.registry.forGuild(ctx.space);
    const model = t.modelName(handle.name);
    return ctx.heavy(async () => {
      const result = predictNext(handle, String(o.text), {
        k: o.k as number | undefined,
        temperature: o.temperature as number | undefined,
      });
      const lines = [t.predictHeader({ quote: quoteEnd(result.text), model, temperature: result.temperature })];
      // the picture shows every candidate; the text, the three likeliest
      result.candidates.slice(0, 3).forEach((c, i) => lines.push(`${i + 1}. **${visibleToken(c.token)}** ${(c.prob * 100).toFixed(1)} %`));
      if (result.unknown > 0) lines.push(t.unknownChars(result.unknown));
      if (result.dropped > 0) lines.push(t.droppedTokens(result.dropped));
      return { text: lines.join("\n"), images: [{ name: "predict.png", png: await predictPicture(result, ctx.lang, model) }] };
    });
  },
};
