/** /why text [target]: which input tokens pushed the next token, by gradient × input and by occlusion. */
import { attributeNext } from "../../../app/attribute.ts";
import { whyLines } from "../../../app/look-lines.ts";
import { attributionPicture } from "../../../app/look-pictures.ts";
import { identityOf } from "../../../app/model-identity.ts";
import { type WebCommand, webSpec } from "../command-spec.ts";
import { quoteEnd, texts } from "../texts.ts";

export const why: WebCommand = {
  spec: webSpec("why"),
  async run(o, ctx) {
    const t = texts(ctx.lang);
    const handle = await ctx.registry.forGuild(ctx.space);
    const model = t.modelName(identityOf(handle));
    return ctx.heavy(async () => {
      const result = attributeNext(handle, String(o.text), { target: o.target as string | undefined });
      const lines = whyLines(result, quoteEnd(result.text), model, ctx.lang);
      if (result.unknown > 0) lines.push(t.unknownChars(result.unknown));
      if (result.dropped > 0) lines.push(t.droppedTokens(result.dropped));
      return { text: lines.join("\n"), images: [{ name: "why.png", png: await attributionPicture(result, ctx.lang, model) }] };
    });
  },
};
