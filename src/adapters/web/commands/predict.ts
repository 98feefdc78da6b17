/** /predict text [k] [temperature] [heads]: the most likely next tokens, as a list and the bot's picture. */
import { predictPicture } from "../../../app/pictures.ts";
import { predictNext, visibleToken } from "../../../app/predict.ts";
import { predictAblated } from "../../../app/ablate.ts";
import { headsOffLine } from "../../../app/look-lines.ts";
import { type WebCommand, webSpec } from "../command-spec.ts";
import { quoteEnd, texts } from "../texts.ts";
import { identityOf } from "../../../app/model-identity.ts";

export const predict: WebCommand = {
  spec: webSpec("predict"),
  async run(o, ctx) {
    const t = texts(ctx.lang);
    const handle = await ctx.registry.forGuild(ctx.space);
    const model = t.modelName(identityOf(handle));
    return ctx.heavy(async () => {
      const options = { k: o.k as number | undefined, temperature: o.temperature as number | undefined };
      // heads: the same prediction from the model with those heads switched off
      const heads = o.heads as string | undefined;
      const ablated = heads ? predictAblated(handle, String(o.text), { ...options, heads }) : null;
      const result = ablated ?? predictNext(handle, String(o.text), options);
      const lines = [t.predictHeader({ quote: quoteEnd(result.text), model, temperature: result.temperature })];
      // the picture shows every candidate; the text, the three likeliest
      result.candidates.slice(0, 3).forEach((c, i) => lines.push(`${i + 1}. **${visibleToken(c.token)}** ${(c.prob * 100).toFixed(1)} %`));
      if (ablated) lines.push(headsOffLine(ablated.heads, ctx.lang));
      if (result.unknown > 0) lines.push(t.unknownChars(result.unknown));
      if (result.dropped > 0) lines.push(t.droppedTokens(result.dropped));
      return { text: lines.join("\n"), images: [{ name: "predict.png", png: await predictPicture(result, ctx.lang, model) }] };
    });
  },
};
